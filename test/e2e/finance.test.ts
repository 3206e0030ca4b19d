// Daily reconciliation and reimbursements end to end through the signed webhooks of Lark, DingTalk, WeCom app and
// WeCom robot: exact amounts, a replaced reconciliation, the reimbursement card in the finance group with Sign /
// Reject for finance only, the requester told the outcome, and mistakes named with the usage.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, expenses, reconciliations } from "../../src/db/schema/index.ts";
import {
  dingtalkButtons,
  larkButtons,
  larkClick,
  lastDingTalkCard,
  lastLarkCard,
  lastWeComCard,
  wecomBotSay,
  wecomLabels,
} from "../helpers/card-clicks.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

const TEAM = "oc_team";
const FINANCE_GROUP = "oc_finance";
const REQUESTER = "ou_requester";
const CLERK = "ou_clerk";
// Wednesday 2026-11-25 10:00 in Shanghai, a working day.
const area = useAreaTest({
  prefix: "finance",
  start: new Date("2026-11-25T02:00:00Z"),
  larkChat: TEAM,
  larkSender: REQUESTER,
  channels: ["lark", "dingtalkCards", "wecom", "wecomBot"],
});
const flat = (value: unknown) => JSON.stringify(value);
const labels = (card: unknown) => larkButtons(card).map((button) => button.label);
const expenseRows = () => area.database.db.select().from(expenses);

describe("reimbursements on Lark", () => {
  it("posts the card to the finance group; finance rejects it with a reason and the requester is told", async () => {
    await area.withRole("lark", "ou_manager", "manager");
    await area.withRole("lark", REQUESTER, "staff");
    await area.withRole("lark", CLERK, "finance");
    await area.postLark("/subscribe finance", { sender: "ou_manager", chatId: FINANCE_GROUP });

    await area.postLark("/expense new 128.50 taxi to the customer");
    const own = lastLarkCard(area);
    expect(flat(own)).toContain("Sent to finance (1 groups)");
    expect(labels(own)).toEqual([]);
    const posted = area.fakes.lark.delivered.find(
      (delivery) =>
        (delivery.body as { receive_id?: string }).receive_id === FINANCE_GROUP &&
        flat(delivery.body).includes("E-20261125-001"),
    );
    expect(posted).toBeDefined();
    const card = JSON.parse((posted?.body as { content?: string } | undefined)?.content ?? "{}");
    expect(flat(card)).toContain("128.50");
    expect(labels(card)).toEqual(["Sign", "Reject"]);

    // Only finance signs: the requester's own click is refused and changes nothing.
    const denied = await larkClick(area, card, "Sign", { operator: REQUESTER, chatId: FINANCE_GROUP });
    expect(denied.toast).toMatch(/finance/);
    expect((await expenseRows())[0]?.status).toBe("pending");

    const form = await larkClick(area, card, "Reject", { operator: CLERK, chatId: FINANCE_GROUP });
    expect(labels(form.card)).toEqual(["Reject"]);
    const rejected = await larkClick(area, form.card, "Reject", {
      operator: CLERK,
      chatId: FINANCE_GROUP,
      form: { reason: "no invoice" },
    });
    expect(rejected.toast).toBe("E-20261125-001 rejected");
    expect(flat(rejected.card)).toContain("no invoice");
    expect((await expenseRows())[0]).toMatchObject({ status: "rejected", rejectReason: "no invoice" });
    const told = area.fakes.lark.delivered.find(
      (delivery) => (delivery.body as { receive_id?: string }).receive_id === REQUESTER,
    );
    expect(flat(told?.body)).toContain("was rejected by ou_clerk: no invoice");

    // A second decision finds it decided.
    const late = await larkClick(area, card, "Sign", { operator: CLERK, chatId: FINANCE_GROUP });
    expect(late.toast).toContain("was already rejected");
  });

  it("refuses a bad amount with the mistake and the usage, storing nothing", async () => {
    await area.withRole("lark", REQUESTER, "staff");
    const cases: [string, string][] = [
      ["12.345", "amount may have at most 2 decimals: 12.345"],
      ["-5", "amount cannot be negative: -5"],
      ["abc", "amount must be a number with at most 2 decimals, without sign, commas or exponent: abc"],
      ["1e3", "amount must be a number with at most 2 decimals, without sign, commas or exponent: 1e3"],
      ["0", "amount must be more than 0: 0"],
    ];
    for (const [typed, mistake] of cases) {
      await area.postLark(`/expense new ${typed} taxi`);
      expect(area.lastLark()).toContain(`${mistake} — usage: /expense new <amount> <reason`);
    }
    expect(await expenseRows()).toEqual([]);
  });
});

describe("/reconcile on Lark", () => {
  it("records exact amounts, replaces a second one saying what it replaced, and is finance's alone", async () => {
    await area.withRole("lark", CLERK, "finance");
    await area.postLark("/reconcile 2026-11-24 12800.50 3400 cash banked", { sender: CLERK });
    expect(area.lastLark()).toContain("12,800.50");
    expect(area.lastLark()).toContain("9,400.50");
    await area.postLark("/reconcile 2026-11-24 12800.50 3500.05", { sender: CLERK });
    const replaced = area.lastLark();
    expect(replaced).toContain("Replaced");
    expect(replaced).toContain("income 12,800.50 · expenses 3,400.00 · cash banked");
    const [row] = await area.database.db.select().from(reconciliations);
    expect(row).toMatchObject({ day: "2026-11-24", income: "12800.50", expense: "3500.05", note: null });
    const audited = await area.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityType, "reconciliation"));
    expect(audited.map((entry) => entry.action)).toEqual([
      "reconciliation.recorded",
      "reconciliation.replaced",
    ]);

    await area.postLark("/reconcile 2026-11-24 12.345 0", { sender: CLERK });
    expect(area.lastLark()).toContain(
      "income may have at most 2 decimals: 12.345 — usage: /reconcile <date> <income> <expense> [note",
    );
    await area.postLark("/reconcile 2026-11-26 1 1", { sender: CLERK });
    expect(area.lastLark()).toContain("cannot reconcile 2026-11-26: it is after today (2026-11-25)");
    await area.postLark("/reconcile 2026-11-23 1 1", { sender: REQUESTER });
    expect(area.lastLark()).toMatch(/needs role/);
    expect(await area.database.db.select().from(reconciliations)).toHaveLength(1);
  });
});

describe("finance on DingTalk", () => {
  it("reconciles in Chinese and signs a reimbursement by command, the card then without buttons", async () => {
    await area.withRole("dingtalk", "manager4511", "finance");
    const say = (text: string, name: string) =>
      sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name));
    expect(await say("/对账 2026-11-24 100 20.5 现金", "rec")).toBe(200);
    expect(lastDingTalkCard(area).params.title).toBe("对账 2026-11-24");
    expect(await say("/报销 56 打印纸", "ask")).toBe(200);
    expect(await say("/报销 签批 E-20261125-001", "sign")).toBe(200);
    const signed = lastDingTalkCard(area);
    expect(signed.params.content).toContain("已签批");
    expect(dingtalkButtons(signed.params)).toEqual([]);
    expect((await expenseRows())[0]?.status).toBe("signed");
  });
});

describe("finance on WeCom", () => {
  it("app: rejects by command with the reason (no text box on WeCom cards)", async () => {
    await area.withRole("wecom", "zhangsan", "finance");
    expect(await sendWeComAppMessage(area.h, "/报销 300 差旅住宿", area.messageId("ask"))).toBe(200);
    expect(
      await sendWeComAppMessage(area.h, "/报销 驳回 E-20261125-001 超出标准", area.messageId("no")),
    ).toBe(200);
    const body = area.fakes.wecom.delivered.at(-1)?.body;
    expect(flat(body)).toContain("超出标准");
    expect(wecomLabels(lastWeComCard(area))).toEqual([]);
    expect((await expenseRows())[0]).toMatchObject({ status: "rejected", rejectReason: "超出标准" });
  });

  it("app: reconciles, and a negative amount is named with the usage", async () => {
    await area.withRole("wecom", "zhangsan", "finance");
    expect(await sendWeComAppMessage(area.h, "/对账 2026-11-24 100 -5", area.messageId("neg"))).toBe(200);
    expect(flat(area.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "支出不能是负数: -5 — 用法: /对账 <日期> <收入> <支出>",
    );
    expect(await sendWeComAppMessage(area.h, "/对账 2026-11-24 100 5.5", area.messageId("rec"))).toBe(200);
    expect(flat(area.fakes.wecom.delivered.at(-1)?.body)).toContain("94.50");
    expect(await area.database.db.select().from(reconciliations)).toHaveLength(1);
  });

  it("robot: finance reconciles in a group; anyone else is refused", async () => {
    await area.withRole("wecom", "wangwu", "finance");
    await area.withRole("wecom", "lisi", "staff");
    const done = await wecomBotSay(area, "/reconcile 2026-11-24 1000 250.75", "wangwu", "wrkGroupFinance01");
    expect(flat(done)).toContain("749.25");
    const refused = await wecomBotSay(area, "/reconcile 2026-11-23 1 1", "lisi", "wrkGroupFinance01");
    expect(flat(refused)).toMatch(/needs role/);
    expect(await area.database.db.select().from(reconciliations)).toHaveLength(1);
  });

  it("robot: a bad amount in a group is named with the usage", async () => {
    await area.withRole("wecom", "lisi", "staff");
    const reply = await wecomBotSay(area, "/报销 1e3 打车", "lisi", "wrkGroupFinance01");
    expect(flat(reply)).toContain("金额必须是数字");
    expect(flat(reply)).toContain("用法: /报销 <金额> <事由");
    expect(await expenseRows()).toEqual([]);
  });
});

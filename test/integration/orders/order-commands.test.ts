// /下单 /订单 /完成 /延期 and the card's Confirm / Cancel / form, through the router with a real database.
import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, dailySequences, orderDelays, orders } from "../../../src/db/schema/index.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import {
  cardOf,
  createOrderBot,
  fieldOf,
  GROUP,
  type OrderBot,
  OTHER_GROUP,
  type TestPerson,
  textOf,
} from "./order-bot.ts";

// Thursday 2026-11-26 10:00 in Shanghai.
const START = "2026-11-26T02:00:00Z";
const USAGE_ZH = "用法: /下单 <客户> <型号> <数量> <交期>";
const USAGE_EN = "usage: /order new <customer> <model> <qty> <due>";

const t = useTestDatabase();
let bot: OrderBot;
let zhang: TestPerson;
let wang: TestPerson;

beforeEach(async () => {
  bot = createOrderBot(t.database, START);
  zhang = await bot.person("ou_zhang", "张三", ["staff"]);
  wang = await bot.person("ou_wang", "王伟", ["manager"]);
});

const auditRows = (number: string) =>
  t.database.db.select().from(auditLog).where(eq(auditLog.entityId, number)).orderBy(asc(auditLog.id));

async function draft(text = "/下单 华为 X1 100 2026-12-01", who = zhang) {
  const outcome = await bot.say(who, text);
  const card = cardOf(outcome.reply);
  const number = /O-\d{8}-\d{3,}/.exec(card.title)?.[0] as string;
  return { outcome, card, number };
}

async function confirmed(text?: string) {
  const { number } = await draft(text);
  const click = await bot.click(zhang, "order.confirm", { id: number, lang: "zh" });
  expect(click.status).toBe("ok");
  return number;
}

describe("/下单", () => {
  it("stores a numbered draft and answers with a confirmation card with Confirm and Cancel", async () => {
    const { outcome, card, number } = await draft();
    expect(outcome.status).toBe("ok");
    expect(number).toBe("O-20261126-001");
    expect(card.title).toBe("确认订单 O-20261126-001");
    expect(card.fields).toEqual([
      { label: "客户", value: "华为" },
      { label: "型号", value: "X1" },
      { label: "数量", value: "100" },
      { label: "交期", value: "2026-12-01" },
      { label: "状态", value: "草稿" },
      { label: "下单", value: "张三 · 10:00" },
    ]);
    expect(card.buttons?.map((button) => [button.label, button.action, button.value])).toEqual([
      ["确认", "order.confirm", { id: number, lang: "zh" }],
      ["取消", "order.cancel", { id: number, lang: "zh" }],
    ]);
    expect(card.buttons?.[0]?.confirm).toBeUndefined();
    const [row] = await t.database.db.select().from(orders);
    expect(row).toMatchObject({
      number,
      status: "draft",
      customer: "华为",
      model: "X1",
      quantity: 100,
      dueDate: "2026-12-01",
      originalDueDate: "2026-12-01",
      platform: "lark",
      chatId: GROUP.id,
      createdBy: zhang.personId,
      version: 1,
    });
    const [audit] = await auditRows(number);
    expect(audit).toMatchObject({
      action: "order.drafted",
      actorPersonId: zhang.personId,
      platform: "lark",
      platformMessageId: "om_1",
      before: null,
    });
    expect(audit?.after).toMatchObject({ status: "draft", dueDate: "2026-12-01", duplicateOf: null });
  });

  it("answers in English to /order new, and numbers the next order of the day 002", async () => {
    await draft();
    const { card, number } = await draft("/order new Huawei X2 5 2026-11-26");
    expect(number).toBe("O-20261126-002");
    expect(card.title).toBe("Confirm order O-20261126-002");
    expect(fieldOf(card, "Due")).toBe("2026-11-26");
    expect(card.buttons?.map((button) => button.label)).toEqual(["Confirm", "Cancel"]);
  });

  it.each([
    ["/下单 华为 X1 abc 2026-12-01", `数量必须是正整数: abc — ${USAGE_ZH}`],
    ["/下单 华为 X1 0 2026-12-01", `数量必须是正整数: 0 — ${USAGE_ZH}`],
    ["/下单 华为 X1 -5 2026-12-01", `数量必须是正整数: -5 — ${USAGE_ZH}`],
    ["/下单 华为 X1 100 2026-11-25", `交期不能早于今天 (2026-11-26): 2026-11-25 — ${USAGE_ZH}`],
    ["/下单 华为 X1 100 2026-02-30", `交期不是真实存在的日期: 2026-02-30 — ${USAGE_ZH}`],
    ["/下单 华为 X1 100 明天", `交期必须是日期 YYYY-MM-DD: 明天 — ${USAGE_ZH}`],
    ["/下单 华为 X1 100", `缺少交期 — ${USAGE_ZH}`],
    ['/下单 " " X1 100 2026-12-01', `缺少客户 — ${USAGE_ZH}`],
    ["/order new Huawei X1 abc 2026-12-01", `quantity must be a positive integer: abc — ${USAGE_EN}`],
    [
      "/order new Huawei X1 100 2026-11-25",
      `due date cannot be before today (2026-11-26): 2026-11-25 — ${USAGE_EN}`,
    ],
  ])("refuses %s with a reply naming the mistake and the usage, storing nothing", async (text, reply) => {
    const outcome = await bot.say(zhang, text);
    expect(textOf(outcome.reply)).toBe(reply);
    expect(await t.database.db.$count(orders)).toBe(0);
    expect(await t.database.db.$count(auditLog, eq(auditLog.entityType, "order"))).toBe(0);
  });

  it("asks 'duplicate?' for the same customer, model, quantity and due date within 10 minutes, by anyone", async () => {
    const first = await draft();
    bot.clock.advance(9 * 60_000);
    const second = await draft("/下单 华为 X1 100 2026-12-01", wang);
    expect(second.card.tone).toBe("warning");
    expect(sourceOf(second.card.markdown)).toContain(`可能与 ${first.number} 重复`);
    expect(second.card.buttons?.[0]?.confirm).toBe(
      `是 ${first.number} 的重复订单吗? 仍要确认 ${second.number}?`,
    );
    const [, audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "order.drafted"))
      .orderBy(asc(auditLog.id));
    expect(audit?.after).toMatchObject({ duplicateOf: first.number });
    // Another quantity is another order.
    expect((await draft("/下单 华为 X1 101 2026-12-01")).card.markdown).toBeUndefined();
  });

  it("does not call it a duplicate after 10 minutes, or when the earlier one was cancelled", async () => {
    const first = await draft();
    bot.clock.advance(10 * 60_000 + 1000);
    expect((await draft()).card.buttons?.[0]?.confirm).toBeUndefined();
    const cancelled = await draft("/下单 小米 M2 3 2026-12-05");
    await bot.click(zhang, "order.cancel", { id: cancelled.number, lang: "zh" });
    const again = await draft("/下单 小米 M2 3 2026-12-05");
    expect(again.card.markdown).toBeUndefined();
    expect(first.number).toBe("O-20261126-001");
  });
});

describe("/下单 alone: the order form", () => {
  it("shows a form with customer, model, quantity and due date that creates the same draft", async () => {
    const outcome = await bot.say(zhang, "/下单");
    const form = cardOf(outcome.reply);
    expect(form.form?.action).toBe("order.submit");
    expect(form.form?.inputs.map((input) => [input.name, input.type, input.required])).toEqual([
      ["customer", "text", true],
      ["model", "text", true],
      ["quantity", "number", true],
      ["due", "date", true],
    ]);
    expect(sourceOf(form.markdown)).toContain("/下单 <客户> <型号> <数量> <交期>");

    const submit = await bot.click(zhang, "order.submit", form.form?.value ?? {}, {
      form: { customer: "华为", model: "X1", quantity: "100", due: "2026-12-01" },
    });
    expect(submit.status).toBe("ok");
    expect(submit.result.card?.title).toBe("确认订单 O-20261126-001");
    expect(submit.result.card?.buttons?.map((button) => button.action)).toEqual([
      "order.confirm",
      "order.cancel",
    ]);
    const [audit] = await auditRows("O-20261126-001");
    expect(audit).toMatchObject({ action: "order.drafted", platformMessageId: "act-2" });
  });

  it("refuses a bad form with the same words as the typed command", async () => {
    const value = { id: "", lang: "zh" };
    const bad = await bot.click(zhang, "order.submit", value, {
      form: { customer: "华为", model: "X1", quantity: "abc", due: "2026-12-01" },
    });
    expect(bad.result.toast).toEqual({ kind: "warning", text: `数量必须是正整数: abc — ${USAGE_ZH}` });
    const past = await bot.click(zhang, "order.submit", value, {
      form: { customer: "华为", model: "X1", quantity: "3", due: "2026-11-01" },
    });
    expect(past.result.toast?.text).toBe(`交期不能早于今天 (2026-11-26): 2026-11-01 — ${USAGE_ZH}`);
    const empty = await bot.click(zhang, "order.submit", { id: "", lang: "en" }, { form: { customer: "" } });
    expect(empty.result.toast?.text).toBe(`missing customer — ${USAGE_EN}`);
    expect(await t.database.db.$count(orders)).toBe(0);
  });
});

describe("Confirm and Cancel", () => {
  it("confirms a draft: the card updates in place with who and when and no buttons; audited before/after", async () => {
    const { number } = await draft();
    bot.clock.advance(2 * 60_000);
    const click = await bot.click(wang, "order.confirm", { id: number, lang: "zh" });
    expect(click.result.toast).toEqual({ kind: "success", text: `已确认订单 ${number}` });
    const card = click.result.card;
    expect(card?.title).toBe(`订单 ${number}`);
    expect(fieldOf(card ?? { title: "", tone: "info" }, "状态")).toBe("已确认");
    expect(card?.note).toBe("已由 王伟 于 10:02 确认");
    expect(card?.buttons).toBeUndefined();
    const [row] = await t.database.db.select().from(orders);
    expect(row).toMatchObject({ status: "confirmed", confirmedBy: wang.personId, version: 2 });
    expect(row?.confirmedAt?.toISOString()).toBe("2026-11-26T02:02:00.000Z");
    const audits = await auditRows(number);
    expect(audits.map((audit) => audit.action)).toEqual(["order.drafted", "order.confirmed"]);
    expect(audits[1]).toMatchObject({
      actorPersonId: wang.personId,
      platformMessageId: "act-2",
      before: { status: "draft", version: 1 },
      after: { status: "confirmed", version: 2 },
    });
  });

  it("answers a later click on Confirm with the card as it is and who confirmed, changing nothing", async () => {
    const number = await confirmed();
    const late = await bot.click(wang, "order.confirm", { id: number, lang: "en" });
    expect(late.result.toast).toEqual({
      kind: "warning",
      text: `order ${number} was already confirmed by 张三 at 10:00`,
    });
    expect(late.result.card?.note).toBe("Confirmed by 张三 at 10:00");
    expect(late.result.card?.buttons).toBeUndefined();
    const cancel = await bot.click(wang, "order.cancel", { id: number, lang: "zh" });
    expect(cancel.result.toast?.text).toBe(`订单 ${number} 已由 张三 于 10:00 确认, 不能再取消`);
    expect((await auditRows(number)).map((audit) => audit.action)).toEqual([
      "order.drafted",
      "order.confirmed",
    ]);
  });

  it("lets the creator or a manager cancel a draft, and nobody else", async () => {
    const { number } = await draft();
    const li = await bot.person("ou_li", "李四");
    const refused = await bot.click(li, "order.cancel", { id: number, lang: "zh" });
    expect(refused.status).toBe("refused");
    expect(refused.result).toEqual({
      toast: { kind: "warning", text: `只有创建人 张三 或 经理 或 管理员 可以取消订单 ${number}` },
    });
    const cancel = await bot.click(zhang, "order.cancel", { id: number, lang: "zh" });
    expect(cancel.result.card?.note).toBe("已由 张三 于 10:00 取消");
    expect(fieldOf(cancel.result.card ?? { title: "", tone: "info" }, "状态")).toBe("已取消");
    expect(cancel.result.card?.buttons).toBeUndefined();
    const other = await draft();
    expect((await bot.click(wang, "order.cancel", { id: other.number, lang: "zh" })).status).toBe("ok");
    expect((await auditRows(number)).map((audit) => audit.action)).toEqual([
      "order.drafted",
      "order.cancelled",
    ]);
  });

  it("refuses a click from another chat or platform, and an unknown order", async () => {
    const { number } = await draft();
    const elsewhere = await bot.click(
      wang,
      "order.confirm",
      { id: number, lang: "zh" },
      { chat: OTHER_GROUP },
    );
    expect(elsewhere.result.toast?.text).toBe(`订单 ${number} 属于另一个群, 请在下单的群里操作`);
    expect(elsewhere.result.card).toBeUndefined();
    const dingtalk = await bot.click(
      wang,
      "order.confirm",
      { id: number, lang: "en" },
      { platform: "dingtalk" },
    );
    expect(dingtalk.result.toast?.text).toBe(
      `order ${number} belongs to another chat; act on it where it was taken`,
    );
    const unknown = await bot.click(wang, "order.confirm", { id: "O-20261126-999", lang: "zh" });
    expect(unknown.result.toast?.text).toBe("找不到订单 O-20261126-999");
    const [row] = await t.database.db.select().from(orders);
    expect(row?.status).toBe("draft");
  });
});

describe("/完成", () => {
  it("completes a confirmed order; the reply card says who and when", async () => {
    const number = await confirmed();
    bot.clock.advance(60 * 60_000);
    const done = await bot.say(zhang, `/完成 ${number}`);
    const card = cardOf(done.reply);
    expect(fieldOf(card, "状态")).toBe("已完成");
    expect(card.note).toBe("已由 张三 于 11:00 完成");
    expect(card.buttons).toBeUndefined();
    const audits = await auditRows(number);
    expect(audits.at(-1)).toMatchObject({
      action: "order.completed",
      before: { status: "confirmed" },
      after: { status: "completed" },
    });
    const again = await bot.say(wang, `/完成 ${number.toLowerCase()}`);
    expect(textOf(again.reply)).toBe(`订单 ${number} 已由 张三 于 11:00 完成`);
  });

  it("takes the 1000th order of a day like any other", async () => {
    await t.database.db.insert(dailySequences).values({ prefix: "O", day: "2026-11-26", last: 999 });
    const { number } = await draft();
    expect(number).toBe("O-20261126-1000");
    await bot.click(zhang, "order.confirm", { id: number, lang: "zh" });
    const done = await bot.say(zhang, `/完成 ${number}`);
    expect(fieldOf(cardOf(done.reply), "状态")).toBe("已完成");
  });

  it("refuses a draft, an unknown number, a malformed number and a cancelled order", async () => {
    const { number } = await draft();
    expect(textOf((await bot.say(zhang, `/完成 ${number}`)).reply)).toBe(
      `订单 ${number} 还是草稿, 请先确认再完成`,
    );
    expect(textOf((await bot.say(zhang, "/order done O-20261126-404")).reply)).toBe(
      "no order O-20261126-404",
    );
    expect(textOf((await bot.say(zhang, "/完成 12345")).reply)).toBe(
      "订单号格式不对 (例如 O-20261126-001): 12345 — 用法: /完成 <订单号>",
    );
    await bot.click(zhang, "order.cancel", { id: number, lang: "zh" });
    expect(textOf((await bot.say(zhang, `/order done ${number}`)).reply)).toBe(
      `order ${number} was cancelled by 张三 at 10:00; it can no longer be completed`,
    );
  });

  it("needs staff (own orders), warehouse, manager or admin", async () => {
    const number = await confirmed();
    const nobody = await bot.person("ou_li", "李四");
    expect(textOf((await bot.say(nobody, `/完成 ${number}`)).reply)).toBe(
      "你没有权限使用 /完成 — 需要角色: 员工、仓库、经理 或 管理员",
    );
    const otherStaff = await bot.person("ou_zhao", "赵六", ["staff"]);
    expect(textOf((await bot.say(otherStaff, `/order done ${number}`)).reply)).toBe(
      `only its creator 张三 or warehouse, manager or admin may complete order ${number}`,
    );
    const warehouse = await bot.person("ou_chen", "陈七", ["warehouse"]);
    expect((await bot.say(warehouse, `/完成 ${number}`)).status).toBe("ok");
  });
});

describe("/延期", () => {
  it("moves the due date, keeps the original, counts the delay and records the reason", async () => {
    const number = await confirmed();
    const first = await bot.say(zhang, `/延期 ${number} 2026-12-08 客户要求推迟, 下周再发`);
    const card = cardOf(first.reply);
    expect(fieldOf(card, "交期")).toBe("2026-12-08 (原交期 2026-12-01, 已延期 1 次)");
    expect(fieldOf(card, "延期原因")).toBe("客户要求推迟, 下周再发 (张三 · 10:00)");
    await bot.say(wang, `/order delay ${number} 2026-12-10 supplier late`);
    const [row] = await t.database.db.select().from(orders);
    expect(row).toMatchObject({
      dueDate: "2026-12-10",
      originalDueDate: "2026-12-01",
      delayCount: 2,
      status: "confirmed",
      version: 4,
    });
    const delays = await t.database.db.select().from(orderDelays).orderBy(asc(orderDelays.id));
    expect(delays.map((delay) => [delay.fromDate, delay.toDate, delay.reason, delay.delayedBy])).toEqual([
      ["2026-12-01", "2026-12-08", "客户要求推迟, 下周再发", zhang.personId],
      ["2026-12-08", "2026-12-10", "supplier late", wang.personId],
    ]);
    const audits = (await auditRows(number)).filter((audit) => audit.action === "order.delayed");
    expect(audits[0]).toMatchObject({
      before: { dueDate: "2026-12-01", delayCount: 0 },
      after: {
        dueDate: "2026-12-08",
        delayCount: 1,
        originalDueDate: "2026-12-01",
        reason: "客户要求推迟, 下周再发",
      },
    });
  });

  it("refuses a past date, the current date, a draft, a missing reason and someone else's order", async () => {
    const number = await confirmed();
    const refusals = [
      [`/延期 ${number} 2026-11-25 晚了`, "新交期不能早于今天 (2026-11-26): 2026-11-25"],
      [`/延期 ${number} 2026-12-01 不变`, `新交期与订单 ${number} 当前的交期相同: 2026-12-01`],
      [`/延期 ${number} 2026-12-09`, "缺少原因 — 用法: /延期 <订单号> <新交期> <原因…>"],
      ["/延期 O-20261126-404 2026-12-09 原因", "找不到订单 O-20261126-404"],
    ];
    for (const [text, reply] of refusals)
      expect(textOf((await bot.say(zhang, text as string)).reply)).toBe(reply);
    const otherStaff = await bot.person("ou_zhao", "赵六", ["staff"]);
    expect(textOf((await bot.say(otherStaff, `/延期 ${number} 2026-12-09 原因`)).reply)).toBe(
      `只有创建人 张三 或 经理 或 管理员 可以延期订单 ${number}`,
    );
    const { number: draftNumber } = await draft("/下单 小米 M2 3 2026-12-05");
    expect(textOf((await bot.say(zhang, `/延期 ${draftNumber} 2026-12-09 原因`)).reply)).toBe(
      `订单 ${draftNumber} 还是草稿, 请先确认再延期`,
    );
    // Today is allowed.
    expect((await bot.say(zhang, `/延期 ${number} 2026-11-26 提前`)).status).toBe("ok");
    expect(await t.database.db.$count(orderDelays)).toBe(1);
  });
});

describe("/订单", () => {
  it("lists open, overdue and my orders, capped at 20 with how many more", async () => {
    const zhangs = [];
    for (let day = 1; day <= 22; day++)
      zhangs.push(await confirmed(`/下单 华为 X${day} ${day} 2026-12-${String(day).padStart(2, "0")}`));
    await draft("/下单 小米 M1 1 2026-11-27", wang);
    const open = cardOf((await bot.say(zhang, "/订单")).reply);
    expect(open.title).toBe("订单 · 未完成 (22)");
    expect(sourceOf(open.markdown).split("\n")).toHaveLength(20);
    expect(sourceOf(open.markdown).split("\n")[0]).toBe(
      `- **${zhangs[0]}** 华为 · X1 × 1 · 交期 2026-12-01 · 已确认`,
    );
    expect(open.note).toBe("还有 2 条未显示");

    bot.clock.set("2026-12-03T02:00:00Z");
    await bot.say(zhang, `/完成 ${zhangs[0]}`);
    const overdue = cardOf((await bot.say(zhang, "/order list overdue")).reply);
    expect(overdue.title).toBe("Orders · overdue (1)");
    expect(sourceOf(overdue.markdown)).toBe(
      `- **${zhangs[1]}** 华为 · X2 × 2 · due 2026-12-02 · confirmed · 1 days overdue`,
    );
    expect(overdue.note).toBeUndefined();

    const mine = cardOf((await bot.say(wang, "/订单 我的")).reply);
    expect(mine.title).toBe("订单 · 我的 (1)");
    expect(sourceOf(mine.markdown)).toContain("小米 · M1 × 1 · 交期 2026-11-27 · 草稿");
    const nobody = await bot.person("ou_li", "李四");
    expect(sourceOf(cardOf((await bot.say(nobody, "/order list mine")).reply).markdown)).toBe(
      "You have not taken any orders",
    );
    expect(textOf((await bot.say(nobody, "/订单 全部")).reply)).toBe(
      "范围必须是 未完成、逾期 或 我的 之一: 全部 — 用法: /订单 [未完成|逾期|我的]",
    );
  });
});

describe("/help", () => {
  it("shows the roles of /完成 and /延期", async () => {
    const help = cardOf((await bot.say(zhang, "/帮助 延期")).reply);
    expect(fieldOf(help, "权限")).toBe("员工、经理 或 管理员");
    expect(fieldOf(help, "用法")).toBe("/延期 <订单号> <新交期> <原因…>");
    const list = cardOf((await bot.say(zhang, "/help")).reply);
    expect(sourceOf(list.markdown)).toContain("/order done");
    expect(sourceOf(list.markdown)).toContain("(staff, warehouse, manager or admin)");
  });
});

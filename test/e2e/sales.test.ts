// The sales log end to end through the signed webhooks of Lark, DingTalk, WeCom app and WeCom robot: an enquiry
// converted into a draft order through the prefilled order form, one closed, a feedback turned into a complaint,
// a follow-up; the figures in /kpi; mistakes answered with the usage.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { complaints, orders, salesEntries } from "../../src/db/schema/index.ts";
import {
  dingtalkButtons,
  dingtalkClick,
  larkButtons,
  larkClick,
  lastDingTalkCard,
  lastLarkCard,
  lastWeComCard,
  type WeComTemplateCard,
  wecomAppClick,
  wecomBotSay,
  wecomLabels,
} from "../helpers/card-clicks.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

const CHAT = "oc_sales";
const SELLER = "ou_seller";
// Wednesday 2026-11-25 10:00 in Shanghai, a working day.
const area = useAreaTest({
  prefix: "sales",
  start: new Date("2026-11-25T02:00:00Z"),
  larkChat: CHAT,
  larkSender: SELLER,
  channels: ["lark", "dingtalkCards", "wecom", "wecomBot"],
});
const labels = (card: unknown) => larkButtons(card).map((button) => button.label);
const flat = (value: unknown) => JSON.stringify(value);

describe("sales log on Lark", () => {
  it("converts an enquiry into a draft order through the prefilled form, and counts it in /kpi", async () => {
    await area.withRole("lark", SELLER, "staff");
    await area.postLark("/lead Huawei price for 500 X1 by month end");
    const lead = lastLarkCard(area);
    expect(flat(lead)).toContain("Enquiry Q-20261125-001");
    expect(labels(lead)).toEqual(["Convert to order", "Close"]);

    const form = await larkClick(area, lead, "Convert to order", { operator: SELLER, chatId: CHAT });
    expect(flat(form.card)).toContain("New order (from enquiry Q-20261125-001)");
    expect(flat(form.card)).toContain("Huawei");
    const drafted = await larkClick(area, form.card, "Submit", {
      operator: SELLER,
      chatId: CHAT,
      form: { customer: "Huawei", model: "X1", quantity: "500", due: "2026-12-01" },
    });
    expect(flat(drafted.card)).toContain("O-20261125-001");
    const [stored] = await area.database.db.select().from(salesEntries);
    expect(stored).toMatchObject({ status: "converted", orderNumber: "O-20261125-001" });
    expect(await area.database.db.select().from(orders)).toHaveLength(1);

    // The first card's buttons are stale now: the lead as it stands, and nothing new.
    const again = await larkClick(area, lead, "Convert to order", { operator: SELLER, chatId: CHAT });
    expect(again.toast).toContain("already converted to order O-20261125-001");
    expect(await area.database.db.select().from(orders)).toHaveLength(1);

    await area.postLark("/lead ACME samples for 20 X2");
    await area.postLark("/kpi today");
    const kpi = area.lastLark();
    expect(kpi).toContain("Sales");
    expect(kpi).toContain("Enquiries");
    expect(kpi).toMatch(/Enquiry conversion[^"]*50/);
  });

  it("opens a complaint from a feedback once, logs a follow-up, and names mistakes with the usage", async () => {
    await area.withRole("lark", SELLER, "staff");
    await area.postLark("/feedback Huawei wants the sample a week earlier");
    const feedback = lastLarkCard(area);
    expect(labels(feedback)).toEqual(["Open a complaint"]);
    const opened = await larkClick(area, feedback, "Open a complaint", { operator: SELLER, chatId: CHAT });
    expect(opened.toast).toBe("Complaint C-20261125-001 opened");
    const [complaint] = await area.database.db.select().from(complaints);
    expect(complaint).toMatchObject({ customer: "Huawei", description: "wants the sample a week earlier" });
    const twice = await larkClick(area, feedback, "Open a complaint", { operator: SELLER, chatId: CHAT });
    expect(twice.toast).toContain("already has complaint C-20261125-001");
    expect(await area.database.db.select().from(complaints)).toHaveLength(1);

    await area.postLark("/followup Huawei satisfied, 200 more next month");
    expect(area.lastLark()).toContain("Follow-up");

    await area.postLark("/lead Huawei");
    expect(area.lastLark()).toMatch(/text.*usage: \/lead <customer> <text/);
    await area.postLark("/lead close Q-20990101-001");
    expect(area.lastLark()).toContain("no sales log entry Q-20990101-001");
    expect(await area.database.db.select().from(salesEntries)).toHaveLength(2);
  });
});

describe("/咨询 on DingTalk", () => {
  it("closes an enquiry from its template card, which then has no buttons", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    expect(
      await sendDingTalkMessage(area.h, area.fakes, "/咨询 华为 询价 X1 500 台", area.messageId("lead")),
    ).toBe(200);
    const card = lastDingTalkCard(area);
    expect(card.params.title).toBe("咨询 Q-20261125-001");
    expect(dingtalkButtons(card.params).map((button) => button.text)).toEqual(["转为订单", "关闭"]);
    const closed = await dingtalkClick(area, card, "关闭");
    expect(closed?.content).toContain("已关闭");
    expect(dingtalkButtons(closed)).toEqual([]);
    const [lead] = await area.database.db.select().from(salesEntries);
    expect(lead?.status).toBe("closed");
  });
});

describe("/反馈 and /回访 on WeCom", () => {
  it("app: a feedback card's button opens the complaint in place", async () => {
    await area.withRole("wecom", "zhangsan", "cs");
    expect(await sendWeComAppMessage(area.h, "/反馈 华为 样品颜色不对", area.messageId("fb"))).toBe(200);
    const card = lastWeComCard(area) as WeComTemplateCard;
    expect(wecomLabels(card)).toEqual(["转为投诉"]);
    const complaint = await wecomAppClick(area, card, "转为投诉", "zhangsan");
    expect(complaint.main_title.title).toBe("投诉 C-20261125-001");
    const [feedback] = await area.database.db
      .select()
      .from(salesEntries)
      .where(eq(salesEntries.kind, "feedback"));
    expect(feedback?.complaintNumber).toBe("C-20261125-001");
  });

  it("app: Convert on a card without inputs names the command, which drafts the order from the lead", async () => {
    await area.withRole("wecom", "zhangsan", "staff");
    expect(await sendWeComAppMessage(area.h, "/咨询 华为 询价 X1", area.messageId("lead"))).toBe(200);
    const lead = lastWeComCard(area) as WeComTemplateCard;
    const form = await wecomAppClick(area, lead, "转为订单", "zhangsan");
    expect(flat(form)).toContain("/咨询 转订单 Q-20261125-001 <型号> <数量> <交期>");
    const typed = "/咨询 转订单 Q-20261125-001 X1 100 2026-12-01";
    expect(await sendWeComAppMessage(area.h, typed, area.messageId("convert"))).toBe(200);
    expect(flat(area.fakes.wecom.delivered.at(-1)?.body)).toContain("O-20261125-001");
    const [order] = await area.database.db.select().from(orders);
    expect(order).toMatchObject({ customer: "华为", model: "X1", quantity: 100, status: "draft" });
    const [converted] = await area.database.db.select().from(salesEntries);
    expect(converted).toMatchObject({ status: "converted", orderNumber: "O-20261125-001" });
  });

  it("robot: a follow-up logged in a group", async () => {
    await area.withRole("wecom", "lisi", "staff");
    const reply = await wecomBotSay(area, "/回访 华为 满意, 下月再订", "lisi", "wrkGroupSales01");
    expect(flat(reply)).toContain("回访");
    expect(flat(reply)).toContain("满意, 下月再订");
    const [followup] = await area.database.db.select().from(salesEntries);
    expect(followup).toMatchObject({ kind: "followup", customer: "华为", platform: "wecom" });
  });
});

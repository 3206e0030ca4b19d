// Every metric against its target in one place, end to end on DingTalk, the WeCom app and the WeCom robot: /kpi
// groups targets by department and a missed one names the command that lists its cause.
import { describe, expect, it } from "vitest";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";
import { insertComplaints, insertOrders, insertPerson } from "../integration/kpi/kpi-fixture.ts";

// Thursday 2026-11-26 15:00 in Shanghai.
const START = new Date("2026-11-26T07:00:00Z");

const area = useAreaTest({
  prefix: "kpitargets",
  start: START,
  larkChat: "oc_kpi",
  larkSender: "ou_manager",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
  async seed(db) {
    const person = await insertPerson(db);
    // Due 11-20, still open: this month's on-time completion is 0 %.
    await insertOrders(db, person, [
      { number: "O-LATE", status: "confirmed", created: "2026-11-10T09:00", originalDue: "2026-11-20" },
    ]);
    // One score of 2 this month: CSAT 0 %.
    await insertComplaints(db, person, [
      {
        number: "C-LOW",
        received: "2026-11-02T10:00",
        responseDue: "2026-11-03T10:00",
        responded: "2026-11-02T11:00",
        resolutionDue: "2026-11-05T10:00",
        resolved: "2026-11-03T10:00",
        score: 2,
        rated: "2026-11-04T10:00",
      },
    ]);
  },
});

describe("targets per department in /kpi", () => {
  it("DingTalk: a department's missed target names its cause", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    const send = (text: string, name: string) =>
      sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name), { senderStaffId: "manager4511" });
    expect(await send("/target set on_time_completion month 90% production", "set")).toBe(200);
    expect(await send("/kpi month", "kpi")).toBe(200);
    const card = JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
    expect(card).toContain("Department: production");
    expect(card).toContain("monthly on-time completion rate: 0% / target 90% ⚠ missed → /order list overdue");
  });

  it("WeCom app: the company's targets come before a department's, each with its cause", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(await sendWeComAppMessage(area.h, "/target set csat month 85%", area.messageId("a"))).toBe(200);
    expect(await sendWeComAppMessage(area.h, "/target set csat month 80% service", area.messageId("b"))).toBe(
      200,
    );
    expect(await sendWeComAppMessage(area.h, "/kpi month", area.messageId("kpi"))).toBe(200);
    const card = JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    expect(card.indexOf("Company")).toBeGreaterThan(-1);
    expect(card.indexOf("Company")).toBeLessThan(card.indexOf("Department: service"));
    expect(card).toContain("monthly CSAT: 0% / target 85% ⚠ missed → /complaint list");
  });

  it("WeCom robot: in Chinese the cause is the Chinese command", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(
      await sendWeComBotMessage(
        area.h,
        area.fakes,
        "/目标 设置 on_time_completion month 90% 生产部",
        area.messageId("s"),
      ),
    ).toBe(200);
    expect(await sendWeComBotMessage(area.h, area.fakes, "/指标 month", area.messageId("k"))).toBe(200);
    const card = JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    expect(card).toContain("部门: 生产部");
    expect(card).toContain("→ /订单 逾期");
  });
});

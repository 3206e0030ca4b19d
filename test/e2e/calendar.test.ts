// /calendar end to end: signed webhooks of Lark, DingTalk and WeCom; an admin's pasted notice moves a live deadline.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { complaints } from "../../src/db/schema/index.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

// Thursday 2027-02-04 10:00 in Shanghai: the eve of the provisional Spring Festival.
const t = useAreaTest({
  prefix: "cal",
  start: new Date("2027-02-04T02:00:00Z"),
  larkChat: "oc_calendar",
  larkSender: "ou_sender",
});

describe("/calendar on Lark", () => {
  it("explains a provisional holiday, and an admin's pasted notice moves an open complaint's deadline", async () => {
    await t.withRole("lark", "ou_admin", "admin");

    await t.postLark("/calendar 2027-02-05", { name: "day" });
    expect(t.lastLarkContent()).toContain(
      "2027-02-05 (Friday): day off — statutory holiday: Spring Festival (provisional)",
    );

    await t.postLark("/投诉 华为 包装破损", { name: "complaint" });
    const [complaint] = await t.database.db.select().from(complaints);
    // Each request moves the clock on by a second: 10:00:02 on the third working day, 02-15.
    expect(complaint?.resolutionDueAt.toISOString()).toMatch(/^2027-02-15T02:00/);

    t.fakes.reset();
    const notice = "2027-02-05..2027-02-12 holiday 春节\n2027-02-14 workday 春节调休";
    await t.postLark(`/calendar set ${notice}`, { name: "set", sender: "ou_admin" });
    expect(t.lastLarkContent()).toContain(
      `${complaint?.number}: 2027-02-15 10:00 → 2027-02-16 10:00 (provisional)`,
    );
    const [moved] = await t.database.db
      .select()
      .from(complaints)
      .where(eq(complaints.id, complaint?.id ?? 0));
    expect(moved?.resolutionDueAt.toISOString()).toMatch(/^2027-02-16T02:00/);
    expect(moved?.resolutionDueMovedFrom).toEqual(complaint?.resolutionDueAt);

    t.fakes.reset();
    await t.postLark(`/calendar set 2027-02-20 holiday`, { name: "denied" });
    expect(t.lastLarkContent()).toMatch(/you may not use \/calendar set — needs role: admin/);
  });
});

describe("/calendar on DingTalk", () => {
  it("answers /日历 with a day in lieu, in Chinese, through the sessionWebhook", async () => {
    expect(await sendDingTalkMessage(t.h, t.fakes, "/日历 2027-02-10", t.messageId("ding"))).toBe(200);
    expect(t.fakes.dingtalk.delivered).toHaveLength(1);
    expect(JSON.stringify(t.fakes.dingtalk.delivered[0]?.body)).toContain(
      "2027-02-10 (星期三): 休息日 — 春节 补假/调休放假（暂定）",
    );
  });
});

describe("/calendar on WeCom", () => {
  it("answers /calendar for a published make-up workday through message/send", async () => {
    expect(await sendWeComAppMessage(t.h, "/calendar 2026-10-10", t.messageId("1001"))).toBe(200);
    expect(t.fakes.wecom.delivered).toHaveLength(1);
    expect(JSON.stringify(t.fakes.wecom.delivered[0]?.body)).toContain(
      "2026-10-10 (Saturday): working day — make-up workday (National Day)",
    );
  });
});

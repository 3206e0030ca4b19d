// /target and /roster end to end: signed webhooks of Lark, DingTalk and WeCom; targets in /kpi and the digest.
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { renderDigestCard } from "../../commands/digest/cards.ts";
import { auditLog, rosterPosts, targets } from "../../src/db/schema/index.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { computeDigest } from "../../src/domain/digest/content.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";
import { sourceOf } from "../helpers/rich-text.ts";
import { FIXTURE_NOW, insertKpiFixture, setAreaActive, TIMEZONE } from "../integration/kpi/kpi-fixture.ts";

const t = useAreaTest({
  prefix: "tr",
  start: new Date(FIXTURE_NOW.getTime() - 60_000),
  larkChat: "oc_targets",
  larkSender: "ou_manager",
  seed: async (db) => {
    await setAreaActive(db, "office", true);
    await insertKpiFixture(db);
  },
});

const LI = { key: "@_user_1", openId: "ou_li", name: "Li Lei" };

/** Posts on Lark from the manager unless told, mentioning Li Lei where the text has his key. */
const postLark = (text: string, name: string, sender?: string): Promise<string> =>
  t.postLark(text, { name, sender, mentions: text.includes(LI.key) ? [LI] : [] });
const lastLark = () => t.lastLark();

describe("/target on Lark", () => {
  it("sets a target with owner and department, replaces it, shows actual against it in /kpi, audited", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    await postLark("/target set on_time_completion day 90% @_user_1 production", "set");
    expect(lastLark()).toContain(
      "Target set: daily on-time completion rate ≥ 90% · owner Li Lei · production",
    );
    await postLark("/target set on_time_completion day 0.8 @_user_1 production", "replace");
    expect(lastLark()).toContain(
      "(replaces: daily on-time completion rate ≥ 90% · owner Li Lei · production)",
    );
    await postLark("/target set csat day 85%", "company");
    const rows = await t.database.db.select().from(targets).orderBy(asc(targets.metric));
    expect(rows.map((row) => [row.metric, row.period, row.department, row.value, row.ownerName])).toEqual([
      ["csat", "day", "", 0.85, null],
      ["on_time_completion", "day", "production", 0.8, "Li Lei"],
    ]);
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.entityType, "target"));
    expect(audits.map((row) => row.action).sort()).toEqual(["replace", "set", "set"]);

    await postLark("/kpi", "kpi");
    const card = lastLark();
    expect(card).toContain("Targets");
    // The company's targets, then each department's; a missed one names the command that lists its cause.
    expect(card).toContain("【Company】");
    expect(card).toContain("daily CSAT: 50% / target 85% ⚠ missed → /complaint list");
    expect(card).toContain("【Department: production】");
    expect(card).toContain(
      "daily on-time completion rate: 50% / target 80% ⚠ missed → /order list overdue · owner Li Lei · production",
    );
    expect(card.indexOf("【Company】")).toBeLessThan(card.indexOf("【Department: production】"));

    await postLark("/target list", "list");
    expect(lastLark()).toContain("daily CSAT ≥ 85%");
    expect(lastLark()).toContain("orders_completed (orders completed, count)");
  });

  it("refuses an unknown metric with the list, a rate out of range and a non-number, changing nothing", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    await postLark("/target set profit month 100", "unknown");
    expect(lastLark()).toContain("there is no metric profit");
    expect(lastLark()).toContain("inspections_done");
    await postLark("/target set csat month 150%", "range");
    expect(lastLark()).toContain("150% is not a rate between 0% and 100%; write 90% or 0.9");
    await postLark("/target set csat month 1.5", "share");
    expect(lastLark()).toContain("1.5 is not a rate");
    await postLark("/target set orders_completed month many", "count");
    expect(lastLark()).toContain("many is not a whole number");
    await postLark("/target set orders_completed year 5", "period");
    expect(lastLark()).toContain("/target set");
    expect(await t.database.db.select().from(targets)).toEqual([]);
  });

  it("denies a target to someone who is not a manager or an admin", async () => {
    await t.withRole("lark", "ou_staff", "staff");
    const id = await postLark("/target set csat month 90%", "denied", "ou_staff");
    expect(lastLark()).toMatch(/you may not use \/target set — needs role: /);
    expect(await t.database.db.select().from(targets)).toEqual([]);
    const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.platformMessageId, id));
    expect(denied.map((row) => row.action)).toEqual(["denied"]);
  });
});

describe("/roster on Lark", () => {
  it("a manager sets the need and the people; anyone reads it; staff may not change it", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    await t.withRole("lark", "ou_staff", "staff");
    await postLark("/roster 2026-11-27 packing 10", "need");
    expect(lastLark()).toContain("packing: need 10, with 10% spare 11, assigned 0 (none) ⚠ short by 11");
    await postLark("/roster 2026-11-27 packing @_user_1", "people");
    expect(lastLark()).toContain("assigned 1 (Li Lei) ⚠ short by 10");
    await postLark("/roster 2026-11-27", "read", "ou_staff");
    expect(lastLark()).toContain("Roster 2026-11-27 (10% spare)");
    const id = await postLark("/roster 2026-11-27 packing 1", "denied", "ou_staff");
    expect(lastLark()).toContain("only a manager or an admin may change the roster");
    const [post] = await t.database.db.select().from(rosterPosts);
    expect(post?.need).toBe(10);
    const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.platformMessageId, id));
    expect(denied.map((row) => [row.action, row.entityId])).toEqual([["denied", "roster"]]);
    await postLark("/roster 2026-11-27 packing lots", "bad");
    expect(lastLark()).toContain(
      "write the number of people needed (e.g. 10) or @ the people assigned: lots",
    );
  });
});

describe("/目标 and /排班 on DingTalk", () => {
  it("sets a monthly CSAT target for customer service and a post's need, answered in Chinese", async () => {
    await t.withRole("dingtalk", "manager4511", "manager");
    expect(await sendDingTalkMessage(t.h, t.fakes, "/目标 设置 csat 月 85% 客服部", t.messageId("d1"))).toBe(
      200,
    );
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain(
      "已设置目标: 每月 客户满意度 ≥ 85% · 客服部",
    );
    expect(await sendDingTalkMessage(t.h, t.fakes, "/排班 2026-11-27 质检 20", t.messageId("d2"))).toBe(200);
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain(
      "质检: 需要 20, 含 10% 备员 22",
    );
    expect(await sendDingTalkMessage(t.h, t.fakes, "/目标", t.messageId("d3"))).toBe(200);
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain(
      "每月 客户满意度 ≥ 85% · 客服部",
    );
  });
});

describe("/target and /roster on WeCom", () => {
  it("sets a weekly count target and assigns people typed as @names", async () => {
    await t.withRole("wecom", "zhangsan", "admin");
    expect(
      await sendWeComAppMessage(t.h, "/target set orders_completed week 40 production", t.messageId("w1")),
    ).toBe(200);
    expect(JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "weekly orders completed ≥ 40 · production",
    );
    expect(await sendWeComAppMessage(t.h, "/roster 2026-11-27 packing 2", t.messageId("w2"))).toBe(200);
    expect(
      await sendWeComAppMessage(t.h, "/roster 2026-11-27 packing @lisi @wangwu @zhaoliu", t.messageId("w3")),
    ).toBe(200);
    expect(JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "assigned 3 (lisi, wangwu, zhaoliu) ✓ ok",
    );
  });
});

describe("targets in the morning digest", () => {
  it("shows actual against target and names the daily target yesterday missed, with owner and department", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    await postLark("/target set orders_completed day 1000 @_user_1 production", "daily");
    await postLark("/target set inspections_done month 1", "monthly");
    const calendar = createWorkingCalendar({ timezone: TIMEZONE, overrides: new Map() });
    const content = await computeDigest(t.database.db, { now: FIXTURE_NOW, timezone: TIMEZONE, calendar });
    const card = sourceOf(renderDigestCard(content, "en").markdown);
    expect(card).toContain("Daily targets missed yesterday");
    expect(card).toMatch(
      /daily orders completed: \d+ \/ target 1000 ⚠ missed → \/order list open · owner Li Lei · production/,
    );
    expect(card).toMatch(/monthly inspections done: \d+ \/ target 1 ✓ met/);
  });
});

// computeKpis against a real database: every number of a hand-computed fixture, per window, and the card.
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderKpiCard } from "../../../commands/kpi/cards.ts";
import { inspectionAreas } from "../../../src/db/schema/index.ts";
import {
  createWorkingCalendar,
  type WorkingCalendar,
} from "../../../src/domain/calendar/working-calendar.ts";
import { computeKpis, type Kpis } from "../../../src/domain/kpi/compute.ts";
import {
  type KpiPeriod,
  type KpiWindow,
  monthToDateWindow,
  yesterdayWindow,
} from "../../../src/domain/kpi/window.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import {
  FIXTURE_NOW,
  insertComplaints,
  insertInspections,
  insertKpiFixture,
  insertOrders,
  insertPerson,
  setAreaActive,
  shanghai,
  TIMEZONE,
} from "./kpi-fixture.ts";

let database: TestDatabase;
const calendar = createWorkingCalendar({ timezone: TIMEZONE });

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await truncateAll(database);
  // Areas are seeded rows that truncateAll keeps: undo what a test changed.
  await setAreaActive(database.db, "office", true);
});

const kpisFor = (
  window: KpiPeriod | KpiWindow,
  now = FIXTURE_NOW,
  workingCalendar: WorkingCalendar = calendar,
) => computeKpis(database.db, { window, timezone: TIMEZONE, now, calendar: workingCalendar });

/** [numerator, denominator, pending] of a deadline rate, or [numerator, denominator] of a plain one. */
const share = (ratio: { numerator: number; denominator: number; pending?: number }) =>
  ratio.pending === undefined
    ? [ratio.numerator, ratio.denominator]
    : [ratio.numerator, ratio.denominator, ratio.pending];

/** Every number of a result in one flat, readable shape. */
function numbers(kpis: Kpis) {
  const { orders, complaints, inspections } = kpis;
  return {
    window: kpis.window,
    received: orders.received,
    completed: orders.completed,
    onTime: share(orders.onTime),
    overdue: orders.overdue,
    delayed: orders.delayedOverFiveDays,
    opened: complaints.opened,
    firstResponse: share(complaints.firstResponseOnTime),
    resolution: share(complaints.resolutionOnTime),
    csat: share(complaints.satisfaction),
    csatBelowTarget: complaints.satisfaction.belowTarget,
    inspected: share(inspections.doneVsDue),
    findings: inspections.findings,
  };
}

describe("computeKpis on the fixture (now: Thu 2026-11-26 15:00 Shanghai)", () => {
  beforeEach(async () => {
    await insertKpiFixture(database.db);
  });

  it("today: local day 11-26, counting rows by Shanghai dates, not UTC ones", async () => {
    expect(numbers(await kpisFor("today"))).toEqual({
      window: { from: "2026-11-26", to: "2026-11-26" },
      received: 2, // O-1, O-2 (draft O-3 and cancelled O-4 left out)
      completed: 2, // O-1, and O-6 at 01:00 (11-25 in UTC)
      onTime: [1, 2, 1], // O-1 met; O-2 due today and still open
      overdue: 2, // O-10, O-12; O-5's moved due date is tomorrow
      delayed: 3, // open O-5 (8 days), O-12 (42 days); O-6 completed today 6 days late
      opened: 2, // C-1, and C-7 at 00:10
      firstResponse: [1, 2, 1], // C-3 met at its deadline, C-2 due 16:00; C-1 and C-7 fall due tomorrow
      resolution: [0, 1, 0], // C-8 missed
      csat: [1, 2], // 5 and 3
      csatBelowTarget: true,
      inspected: [2, 2], // warehouse twice (one area-day), production at 00:05; office inactive
      findings: 2,
    });
  });

  it("this week: ISO Monday 11-23 to Sunday 11-29", async () => {
    expect(numbers(await kpisFor("week"))).toEqual({
      window: { from: "2026-11-23", to: "2026-11-29" },
      received: 3, // O-1, O-2, O-8
      completed: 6, // O-1, O-6, O-7, O-8, O-9, O-14
      // Due 11-23…29 originally: O-1 ✓, O-8 ✓ (23:59), O-9 ✗ (00:00:30 next day), O-10 ✗, O-2 and O-11 pending;
      // O-5, moved to Friday, still counts under its original 11-18.
      onTime: [2, 6, 2],
      overdue: 2,
      delayed: 3, // O-5, O-12, O-6; O-7 is exactly 5 days late
      opened: 6, // C-1, C-2, C-3, C-4, C-7, C-8
      firstResponse: [2, 6, 2], // C-1 ✓, C-3 ✓, C-4 ✗, C-8 ✗, C-2 and C-7 pending
      resolution: [2, 4, 0], // C-3 ✓, C-4 ✓, C-5 ✗ by a second, C-8 ✗; C-2 (11-30) is next week
      csat: [2, 3], // 5, 3, 4
      csatBelowTarget: true,
      inspected: [3, 8], // 2 areas × Mon–Thu; warehouse 11-24 and 11-26, production 11-26
      findings: 3,
    });
  });

  it("this month: November 1–30", async () => {
    expect(numbers(await kpisFor("month"))).toEqual({
      window: { from: "2026-11-01", to: "2026-11-30" },
      received: 10, // O-6 created 00:30 on 11-01 counts; O-15 and O-16 were October orders
      completed: 8, // the week's 6, O-15 at 00:30 on 11-01, O-16; O-13 at 23:30 on 10-31 does not
      // ✓ O-1, O-8, O-14 (early), O-15; ✗ O-5, O-6, O-7, O-9, O-10, O-16; pending O-2, O-11
      onTime: [4, 12, 2],
      overdue: 2,
      delayed: 4, // O-5, O-12, O-6, O-16
      opened: 8,
      firstResponse: [4, 8, 2], // + C-5 ✓, C-9 ✓; C-6's deadline was in October
      // C-3, C-4, C-6, C-9 ✓; C-5, C-8 ✗; C-2 pending; C-1 and C-7 (00:10 on 12-01) fall in December
      resolution: [4, 7, 1],
      csat: [3, 5], // 5, 3, 4, 2, 5
      csatBelowTarget: true,
      // 2 areas × 19 working days so far; production's Sunday round counts as done without making Sunday due.
      inspected: [5, 38],
      findings: 3, // the 10-31 23:50 finding is October's
    });
  });

  it("yesterday, for the digest: a day with no order due and every CSAT score on target", async () => {
    expect(yesterdayWindow(FIXTURE_NOW, TIMEZONE)).toEqual({ from: "2026-11-25", to: "2026-11-25" });
    expect(numbers(await kpisFor(yesterdayWindow(FIXTURE_NOW, TIMEZONE)))).toEqual({
      window: { from: "2026-11-25", to: "2026-11-25" },
      received: 0,
      completed: 1, // O-14
      onTime: [0, 0, 0],
      overdue: 2, // always as of today
      delayed: 2, // the open escalations; O-14 was early
      opened: 2, // C-2, C-3
      firstResponse: [0, 1, 0], // C-4 an hour late
      resolution: [0, 1, 0], // C-5 a second late
      csat: [1, 1],
      csatBelowTarget: false,
      inspected: [0, 2],
      findings: 0,
    });
    const kpis = await kpisFor(yesterdayWindow(FIXTURE_NOW, TIMEZONE));
    expect(kpis.orders.onTime.rate).toBeNull();
    expect(kpis.complaints.firstResponseOnTime.rate).toBe(0);
  });

  it("month to date, for the digest: deadlines after today are not in it", async () => {
    expect(monthToDateWindow(FIXTURE_NOW, TIMEZONE)).toEqual({ from: "2026-11-01", to: "2026-11-26" });
    expect(numbers(await kpisFor(monthToDateWindow(FIXTURE_NOW, TIMEZONE)))).toMatchObject({
      received: 10,
      completed: 8,
      onTime: [3, 10, 1], // the month's without O-11 (11-28) and O-14 (11-30)
      delayed: 4,
      opened: 8,
      firstResponse: [3, 6, 1], // C-2 p, C-3 ✓, C-4 ✗, C-5 ✓, C-8 ✗, C-9 ✓
      resolution: [2, 4, 0], // C-5 ✗, C-6 ✓, C-8 ✗, C-9 ✓
      csat: [3, 5],
      inspected: [5, 38],
      findings: 3,
    });
  });

  it("counts working days from the calendar, overrides included", async () => {
    const adjusted = createWorkingCalendar({
      timezone: TIMEZONE,
      overrides: new Map([
        ["2026-11-25", "off"],
        ["2026-11-22", "work"],
      ]),
    });
    const week = await kpisFor("week", FIXTURE_NOW, adjusted);
    expect(share(week.inspections.doneVsDue)).toEqual([3, 6]);
    // Sunday 11-22 became a working day, so production's round that day is a due one done.
    const month = await kpisFor("month", FIXTURE_NOW, adjusted);
    expect(share(month.inspections.doneVsDue)).toEqual([5, 38]);
  });

  it("renders today's card in Chinese with the 85 % mark, pending deadlines and no invented 0 % or 100 %", async () => {
    const card = renderKpiCard(await kpisFor("today"), "zh", { zh: "今天", en: "today" });
    expect(card.title).toBe("指标 · 今天 (2026-11-26)");
    expect(card.tone).toBe("danger");
    expect(sourceOf(card.markdown)).toBe(
      [
        "**订单**",
        "接单: 2",
        "完成: 2",
        "按期完成率: 50% (1/2, 1 未到期)",
        "当前逾期: 2",
        "延期超过 5 天: 3",
        "",
        "**投诉**",
        "新增: 2",
        "首次响应及时率: 50% (1/2, 1 未到期)",
        "解决及时率: 0% (0/1)",
        "客户满意度: 50% (1/2) ⚠ 低于目标 85%",
        "",
        "**巡检**",
        "已检/应检: 2/2 (100%)",
        "发现问题: 2",
        "",
        "**质量抽检**",
        "抽检覆盖率: —",
        "批次合格率: —",
        "",
        "**销售**",
        "咨询: 0",
        "咨询转化率: —",
        "客户反馈: 0",
        "上周完成订单回访率: —",
        "",
        "**物料盘点**",
        "盘点误差率: —",
      ].join("\n"),
    );
  });

  it("renders the week's card in English", async () => {
    const card = renderKpiCard(await kpisFor("week"), "en", { zh: "本周", en: "this week" });
    expect(card.title).toBe("KPIs · this week (2026-11-23 – 2026-11-29)");
    expect(sourceOf(card.markdown)).toBe(
      [
        "**Orders**",
        "Received: 3",
        "Completed: 6",
        "On-time completion: 33.3% (2/6, 2 not yet due)",
        "Overdue now: 2",
        "Delayed > 5 days: 3",
        "",
        "**Complaints**",
        "Opened: 6",
        "First response on time: 33.3% (2/6, 2 not yet due)",
        "Resolved on time: 50% (2/4)",
        "CSAT: 66.7% (2/3) ⚠ below the 85% target",
        "",
        "**Inspections**",
        "Done / due: 3/8 (37.5%)",
        "Findings: 3",
        "",
        "**Quality sampling**",
        "sampling coverage: —",
        "lot pass rate: —",
        "",
        "**Sales**",
        "Enquiries: 0",
        "Enquiry conversion: —",
        "Feedback: 0",
        "Call-back rate (last week's completed orders): —",
        "",
        "**Stocktake**",
        "stock error rate: —",
      ].join("\n"),
    );
  });
});

describe("windows with nothing to count", () => {
  it("shows every rate as — on a weekend with no data, in both languages", async () => {
    const weekend = { from: "2026-11-07", to: "2026-11-08" };
    const kpis = await kpisFor(weekend);
    expect(numbers(kpis)).toEqual({
      window: weekend,
      received: 0,
      completed: 0,
      onTime: [0, 0, 0],
      overdue: 0,
      delayed: 0,
      opened: 0,
      firstResponse: [0, 0, 0],
      resolution: [0, 0, 0],
      csat: [0, 0],
      csatBelowTarget: null,
      inspected: [0, 0], // no working day, so nothing due
      findings: 0,
    });
    for (const rate of [
      kpis.orders.onTime,
      kpis.complaints.firstResponseOnTime,
      kpis.complaints.resolutionOnTime,
      kpis.complaints.satisfaction,
      kpis.inspections.doneVsDue,
    ]) {
      expect(rate.rate).toBeNull();
    }
    const zh = renderKpiCard(kpis, "zh");
    expect(zh.title).toBe("指标 · 2026-11-07 – 2026-11-08");
    expect(zh.tone).toBe("info");
    expect(sourceOf(zh.markdown)).toContain("按期完成率: —\n");
    expect(sourceOf(zh.markdown)).toContain("首次响应及时率: —\n");
    expect(sourceOf(zh.markdown)).toContain("解决及时率: —\n");
    expect(sourceOf(zh.markdown)).toContain("客户满意度: — (目标 85%)");
    expect(sourceOf(zh.markdown)).toContain("已检/应检: 0/0 (—)");
    const en = renderKpiCard(kpis, "en");
    expect(sourceOf(en.markdown)).toContain("On-time completion: —\n");
    expect(sourceOf(en.markdown)).toContain("CSAT: — (target 85%)");
    // The only percentage left is the target itself.
    for (const card of [zh, en]) expect(sourceOf(card.markdown).replaceAll("85%", "")).not.toContain("%");
  });

  it("marks a window that touches a provisional year, and only such a window", async () => {
    // 2027 has no published notice: its working days (hence inspections due) follow the provisional rule.
    const spring = await kpisFor({ from: "2027-02-01", to: "2027-02-14" }, new Date("2027-02-15T02:00:00Z"));
    expect(spring.provisional).toBe(true);
    // 02-01…02-04 and 02-11, 02-12: six working days × the active areas.
    const areas = await database.db.$count(inspectionAreas, eq(inspectionAreas.active, true));
    expect(spring.inspections.doneVsDue.denominator).toBe(6 * areas);
    expect(renderKpiCard(spring, "zh", { zh: "本周", en: "this week" }).title).toBe(
      "指标 · 本周 (2027-02-01 – 2027-02-14)（暂定）",
    );
    expect(renderKpiCard(spring, "en").title).toBe("KPIs · 2027-02-01 – 2027-02-14 (provisional)");
    const lastYear = await kpisFor(
      { from: "2026-12-28", to: "2026-12-31" },
      new Date("2027-01-04T02:00:00Z"),
    );
    expect(lastYear.provisional).toBe(false);
    expect(renderKpiCard(lastYear, "en").title).toBe("KPIs · 2026-12-28 – 2026-12-31");
  });

  it("refuses a window that ends before it starts", async () => {
    await expect(kpisFor({ from: "2026-11-08", to: "2026-11-07" })).rejects.toThrow(RangeError);
  });
});

describe("the 85 % CSAT target", () => {
  /** `satisfied` scores of 5 and the rest 2, all rated this morning. */
  async function rate(satisfied: number, total: number) {
    const person = await insertPerson(database.db);
    await insertComplaints(
      database.db,
      person,
      Array.from({ length: total }, (_, index) => ({
        number: `C-${index}`,
        received: "2026-11-20T10:00",
        responseDue: "2026-11-21T10:00",
        resolutionDue: "2026-11-25T10:00",
        score: index < satisfied ? 5 : 2,
        rated: "2026-11-26T09:00",
      })),
    );
    return kpisFor("today");
  }

  it("is met at exactly 85 % (17 of 20)", async () => {
    const kpis = await rate(17, 20);
    expect(kpis.complaints.satisfaction).toMatchObject({
      numerator: 17,
      denominator: 20,
      belowTarget: false,
    });
    expect(sourceOf(renderKpiCard(kpis, "en").markdown)).toContain(
      "CSAT: 85% (17/20) ✓ meets the 85% target",
    );
    expect(sourceOf(renderKpiCard(kpis, "zh").markdown)).toContain("客户满意度: 85% (17/20) ✓ 达到目标 85%");
  });

  it("is missed at 84.2 % (16 of 19)", async () => {
    const kpis = await rate(16, 19);
    expect(kpis.complaints.satisfaction.belowTarget).toBe(true);
    expect(sourceOf(renderKpiCard(kpis, "en").markdown)).toContain(
      "CSAT: 84.2% (16/19) ⚠ below the 85% target",
    );
  });
});

describe.each(["UTC", "America/Los_Angeles"])(
  "a server whose own zone is %s, OPS_TIMEZONE Asia/Shanghai",
  (zone) => {
    const serverZone = process.env.TZ;
    beforeEach(() => {
      process.env.TZ = zone;
    });
    afterEach(() => {
      process.env.TZ = serverZone;
    });

    it("reads today at 00:30 local (16:30 UTC the day before) as the new local day", async () => {
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(zone === "UTC" ? 0 : 480);
      const person = await insertPerson(database.db);
      await insertOrders(database.db, person, [
        { number: "O-a", status: "confirmed", created: "2026-11-25T23:50", originalDue: "2026-11-30" },
        { number: "O-b", status: "confirmed", created: "2026-11-26T00:10", originalDue: "2026-11-30" },
      ]);
      await insertComplaints(database.db, person, [
        {
          number: "C-a",
          received: "2026-11-26T00:20",
          responseDue: "2026-11-27T00:20",
          resolutionDue: "2026-12-01T00:20",
        },
      ]);
      await insertInspections(database.db, person, [
        { number: "I-a", area: "warehouse", submitted: "2026-11-26T00:05", findings: ["2026-11-26T00:05"] },
      ]);
      const justAfterMidnight = shanghai("2026-11-26T00:30");
      expect(justAfterMidnight.toISOString()).toBe("2026-11-25T16:30:00.000Z");

      const today = await kpisFor("today", justAfterMidnight);
      expect(numbers(today)).toMatchObject({
        window: { from: "2026-11-26", to: "2026-11-26" },
        received: 1,
        opened: 1,
        // Done before the 10:00 cut-off: counted as done, while no area is due yet.
        inspected: [1, 0],
        findings: 1,
      });
      const yesterday = await kpisFor(yesterdayWindow(justAfterMidnight, TIMEZONE), justAfterMidnight);
      expect(numbers(yesterday)).toMatchObject({ received: 1, opened: 0, inspected: [0, 3], findings: 0 });
    });

    it("starts the week on the local Monday and the month on the local 1st just after midnight", async () => {
      const mondayAt0030 = shanghai("2026-11-23T00:30"); // Sunday 16:30 in UTC
      expect((await kpisFor("week", mondayAt0030)).window).toEqual({ from: "2026-11-23", to: "2026-11-29" });
      const decemberFirstAt0030 = shanghai("2026-12-01T00:30"); // still 11-30 in UTC
      expect((await kpisFor("month", decemberFirstAt0030)).window).toEqual({
        from: "2026-12-01",
        to: "2026-12-31",
      });
      expect(monthToDateWindow(decemberFirstAt0030, TIMEZONE)).toEqual({
        from: "2026-12-01",
        to: "2026-12-01",
      });
    });
  },
);

// DESIGN §1's provisional year by law: 2027 pinned, 2025 and 2026 checked against their published notices,
// and the precedence override → published notice → provisional rule, with an injected newer data set.
import { describe, expect, it } from "vitest";
import {
  createPublishedChinaCalendar,
  INSTALLED_CHINA_CALENDAR,
} from "../../../src/domain/calendar/china-holidays.ts";
import { addDays, isoWeekday, type LocalDate } from "../../../src/domain/calendar/local-time.ts";
import { provisionalDaysOff } from "../../../src/domain/calendar/provisional-holidays.ts";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";

function daysOf(year: number): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = `${year}-01-01`; day <= `${year}-12-31`; day = addDays(day, 1)) days.push(day);
  return days;
}

const describeRule = (year: number) =>
  [...provisionalDaysOff(year)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, off]) => `${day} ${off.holiday.zh}${off.inLieu ? " 补假" : ""}`);

describe("the provisional rule by law", () => {
  it("pins 2027: the seven holidays from the lunar calendar and solar terms, with days in lieu", () => {
    expect(describeRule(2027)).toEqual([
      "2027-01-01 元旦",
      "2027-02-05 春节",
      "2027-02-06 春节",
      "2027-02-07 春节",
      "2027-02-08 春节",
      "2027-02-09 春节 补假",
      "2027-02-10 春节 补假",
      "2027-04-05 清明",
      "2027-05-01 劳动节",
      "2027-05-02 劳动节",
      "2027-05-03 劳动节 补假",
      "2027-05-04 劳动节 补假",
      "2027-06-09 端午",
      "2027-09-15 中秋",
      "2027-10-01 国庆节",
      "2027-10-02 国庆节",
      "2027-10-03 国庆节",
      "2027-10-04 国庆节 补假",
      "2027-10-05 国庆节 补假",
    ]);
    expect(isoWeekday("2027-01-01")).toBe(5);
  });

  it("guesses no make-up workday: every weekend of 2027 not in the rule stays off", () => {
    const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai" });
    const workingWeekends = daysOf(2027).filter(
      (day) => isoWeekday(day) >= 6 && calendar.isWorkingDay(day).working,
    );
    expect(workingWeekends).toEqual([]);
  });

  // What the law explains must be off in the notice; what the notice added on top is listed as the known difference.
  const published = {
    2025: {
      bridgeDaysOff: ["2025-02-03", "2025-02-04", "2025-05-05", "2025-10-07", "2025-10-08"],
      makeUpWorkdays: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
      bridgeDaysOff: ["2026-01-02", "2026-02-20", "2026-02-23", "2026-05-05", "2026-10-06", "2026-10-07"],
      makeUpWorkdays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
  } as const;

  for (const year of [2025, 2026] as const) {
    it(`${year} by the rule agrees with the published notice; the notice only adds bridge days and make-up workdays`, () => {
      const rule = provisionalDaysOff(year);
      const notice = (day: LocalDate) => INSTALLED_CHINA_CALENDAR.statutoryDay(day)?.kind;
      const days = daysOf(year);
      expect([...rule.keys()].filter((day) => notice(day) !== "off")).toEqual([]);
      expect(days.filter((day) => notice(day) === "off" && !rule.has(day) && isoWeekday(day) <= 5)).toEqual(
        published[year].bridgeDaysOff,
      );
      expect(days.filter((day) => notice(day) === "work")).toEqual(published[year].makeUpWorkdays);
    });
  }
});

describe("the calendar on a provisional year", () => {
  const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai" });

  it("names the holiday, the day in lieu, and marks every day of the year provisional", () => {
    expect(calendar.isWorkingDay("2027-02-05")).toEqual({
      working: false,
      provisional: true,
      reason: "holiday",
      holiday: { zh: "春节", en: "Spring Festival" },
    });
    expect(calendar.isWorkingDay("2027-02-10")).toMatchObject({ working: false, reason: "in_lieu" });
    expect(calendar.isWorkingDay("2027-02-11")).toEqual({
      working: true,
      provisional: true,
      reason: "weekday",
    });
    expect(calendar.isWorkingDay("2027-01-01")).toMatchObject({ working: false, provisional: true });
  });

  it("a complaint of Thu 2027-02-04 10:00 is due Mon 02-15 10:00 (春节 and its days in lieu skipped), provisional", () => {
    const received = new Date("2027-02-04T10:00:00+08:00");
    expect(calendar.addWorkingDays(received, 3)).toEqual({
      due: new Date("2027-02-15T10:00:00+08:00"),
      provisional: true,
    });
  });
});

describe("precedence: company override, then published notice, then the provisional rule", () => {
  // A newer data file carrying 2027, as a later chinese-days release would: 春节 02-05…02-11, make-up 02-14.
  const newer = createPublishedChinaCalendar({
    holidays: {
      "2026-10-01": "National Day,国庆节,3",
      ...Object.fromEntries(
        [
          "2027-02-05",
          "2027-02-06",
          "2027-02-07",
          "2027-02-08",
          "2027-02-09",
          "2027-02-10",
          "2027-02-11",
        ].map((day) => [day, "Spring Festival,春节,4"]),
      ),
    },
    workdays: { "2027-02-14": "Spring Festival,春节,4" },
  });

  it("the published year replaces the rule with no migration: no longer provisional, the notice's days count", () => {
    const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai", published: newer });
    expect(calendar.isWorkingDay("2027-02-11")).toMatchObject({
      working: false,
      provisional: false,
      reason: "holiday",
    });
    expect(calendar.isWorkingDay("2027-02-14")).toMatchObject({
      working: true,
      provisional: false,
      reason: "make_up_workday",
    });
    // The rule's 清明 is not in this notice: the notice wins, 04-05 is a plain Monday.
    expect(calendar.isWorkingDay("2027-04-05")).toEqual({
      working: true,
      provisional: false,
      reason: "weekday",
    });
    expect(createWorkingCalendar({ timezone: "Asia/Shanghai" }).isWorkingDay("2027-04-05")).toMatchObject({
      working: false,
      provisional: true,
    });
  });

  it("a company override wins over both", () => {
    const overrides = new Map([
      ["2027-02-11", "work"],
      ["2027-04-05", "work"],
    ] as const);
    const withNotice = createWorkingCalendar({ timezone: "Asia/Shanghai", published: newer, overrides });
    const withRule = createWorkingCalendar({ timezone: "Asia/Shanghai", overrides });
    expect(withNotice.isWorkingDay("2027-02-11")).toEqual({
      working: true,
      provisional: false,
      reason: "override",
    });
    expect(withRule.isWorkingDay("2027-04-05")).toEqual({
      working: true,
      provisional: false,
      reason: "override",
    });
  });
});

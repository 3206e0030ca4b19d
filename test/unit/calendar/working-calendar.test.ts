// The working-day calendar: DESIGN's 3-working-day clock, provisional years, overrides, DST, working hours.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHINA_CALENDAR_YEARS } from "../../../src/domain/calendar/china-holidays.ts";
import {
  instantAt,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
} from "../../../src/domain/calendar/local-time.ts";
import {
  type CalendarOverrideKind,
  createWorkingCalendar,
  type WorkingCalendar,
} from "../../../src/domain/calendar/working-calendar.ts";

const shanghai = createWorkingCalendar({ timezone: "Asia/Shanghai" });

/** An instant written as Shanghai local time. */
const cst = (local: string) => new Date(`${local}+08:00`);

function withOverrides(entries: [LocalDate, CalendarOverrideKind][], timezone = "Asia/Shanghai") {
  return createWorkingCalendar({ timezone, overrides: new Map(entries) });
}

describe("addWorkingDays: DESIGN's resolution clock (3 working days)", () => {
  it("received Wed 2026-09-30 10:00 → due Sat 2026-10-10 10:00, a make-up workday", () => {
    expect(shanghai.addWorkingDays(cst("2026-09-30T10:00"), 3)).toEqual({
      due: cst("2026-10-10T10:00"),
      provisional: false,
    });
  });

  it("matches the reference table: 2026-02-13 → 02-25 and 2026-04-30 → 05-08", () => {
    expect(shanghai.addWorkingDays(cst("2026-02-13T09:15"), 3).due).toEqual(cst("2026-02-25T09:15"));
    expect(shanghai.addWorkingDays(cst("2026-04-30T16:45"), 3).due).toEqual(cst("2026-05-08T16:45"));
  });

  it("counts the make-up Saturday 2026-02-14 as a working receipt day (clock starts at once)", () => {
    expect(shanghai.isWorkingDay("2026-02-14")).toMatchObject({ working: true, provisional: false });
    // Spring Festival 02-15…02-23 is off: 02-24 (1), 02-25 (2), 02-26 (3).
    expect(shanghai.addWorkingDays(cst("2026-02-14T10:00"), 3).due).toEqual(cst("2026-02-26T10:00"));
    expect(shanghai.addWorkingDays(cst("2026-02-14T10:00"), 0).due).toEqual(cst("2026-02-14T10:00"));
  });

  it("received on a holiday: the clock starts 00:00 of the next working day (2026-10-08), due 10-12 00:00", () => {
    const received = cst("2026-10-03T15:00");
    expect(shanghai.addWorkingDays(received, 0).due).toEqual(cst("2026-10-08T00:00"));
    // 10-09 (1), Sat 10-10 make-up (2), Sun 10-11 off, Mon 10-12 (3).
    expect(shanghai.addWorkingDays(received, 3).due).toEqual(cst("2026-10-12T00:00"));
  });

  it("received Friday evening: Friday counts, the weekend does not", () => {
    expect(shanghai.addWorkingDays(cst("2026-11-20T19:30"), 3).due).toEqual(cst("2026-11-25T19:30"));
    // Before Qingming (04-04…04-06 off): 04-07, 04-08, 04-09.
    expect(shanghai.addWorkingDays(cst("2026-04-03T18:00"), 3).due).toEqual(cst("2026-04-09T18:00"));
  });

  it("received on a plain Sunday evening: starts Monday 00:00", () => {
    expect(shanghai.addWorkingDays(cst("2026-11-22T21:00"), 3).due).toEqual(cst("2026-11-26T00:00"));
  });

  it("places the 75 % warning three quarters of the way through working time (2.25 working days)", () => {
    // 09-30 has 14 h left, 10-08 gives 24 h, then 16 h of 10-09: 54 h = 2.25 × 24 h.
    expect(shanghai.addWorkingDays(cst("2026-09-30T10:00"), 2.25).due).toEqual(cst("2026-10-09T16:00"));
  });

  it("follows DESIGN's day-stepping rule literally for any receipt time and whole number of days", () => {
    const overrides = withOverrides([
      ["2026-11-24", "off"],
      ["2026-11-29", "work"],
    ]);
    for (const calendar of [shanghai, overrides, createWorkingCalendar({ timezone: "Europe/Berlin" })]) {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2026, 11, 20) }),
          fc.integer({ min: 0, max: 8 }),
          (epochMs, days) => {
            const received = new Date(epochMs);
            expect(calendar.addWorkingDays(received, days).due).toEqual(designRule(calendar, received, days));
          },
        ),
      );
    }
  });

  it("rejects a negative or non-finite number of days", () => {
    expect(() => shanghai.addWorkingDays(cst("2026-09-30T10:00"), -1)).toThrow(RangeError);
    expect(() => shanghai.addWorkingDays(cst("2026-09-30T10:00"), Number.NaN)).toThrow(RangeError);
  });
});

/** DESIGN §1 written out step by step, as the oracle for the time-spending implementation. */
function designRule(calendar: WorkingCalendar, received: Date, days: number): Date {
  const zone = calendar.timezone;
  let day = localDateOf(received, zone);
  let timeOfDay = localTimeOfDay(received, zone);
  if (!calendar.isWorkingDay(day).working) {
    day = calendar.nextWorkingDay(day).day;
    timeOfDay = 0;
  }
  for (let step = 0; step < days; step += 1) day = calendar.nextWorkingDay(day).day;
  return instantAt(day, timeOfDay, zone);
}

describe("years without published data", () => {
  it("uses Monday–Friday and the law's holidays, and says so (2031)", () => {
    expect(shanghai.isWorkingDay("2031-03-07")).toEqual({
      working: true,
      provisional: true,
      reason: "weekday",
    });
    expect(shanghai.isWorkingDay("2031-03-08")).toEqual({
      working: false,
      provisional: true,
      reason: "weekend",
    });
    // New Year's Day will surely be off, but no notice says so yet: the weekday rule answers.
    expect(shanghai.isWorkingDay("2031-01-01")).toMatchObject({
      working: false,
      provisional: true,
      reason: "holiday",
    });
    expect(shanghai.addWorkingDays(cst("2031-03-07T19:00"), 3)).toEqual({
      due: cst("2031-03-12T19:00"),
      provisional: true,
    });
  });

  it("flags a deadline that runs past the data horizon, and not one that stays inside", () => {
    const last = CHINA_CALENDAR_YEARS.last;
    expect(shanghai.addWorkingDays(cst(`${last}-12-31T10:00`), 5).provisional).toBe(true);
    expect(shanghai.addWorkingDays(cst(`${last}-06-01T10:00`), 3).provisional).toBe(false);
    expect(shanghai.isWorkingDay(`${last}-06-01`).provisional).toBe(false);
  });

  it("is not provisional on a day an admin has decided", () => {
    const calendar = withOverrides([["2031-01-01", "off"]]);
    expect(calendar.isWorkingDay("2031-01-01")).toEqual({
      working: false,
      provisional: false,
      reason: "override",
    });
  });
});

describe("overrides win over the statutory data", () => {
  it("an extra day off on a normal Tuesday pushes the deadline a day", () => {
    const calendar = withOverrides([["2026-11-24", "off"]]);
    expect(calendar.isWorkingDay("2026-11-24")).toEqual({
      working: false,
      provisional: false,
      reason: "override",
    });
    expect(calendar.addWorkingDays(cst("2026-11-20T19:30"), 3).due).toEqual(cst("2026-11-26T19:30"));
  });

  it("a working Sunday pulls it in", () => {
    const calendar = withOverrides([["2026-11-22", "work"]]);
    expect(calendar.addWorkingDays(cst("2026-11-20T19:30"), 3).due).toEqual(cst("2026-11-24T19:30"));
    // Received on that Sunday, the clock starts at once.
    expect(calendar.addWorkingDays(cst("2026-11-22T09:00"), 0).due).toEqual(cst("2026-11-22T09:00"));
  });

  it("can cancel a statutory holiday or a make-up workday", () => {
    const holidayWorked = withOverrides([["2026-10-05", "work"]]);
    expect(holidayWorked.addWorkingDays(cst("2026-09-30T10:00"), 3).due).toEqual(cst("2026-10-09T10:00"));
    const makeUpCancelled = withOverrides([["2026-10-10", "off"]]);
    expect(makeUpCancelled.addWorkingDays(cst("2026-09-30T10:00"), 3).due).toEqual(cst("2026-10-12T10:00"));
  });

  it("is a snapshot: changing the caller's map later changes nothing", () => {
    const overrides = new Map<LocalDate, CalendarOverrideKind>([["2026-11-24", "off"]]);
    const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai", overrides });
    overrides.set("2026-11-24", "work");
    expect(calendar.isWorkingDay("2026-11-24").working).toBe(false);
  });
});

describe("a DST zone as OPS_TIMEZONE (Europe/Berlin) keeps the local time of day", () => {
  const berlin = createWorkingCalendar({ timezone: "Europe/Berlin" });

  it("over the spring jump: Fri 10:00 CET → Mon 10:00 CEST", () => {
    expect(berlin.addWorkingDays(new Date("2026-03-27T09:00:00Z"), 1).due.toISOString()).toBe(
      "2026-03-30T08:00:00.000Z",
    );
  });

  it("over the autumn fall-back: Fri 10:00 CEST → Mon 10:00 CET", () => {
    expect(berlin.addWorkingDays(new Date("2026-10-23T08:00:00Z"), 1).due.toISOString()).toBe(
      "2026-10-26T09:00:00.000Z",
    );
  });

  it("on a worked DST Sunday: starts at local midnight and counts wall-clock time", () => {
    const calendar = withOverrides([["2026-03-29", "work"]], "Europe/Berlin");
    const saturday = new Date("2026-03-28T14:00:00Z");
    expect(calendar.addWorkingDays(saturday, 0).due.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    // Half a working day is 12:00 local, although only 11 real hours have passed that morning.
    expect(calendar.addWorkingDays(saturday, 0.5).due.toISOString()).toBe("2026-03-29T10:00:00.000Z");
    expect(calendar.addWorkingDays(saturday, 1).due.toISOString()).toBe("2026-03-29T22:00:00.000Z");
  });

  it("reads the day in Berlin, not in China: 2026-10-01 00:30 Berlin is the holiday", () => {
    const instant = new Date("2026-09-30T22:30:00Z");
    expect(berlin.addWorkingDays(instant, 0).due.toISOString()).toBe("2026-10-07T22:00:00.000Z");
  });
});

describe("working-day queries", () => {
  it("nextWorkingDay skips holidays and finds make-up days", () => {
    expect(shanghai.nextWorkingDay("2026-09-30")).toEqual({ day: "2026-10-08", provisional: false });
    expect(shanghai.nextWorkingDay("2026-10-09")).toEqual({ day: "2026-10-10", provisional: false });
    expect(shanghai.nextWorkingDay("2031-03-07")).toEqual({ day: "2031-03-10", provisional: true });
  });

  it("workingDaysBetween counts (from, to], signed", () => {
    expect(shanghai.workingDaysBetween("2026-09-30", "2026-10-10")).toEqual({ days: 3, provisional: false });
    expect(shanghai.workingDaysBetween("2026-10-10", "2026-09-30")).toEqual({ days: -3, provisional: false });
    expect(shanghai.workingDaysBetween("2026-10-03", "2026-10-03")).toEqual({ days: 0, provisional: false });
    expect(shanghai.workingDaysBetween("2031-03-06", "2031-03-10")).toEqual({ days: 2, provisional: true });
  });

  it("rejects malformed dates instead of looping", () => {
    expect(() => shanghai.isWorkingDay("2026-10-32")).toThrow(RangeError);
    expect(() => shanghai.nextWorkingDay("30/09/2026")).toThrow(RangeError);
    expect(() => shanghai.workingDaysBetween("2026-09-30", "soon")).toThrow(RangeError);
  });

  it("rejects an unknown time zone or an empty working window", () => {
    expect(() => createWorkingCalendar({ timezone: "Asia/Shang_Hai" })).toThrow(RangeError);
    expect(() =>
      createWorkingCalendar({ timezone: "Asia/Shanghai", workingHours: { start: "20:00", end: "08:00" } }),
    ).toThrow(RangeError);
  });
});

describe("working hours (08:00–20:00 on working days): alert repeats and quiet hours", () => {
  it("isWithinWorkingHours is [08:00, 20:00) on working days only", () => {
    expect(shanghai.isWithinWorkingHours(cst("2026-09-30T07:59:59"))).toBe(false);
    expect(shanghai.isWithinWorkingHours(cst("2026-09-30T08:00"))).toBe(true);
    expect(shanghai.isWithinWorkingHours(cst("2026-09-30T19:59:59"))).toBe(true);
    expect(shanghai.isWithinWorkingHours(cst("2026-09-30T20:00"))).toBe(false);
    expect(shanghai.isWithinWorkingHours(cst("2026-10-10T10:00"))).toBe(true); // make-up Saturday
    expect(shanghai.isWithinWorkingHours(cst("2026-10-17T10:00"))).toBe(false); // plain Saturday
    expect(shanghai.isWithinWorkingHours(cst("2026-10-03T10:00"))).toBe(false); // National Day
  });

  it("addWorkingHours repeats every 4 working hours, carrying over nights and holidays", () => {
    expect(shanghai.addWorkingHours(cst("2026-09-30T10:00"), 4).due).toEqual(cst("2026-09-30T14:00"));
    expect(shanghai.addWorkingHours(cst("2026-09-30T18:00"), 4).due).toEqual(cst("2026-10-08T10:00"));
    expect(shanghai.addWorkingHours(cst("2026-09-29T23:00"), 4).due).toEqual(cst("2026-09-30T12:00"));
    expect(shanghai.addWorkingHours(cst("2026-09-30T10:00"), 0.5).due).toEqual(cst("2026-09-30T10:30"));
  });

  it("never lands outside the window: ending exactly at 20:00 moves to the next window's start", () => {
    expect(shanghai.addWorkingHours(cst("2026-09-30T16:00"), 4).due).toEqual(cst("2026-10-08T08:00"));
  });

  it("addWorkingHours(at, 0) is the next moment inside working hours (release held alerts)", () => {
    expect(shanghai.addWorkingHours(cst("2026-10-03T15:00"), 0).due).toEqual(cst("2026-10-08T08:00"));
    expect(shanghai.addWorkingHours(cst("2026-09-30T11:11"), 0).due).toEqual(cst("2026-09-30T11:11"));
    expect(shanghai.addWorkingHours(cst("2031-03-07T21:00"), 0)).toEqual({
      due: cst("2031-03-10T08:00"),
      provisional: true,
    });
  });

  it("takes another window", () => {
    const office = createWorkingCalendar({
      timezone: "Asia/Shanghai",
      workingHours: { start: "09:00", end: "18:00" },
    });
    expect(office.isWithinWorkingHours(cst("2026-09-30T08:30"))).toBe(false);
    expect(office.addWorkingHours(cst("2026-09-30T17:00"), 4).due).toEqual(cst("2026-10-08T12:00"));
  });
});

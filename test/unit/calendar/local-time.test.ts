// Local dates, times of day and instants in a named zone, including DST gaps and overlaps.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  assertTimeZone,
  calendarDaysBetween,
  HOUR_MS,
  instantAt,
  isLocalDate,
  isoWeekday,
  localDateOf,
  localTimeOfDay,
  MINUTE_MS,
  parseTimeOfDay,
  startOfLocalDay,
} from "../../../src/domain/calendar/local-time.ts";

const SHANGHAI = "Asia/Shanghai";
const BERLIN = "Europe/Berlin";

describe("localDateOf and localTimeOfDay", () => {
  it("reads the business zone's date, not UTC's, around midnight", () => {
    const justAfterMidnight = new Date("2026-09-30T16:30:00Z"); // 2026-10-01 00:30 in Shanghai
    expect(localDateOf(justAfterMidnight, SHANGHAI)).toBe("2026-10-01");
    expect(localDateOf(justAfterMidnight, "UTC")).toBe("2026-09-30");
    expect(localTimeOfDay(justAfterMidnight, SHANGHAI)).toBe(30 * MINUTE_MS);
    expect(localDateOf(new Date("2026-10-01T06:59:59.999Z"), "America/Los_Angeles")).toBe("2026-09-30");
  });

  it("keeps milliseconds", () => {
    expect(localTimeOfDay(new Date("2026-05-01T01:02:03.456Z"), SHANGHAI)).toBe(
      9 * HOUR_MS + 2 * MINUTE_MS + 3_456,
    );
  });

  it("follows Berlin's offset across DST", () => {
    expect(localTimeOfDay(new Date("2026-03-29T00:59:00Z"), BERLIN)).toBe(1 * HOUR_MS + 59 * MINUTE_MS);
    expect(localTimeOfDay(new Date("2026-03-29T01:00:00Z"), BERLIN)).toBe(3 * HOUR_MS);
    expect(localTimeOfDay(new Date("2026-10-25T00:30:00Z"), BERLIN)).toBe(2.5 * HOUR_MS);
    expect(localTimeOfDay(new Date("2026-10-25T01:30:00Z"), BERLIN)).toBe(2.5 * HOUR_MS);
  });

  it("agrees with Shanghai's fixed UTC+8 (no DST since 1991) for any instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (epochMs) => {
        const shifted = new Date(epochMs + 8 * HOUR_MS);
        const instant = new Date(epochMs);
        expect(localDateOf(instant, SHANGHAI)).toBe(shifted.toISOString().slice(0, 10));
        expect(localTimeOfDay(instant, SHANGHAI)).toBe(
          epochMs + 8 * HOUR_MS - Date.parse(shifted.toISOString().slice(0, 10)),
        );
      }),
    );
  });

  it("rejects an invalid Date instead of inventing a day", () => {
    expect(() => localDateOf(new Date(Number.NaN), SHANGHAI)).toThrow(RangeError);
  });
});

describe("instantAt", () => {
  it("turns a local date and time into the instant, in a fixed-offset zone", () => {
    expect(instantAt("2026-10-10", 10 * HOUR_MS, SHANGHAI).toISOString()).toBe("2026-10-10T02:00:00.000Z");
    expect(startOfLocalDay("2026-10-09", SHANGHAI).toISOString()).toBe("2026-10-08T16:00:00.000Z");
  });

  it("uses the offset in force on that day in a DST zone", () => {
    expect(instantAt("2026-03-27", 10 * HOUR_MS, BERLIN).toISOString()).toBe("2026-03-27T09:00:00.000Z");
    expect(instantAt("2026-03-30", 10 * HOUR_MS, BERLIN).toISOString()).toBe("2026-03-30T08:00:00.000Z");
    expect(startOfLocalDay("2026-10-26", BERLIN).toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("moves a time skipped by the spring jump forward by the jump (02:30 → 03:30 CEST)", () => {
    expect(instantAt("2026-03-29", 2.5 * HOUR_MS, BERLIN).toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });

  it("takes the earlier of a repeated autumn time (02:30 CEST, not 02:30 CET)", () => {
    expect(instantAt("2026-10-25", 2.5 * HOUR_MS, BERLIN).toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("round-trips the wall clock of any instant in several zones", () => {
    const zones = [SHANGHAI, BERLIN, "America/Los_Angeles", "Australia/Lord_Howe", "UTC"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...zones),
        (epochMs, zone) => {
          const instant = new Date(epochMs);
          const back = instantAt(localDateOf(instant, zone), localTimeOfDay(instant, zone), zone);
          expect(localDateOf(back, zone)).toBe(localDateOf(instant, zone));
          expect(localTimeOfDay(back, zone)).toBe(localTimeOfDay(instant, zone));
          // Only a repeated (autumn) hour may map to an earlier instant, and by less than a day.
          expect(epochMs - back.getTime()).toBeGreaterThanOrEqual(0);
          expect(epochMs - back.getTime()).toBeLessThan(2 * HOUR_MS);
        },
      ),
    );
  });
});

describe("plain date arithmetic", () => {
  it("adds days across months, leap days and years", () => {
    expect(addDays("2026-09-30", 1)).toBe("2026-10-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(calendarDaysBetween("2026-09-30", "2026-10-10")).toBe(10);
    expect(calendarDaysBetween("2026-10-10", "2026-09-30")).toBe(-10);
  });

  it("gives the ISO weekday", () => {
    expect(isoWeekday("2026-09-30")).toBe(3); // Wednesday
    expect(isoWeekday("2026-10-10")).toBe(6); // Saturday
    expect(isoWeekday("2026-10-11")).toBe(7); // Sunday
    expect(isoWeekday("2026-10-12")).toBe(1); // Monday
  });

  it("accepts only real YYYY-MM-DD dates", () => {
    expect(isLocalDate("2026-02-28")).toBe(true);
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2026-02-29")).toBe(false);
    expect(isLocalDate("2026-2-8")).toBe(false);
    expect(isLocalDate("2026-10-10T00:00")).toBe(false);
    expect(() => instantAt("2026-13-01", 0, SHANGHAI)).toThrow(RangeError);
  });

  it("parses HH:MM times of day", () => {
    expect(parseTimeOfDay("08:00")).toBe(8 * HOUR_MS);
    expect(parseTimeOfDay("20:30")).toBe(20.5 * HOUR_MS);
    expect(parseTimeOfDay("24:00")).toBe(24 * HOUR_MS);
    for (const bad of ["8:00", "24:01", "12:60", "noon"])
      expect(() => parseTimeOfDay(bad)).toThrow(RangeError);
  });

  it("rejects an unknown time zone", () => {
    expect(assertTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(() => assertTimeZone("Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

// The statutory data read from chinese-days: its horizon, the 2026 notice, and agreement with the package's own API.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CHINA_CALENDAR_YEARS,
  chinaStatutoryDay,
  isChinaCalendarPublished,
} from "../../../src/domain/calendar/china-holidays.ts";
import { addDays, isoWeekday } from "../../../src/domain/calendar/local-time.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

describe("China statutory calendar data", () => {
  it("covers 2004 through at least 2026, and nothing after its last year", () => {
    expect(CHINA_CALENDAR_YEARS.first).toBe(2004);
    expect(CHINA_CALENDAR_YEARS.last).toBeGreaterThanOrEqual(2026);
    const last = CHINA_CALENDAR_YEARS.last;
    expect(isChinaCalendarPublished(`${last}-12-31`)).toBe(true);
    expect(isChinaCalendarPublished(`${last + 1}-01-01`)).toBe(false);
    expect(isChinaCalendarPublished("2003-12-31")).toBe(false);
    expect(
      daysOf(`${last + 1}-01-01`, `${last + 1}-12-31`)
        .map(chinaStatutoryDay)
        .filter(Boolean),
    ).toEqual([]);
  });

  it("matches the State Council's 2026 notice of 2025-11-04 (as confirmed in workalendar#786)", () => {
    const year = daysOf("2026-01-01", "2026-12-31");
    const off = [
      ...daysOf("2026-01-01", "2026-01-03"),
      ...daysOf("2026-02-15", "2026-02-23"),
      ...daysOf("2026-04-04", "2026-04-06"),
      ...daysOf("2026-05-01", "2026-05-05"),
      ...daysOf("2026-06-19", "2026-06-21"),
      ...daysOf("2026-09-25", "2026-09-27"),
      ...daysOf("2026-10-01", "2026-10-07"),
    ];
    const makeUpWorkdays = [
      "2026-01-04",
      "2026-02-14",
      "2026-02-28",
      "2026-05-09",
      "2026-09-20",
      "2026-10-10",
    ];
    expect(year.filter((day) => chinaStatutoryDay(day) === "off")).toEqual(off);
    expect(year.filter((day) => chinaStatutoryDay(day) === "work")).toEqual(makeUpWorkdays);
  });

  it("agrees day by day with the package's own isWorkday, loaded where that is reliable (process in UTC)", async () => {
    // The package reads dates with the process's local clock, also when it builds its tables at import;
    // in UTC that clock shows the date itself, so import it afresh only after switching the zone.
    vi.stubEnv("TZ", "UTC");
    expect(new Date(Date.UTC(2026, 9, 1)).getHours()).toBe(0);
    vi.resetModules();
    const { default: chineseDays } = await import("chinese-days");
    const days = daysOf(`${CHINA_CALENDAR_YEARS.first}-01-01`, `${CHINA_CALENDAR_YEARS.last}-12-31`);
    const disagreements = days.filter((day) => {
      const working = (chinaStatutoryDay(day) ?? (isoWeekday(day) <= 5 ? "work" : "off")) === "work";
      return working !== chineseDays.isWorkday(day);
    });
    expect(days.length).toBeGreaterThan(8000);
    expect(disagreements).toEqual([]);
  });
});

// Mainland-China statutory holidays and make-up workdays (调休上班), from the data file chinese-days publishes.
//
// Why the JSON and not the package's functions: its functions format dates with the process's local
// clock, and even build their lookup tables that way, so on a server west of UTC (TZ=America/Los_Angeles)
// every answer is shifted by a day (getDayDetail("2026-10-08").date === "2026-10-07"). The JSON is keyed
// by plain `YYYY-MM-DD` strings and is the same data, documented in the package README for direct use.
import data from "chinese-days/dist/chinese-days.json" with { type: "json" };
import type { LocalDate } from "./local-time.ts";

interface ChineseDaysData {
  /** Days off: statutory holidays and the weekdays swapped into them. */
  holidays: Record<LocalDate, string>;
  /** Make-up workdays, usually a Saturday or Sunday next to a holiday. */
  workdays: Record<LocalDate, string>;
}

const { holidays, workdays } = data as ChineseDaysData;

const publishedYears = [...Object.keys(holidays), ...Object.keys(workdays)].map((day) =>
  Number(day.slice(0, 4)),
);

/** The years the State Council notices in the installed package cover (2004–2026 in chinese-days 1.5.7). */
export const CHINA_CALENDAR_YEARS = {
  first: Math.min(...publishedYears),
  last: Math.max(...publishedYears),
} as const;

export function isChinaCalendarPublished(day: LocalDate): boolean {
  const year = Number(day.slice(0, 4));
  return year >= CHINA_CALENDAR_YEARS.first && year <= CHINA_CALENDAR_YEARS.last;
}

/** "work" for a make-up workday, "off" for a holiday, undefined for a day the notices leave to the weekday rule. */
export function chinaStatutoryDay(day: LocalDate): "work" | "off" | undefined {
  if (Object.hasOwn(workdays, day)) return "work";
  if (Object.hasOwn(holidays, day)) return "off";
  return undefined;
}

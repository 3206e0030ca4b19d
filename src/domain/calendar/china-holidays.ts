// Mainland-China statutory holidays and make-up workdays (调休上班), from the data file chinese-days publishes.
//
// Why the JSON and not the package's functions: its functions format dates with the process's local
// clock, and even build their lookup tables that way, so on a server west of UTC (TZ=America/Los_Angeles)
// every answer is shifted by a day (getDayDetail("2026-10-08").date === "2026-10-07"). The JSON is keyed
// by plain `YYYY-MM-DD` strings and is the same data, documented in the package README for direct use.
import data from "chinese-days/dist/chinese-days.json" with { type: "json" };
import type { LocalDate } from "./local-time.ts";

/** The shape of chinese-days' data file; values read "Spring Festival,春节,4". */
export interface ChinaCalendarData {
  /** Days off: statutory holidays and the weekdays swapped into them. */
  holidays: Record<LocalDate, string>;
  /** Make-up workdays, usually a Saturday or Sunday next to a holiday. */
  workdays: Record<LocalDate, string>;
  /** The days off among `holidays` given in lieu of a weekend or swapped for a make-up workday. */
  inLieuDays?: Record<LocalDate, string>;
}

/** A day the holiday calendar decides, with the holiday it belongs to. */
export interface StatutoryDay {
  kind: "work" | "off";
  holiday: { zh: string; en: string };
  /** A day off given in lieu (补假 or a swapped weekday), not a statutory day itself. */
  inLieu: boolean;
}

/** One source of published notices: the installed package's data, or a data set a test injects. */
export interface PublishedChinaCalendar {
  readonly years: { readonly first: number; readonly last: number };
  isPublished(day: LocalDate): boolean;
  /** The notice's answer for a day, or undefined for a day it leaves to the weekday rule. */
  statutoryDay(day: LocalDate): StatutoryDay | undefined;
}

function holidayName(entry: string): StatutoryDay["holiday"] {
  const [en = entry, zh = en] = entry.split(",");
  return { zh, en };
}

export function createPublishedChinaCalendar(source: ChinaCalendarData): PublishedChinaCalendar {
  const { holidays, workdays, inLieuDays = {} } = source;
  const publishedYears = [...Object.keys(holidays), ...Object.keys(workdays)].map((day) =>
    Number(day.slice(0, 4)),
  );
  const years = { first: Math.min(...publishedYears), last: Math.max(...publishedYears) };
  return {
    years,
    isPublished(day) {
      const year = Number(day.slice(0, 4));
      return year >= years.first && year <= years.last;
    },
    statutoryDay(day) {
      const work = workdays[day];
      if (Object.hasOwn(workdays, day) && work !== undefined)
        return { kind: "work", holiday: holidayName(work), inLieu: false };
      const off = holidays[day];
      if (Object.hasOwn(holidays, day) && off !== undefined)
        return { kind: "off", holiday: holidayName(off), inLieu: Object.hasOwn(inLieuDays, day) };
      return undefined;
    },
  };
}

/** The notices of the installed chinese-days; `npm install chinese-days@latest` brings newer years. */
export const INSTALLED_CHINA_CALENDAR = createPublishedChinaCalendar(data as ChinaCalendarData);

/** The years the State Council notices in the installed package cover (2004–2026 in chinese-days 1.5.7). */
export const CHINA_CALENDAR_YEARS = INSTALLED_CHINA_CALENDAR.years;

export function isChinaCalendarPublished(day: LocalDate): boolean {
  return INSTALLED_CHINA_CALENDAR.isPublished(day);
}

/** "work" for a make-up workday, "off" for a holiday, undefined for a day the notices leave to the weekday rule. */
export function chinaStatutoryDay(day: LocalDate): "work" | "off" | undefined {
  return INSTALLED_CHINA_CALENDAR.statutoryDay(day)?.kind;
}

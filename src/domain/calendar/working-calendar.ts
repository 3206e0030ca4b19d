// The working-day calendar of DESIGN §1: company overrides, then the published notices, then the provisional
// rule by law for a year without a notice, then Monday–Friday; in OPS_TIMEZONE.
import {
  INSTALLED_CHINA_CALENDAR,
  type PublishedChinaCalendar,
  type StatutoryDay,
} from "./china-holidays.ts";
import {
  addDays,
  assertLocalDate,
  assertTimeZone,
  DAY_MS,
  HOUR_MS,
  instantAt,
  isoWeekday,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
  parseTimeOfDay,
} from "./local-time.ts";
import { provisionalStatutoryDay } from "./provisional-holidays.ts";

export type CalendarOverrideKind = "off" | "work";

/** Why a day is or is not a working day, most specific first. */
export type DayReason = "override" | "holiday" | "in_lieu" | "make_up_workday" | "weekend" | "weekday";

export interface DayStatus {
  working: boolean;
  /** The year has no published State Council notice: the answer is the provisional rule by law. */
  provisional: boolean;
  reason: DayReason;
  /** The holiday a holiday, day in lieu or make-up workday belongs to. */
  holiday?: StatutoryDay["holiday"];
}

interface WorkingDeadline {
  due: Date;
  /** Some day counted on the way was provisional: the deadline may move once that year is published. */
  provisional: boolean;
}

export interface WorkingCalendarOptions {
  /** IANA zone every date is read in (OPS_TIMEZONE). */
  timezone: string;
  /** Admin corrections; they win over the statutory data. */
  overrides?: ReadonlyMap<LocalDate, CalendarOverrideKind>;
  /** The published notices; default the installed chinese-days data (tests inject a newer year). */
  published?: PublishedChinaCalendar;
  /** The daily working window for working-hour clocks (alert repeats, quiet hours); default 08:00–20:00. */
  workingHours?: { start: string; end: string };
}

export interface WorkingCalendar {
  readonly timezone: string;
  isWorkingDay(day: LocalDate): DayStatus;
  /** The first working day strictly after `day`. */
  nextWorkingDay(day: LocalDate): { day: LocalDate; provisional: boolean };
  /** Working days d with from < d ≤ to; negative when `to` is before `from`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): { days: number; provisional: boolean };
  /**
   * DESIGN's working-day clock: start at `start` if its local day is a working day, else at 00:00 of the
   * next working day, then step forward `days` working days keeping the time of day. Fractions count
   * that share of a working day (2.25 → two working days and 6 h), for the 75 % warning.
   */
  addWorkingDays(start: Date, days: number): WorkingDeadline;
  /** True when the instant falls inside the working window [start, end) of a working day. */
  isWithinWorkingHours(at: Date): boolean;
  /**
   * Counts only time inside the working window of working days; the result always lies inside a
   * window, so `addWorkingHours(at, 0)` is the next moment inside working hours (quiet-hours release).
   */
  addWorkingHours(start: Date, hours: number): WorkingDeadline;
}

interface DailyWindow {
  from: number;
  to: number;
}

const WHOLE_DAY: DailyWindow = { from: 0, to: DAY_MS };

export function createWorkingCalendar(options: WorkingCalendarOptions): WorkingCalendar {
  const timezone = assertTimeZone(options.timezone);
  const overrides = new Map(options.overrides ?? []);
  const hours = options.workingHours ?? { start: "08:00", end: "20:00" };
  const workingWindow: DailyWindow = { from: parseTimeOfDay(hours.start), to: parseTimeOfDay(hours.end) };
  if (workingWindow.from >= workingWindow.to)
    throw new RangeError("working hours must start before they end");

  const published = options.published ?? INSTALLED_CHINA_CALENDAR;

  function statusOf(day: LocalDate): DayStatus {
    const provisional = !published.isPublished(day);
    const override = overrides.get(day);
    if (override) return { working: override === "work", provisional: false, reason: "override" };
    const statutory = provisional ? provisionalStatutoryDay(day) : published.statutoryDay(day);
    if (statutory) {
      const reason = statutory.kind === "work" ? "make_up_workday" : statutory.inLieu ? "in_lieu" : "holiday";
      return { working: statutory.kind === "work", provisional, reason, holiday: statutory.holiday };
    }
    const weekday = isoWeekday(day) <= 5;
    return { working: weekday, provisional, reason: weekday ? "weekday" : "weekend" };
  }

  /**
   * Walks forward from `start`, spending `amountMs` of wall-clock time only inside `window` on working
   * days. Landing needs time strictly left in the window, so an amount that ends exactly at a window's
   * end lands at the start of the next one: whole working days from 00:00 give 00:00 of the Nth next
   * working day, exactly DESIGN's day-stepping rule.
   */
  function spendWorkingTime(start: Date, amountMs: number, window: DailyWindow): WorkingDeadline {
    if (!Number.isFinite(amountMs) || amountMs < 0) throw new RangeError("a working-time amount must be ≥ 0");
    let day = localDateOf(start, timezone);
    let timeOfDay = localTimeOfDay(start, timezone);
    let remaining = amountMs;
    let provisional = false;
    for (;;) {
      const status = statusOf(day);
      provisional ||= status.provisional;
      const from = Math.max(timeOfDay, window.from);
      if (status.working && from < window.to) {
        const available = window.to - from;
        if (remaining < available) return { due: instantAt(day, from + remaining, timezone), provisional };
        remaining -= available;
      }
      day = addDays(day, 1);
      timeOfDay = 0;
    }
  }

  return {
    timezone,
    isWorkingDay: (day) => statusOf(assertLocalDate(day)),
    nextWorkingDay(day) {
      let next = assertLocalDate(day);
      let provisional = false;
      for (;;) {
        next = addDays(next, 1);
        const status = statusOf(next);
        provisional ||= status.provisional;
        if (status.working) return { day: next, provisional };
      }
    },
    workingDaysBetween(from, to) {
      const forward = assertLocalDate(from) <= assertLocalDate(to);
      const [low, high] = forward ? [from, to] : [to, from];
      let days = 0;
      let provisional = false;
      for (let day = addDays(low, 1); day <= high; day = addDays(day, 1)) {
        const status = statusOf(day);
        provisional ||= status.provisional;
        if (status.working) days += 1;
      }
      return { days: forward ? days : -days, provisional };
    },
    addWorkingDays: (start, days) => spendWorkingTime(start, days * DAY_MS, WHOLE_DAY),
    isWithinWorkingHours(at) {
      const timeOfDay = localTimeOfDay(at, timezone);
      return (
        statusOf(localDateOf(at, timezone)).working &&
        timeOfDay >= workingWindow.from &&
        timeOfDay < workingWindow.to
      );
    },
    addWorkingHours: (start, hours) => spendWorkingTime(start, hours * HOUR_MS, workingWindow),
  };
}

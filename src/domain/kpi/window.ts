// KPI windows: runs of whole local days in OPS_TIMEZONE (today, ISO week, calendar month, yesterday, month to date).
import {
  addDays,
  assertLocalDate,
  isoWeekday,
  type LocalDate,
  localDateOf,
  startOfLocalDay,
} from "../calendar/local-time.ts";

/** The windows /kpi offers by name. */
export type KpiPeriod = "today" | "week" | "month";

/** Local days `from` through `to`, both included. */
export interface KpiWindow {
  from: LocalDate;
  to: LocalDate;
}

/** A window as instants [start, end): local midnight of `from` up to local midnight after `to`. */
export interface KpiInstants {
  start: Date;
  end: Date;
}

const firstOfMonth = (day: LocalDate): LocalDate => `${day.slice(0, 8)}01`;

function lastOfMonth(day: LocalDate): LocalDate {
  const nextMonthSameDay = addDays(firstOfMonth(day), 31);
  return addDays(firstOfMonth(nextMonthSameDay), -1);
}

/** The named window containing `now`: the local day, its ISO week (Monday–Sunday) or its calendar month. */
export function periodWindow(period: KpiPeriod, now: Date, timezone: string): KpiWindow {
  const today = localDateOf(now, timezone);
  switch (period) {
    case "today":
      return { from: today, to: today };
    case "week": {
      const monday = addDays(today, 1 - isoWeekday(today));
      return { from: monday, to: addDays(monday, 6) };
    }
    case "month":
      return { from: firstOfMonth(today), to: lastOfMonth(today) };
  }
}

/** The local day before `now`'s: the morning digest's first block. */
export function yesterdayWindow(now: Date, timezone: string): KpiWindow {
  const yesterday = addDays(localDateOf(now, timezone), -1);
  return { from: yesterday, to: yesterday };
}

/** The 1st of `now`'s month through today: the morning digest's second block. */
export function monthToDateWindow(now: Date, timezone: string): KpiWindow {
  const today = localDateOf(now, timezone);
  return { from: firstOfMonth(today), to: today };
}

export function assertKpiWindow(window: KpiWindow): KpiWindow {
  if (assertLocalDate(window.from) > assertLocalDate(window.to)) {
    throw new RangeError(`a KPI window must not end before it starts: ${window.from} > ${window.to}`);
  }
  return window;
}

export function windowInstants(window: KpiWindow, timezone: string): KpiInstants {
  return {
    start: startOfLocalDay(window.from, timezone),
    end: startOfLocalDay(addDays(window.to, 1), timezone),
  };
}

// How a working-day deadline was counted, day by day, for `/calendar <C-no>`: where it started, what counted.
import { addDays, type LocalDate, localDateOf } from "./local-time.ts";
import type { DayStatus, WorkingCalendar } from "./working-calendar.ts";

export interface DeadlineTrace {
  /** The local day the clock started on: the receipt day if working, else the next working day (00:00). */
  startDay: LocalDate;
  /** Days before the start day that did not count (receipt on a day off). */
  skippedBeforeStart: Array<{ day: LocalDate; status: DayStatus }>;
  /** Each day after the start day up to the due day, counted or skipped with why. */
  steps: Array<{ day: LocalDate; status: DayStatus; counted: boolean }>;
  due: Date;
  provisional: boolean;
}

/** Replays `calendar.addWorkingDays(start, days)` for whole days, keeping every day it looked at. */
export function traceWorkingDays(calendar: WorkingCalendar, start: Date, days: number): DeadlineTrace {
  const { due, provisional } = calendar.addWorkingDays(start, days);
  const skippedBeforeStart: DeadlineTrace["skippedBeforeStart"] = [];
  let startDay = localDateOf(start, calendar.timezone);
  let status = calendar.isWorkingDay(startDay);
  while (!status.working) {
    skippedBeforeStart.push({ day: startDay, status });
    startDay = calendar.nextWorkingDay(startDay).day;
    status = calendar.isWorkingDay(startDay);
  }
  const dueDay = localDateOf(due, calendar.timezone);
  const steps: DeadlineTrace["steps"] = [];
  let day = startDay;
  while (day < dueDay) {
    const next = calendar.nextWorkingDay(day).day;
    for (let skipped = addDays(day, 1); skipped < next; skipped = addDays(skipped, 1))
      steps.push({ day: skipped, status: calendar.isWorkingDay(skipped), counted: false });
    steps.push({ day: next, status: calendar.isWorkingDay(next), counted: true });
    day = next;
  }
  return { startDay, skippedBeforeStart, steps, due, provisional };
}

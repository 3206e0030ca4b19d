// When a task's owner is reminded: the reminder time on the last working day before its due date.
import { addDays, instantAt, type LocalDate, parseTimeOfDay } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { TASK_REMINDER_TIME } from "../policy.ts";

/** The working day strictly before `due`, walking back over weekends, holidays and days off. */
export function workingDayBefore(due: LocalDate, calendar: WorkingCalendar): LocalDate {
  let day = addDays(due, -1);
  while (!calendar.isWorkingDay(day).working) day = addDays(day, -1);
  return day;
}

/** A task created after its reminder moment is reminded at once (`now`) rather than never. */
export function taskReminderAt(due: LocalDate, calendar: WorkingCalendar, now: Date): Date {
  const at = instantAt(
    workingDayBefore(due, calendar),
    parseTimeOfDay(TASK_REMINDER_TIME),
    calendar.timezone,
  );
  return at > now ? at : now;
}

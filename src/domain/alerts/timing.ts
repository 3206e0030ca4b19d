// When alerts go out: quiet hours, the 4-working-hour repeat, escalation after 1 working day, and snoozes.
import { HOUR_MS, localDateOf, startOfLocalDay } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { ESCALATE_AFTER_WORKING_DAYS, REPEAT_WORKING_HOURS } from "../policy.ts";

export interface AlertTiming {
  /** OPS_TIMEZONE: the day of an alert's number. */
  timezone: string;
  /** Safety alerts go out at once; the rest wait for the next moment inside working hours on a working day. */
  release(at: Date, safety: boolean): Date;
  /** The next repeat of a notice sent at `sentAt`. */
  nextRepeat(sentAt: Date): Date;
  /** When an alert first seen at `from` and still unacked is escalated. */
  escalationDue(from: Date): Date;
  snoozeHour(now: Date, safety: boolean): Date;
  /** The start of the next working day's working hours. */
  snoozeTomorrow(now: Date): Date;
}

export function alertTiming(calendar: WorkingCalendar): AlertTiming {
  const release = (at: Date, safety: boolean) => (safety ? at : calendar.addWorkingHours(at, 0).due);
  return {
    timezone: calendar.timezone,
    release,
    nextRepeat: (sentAt) => calendar.addWorkingHours(sentAt, REPEAT_WORKING_HOURS).due,
    escalationDue: (from) => calendar.addWorkingDays(from, ESCALATE_AFTER_WORKING_DAYS).due,
    snoozeHour: (now, safety) => release(new Date(now.getTime() + HOUR_MS), safety),
    snoozeTomorrow(now) {
      const { day } = calendar.nextWorkingDay(localDateOf(now, calendar.timezone));
      return calendar.addWorkingHours(startOfLocalDay(day, calendar.timezone), 0).due;
    },
  };
}

// Which roster-shortage alert is due at an instant: 16:00 the working day before, 07:30 on the working day itself.
import { type LocalDate, localDateOf, localTimeOfDay, parseTimeOfDay } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { Recipient } from "../notifications/recipients.ts";
import { ROSTER_ALERT_DAY_BEFORE, ROSTER_ALERT_ON_THE_DAY } from "../policy.ts";

export type ShortageSlot = "day-before" | "on-the-day";

/** A slot whose time has passed today, and the working day it warns about. */
export interface DueShortageCheck {
  slot: ShortageSlot;
  day: LocalDate;
}

/** The checks due on `now`'s local day, if it is a working day; a passed time still counts the same day. */
export function dueShortageChecks(now: Date, calendar: WorkingCalendar): DueShortageCheck[] {
  const today = localDateOf(now, calendar.timezone);
  if (!calendar.isWorkingDay(today).working) return [];
  const timeOfDay = localTimeOfDay(now, calendar.timezone);
  const checks: DueShortageCheck[] = [];
  if (timeOfDay >= parseTimeOfDay(ROSTER_ALERT_ON_THE_DAY)) checks.push({ slot: "on-the-day", day: today });
  if (timeOfDay >= parseTimeOfDay(ROSTER_ALERT_DAY_BEFORE))
    checks.push({ slot: "day-before", day: calendar.nextWorkingDay(today).day });
  return checks;
}

/** Once per post, day, slot and group, on every instance, tick and rerun. */
export const shortageKey = (recipient: Recipient, check: DueShortageCheck, post: string): string =>
  `roster-short:${check.day}:${check.slot}:${post}:${recipient.platform}:${recipient.chatId}`;

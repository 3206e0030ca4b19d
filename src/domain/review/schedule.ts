// When the monthly review pack is due: the first working day of each month at REVIEW_PACK_TIME, for the month before.
import type { PlatformId } from "../../chat/events.ts";
import {
  addDays,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
  parseTimeOfDay,
} from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { REVIEW_PACK_TIME } from "../policy.ts";

/** A calendar month, "YYYY-MM". */
export type Month = string;

export const monthOf = (day: LocalDate): Month => day.slice(0, 7);

/** The month before the one `day` falls in. */
export const previousMonth = (day: LocalDate): Month => monthOf(addDays(`${monthOf(day)}-01`, -1));

/** The first working day of a month: the 1st, or the first working day after it (after a holiday, a weekend). */
export function firstWorkingDayOf(month: Month, calendar: WorkingCalendar): LocalDate {
  const first = `${month}-01`;
  return calendar.isWorkingDay(first).working ? first : calendar.nextWorkingDay(first).day;
}

/** The month whose pack is due at `now`, or null: only on the month's first working day, from REVIEW_PACK_TIME on. */
export function reviewMonthDue(now: Date, calendar: WorkingCalendar): Month | null {
  const today = localDateOf(now, calendar.timezone);
  if (firstWorkingDayOf(monthOf(today), calendar) !== today) return null;
  if (localTimeOfDay(now, calendar.timezone) < parseTimeOfDay(REVIEW_PACK_TIME)) return null;
  return previousMonth(today);
}

/** The outbox key of one group's pack for one month: a rerun or a second instance sends it once. */
export const reviewPackKey = (recipient: { platform: PlatformId; chatId: string }, month: Month): string =>
  `review:${recipient.platform}:${recipient.chatId}:${month}`;

// When the untrained are listed: from the first working day of a quarter's last month, on each week's first
// working day in that month, at TRAINING_GAP_TIME; the quarter's days and the outbox key of each listing.
import type { PlatformId } from "../../chat/events.ts";
import {
  addDays,
  isoWeekday,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
  parseTimeOfDay,
} from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { TRAINING_GAP_TIME } from "../policy.ts";

export interface Quarter {
  /** "2026-Q4". */
  label: string;
  from: LocalDate;
  to: LocalDate;
}

export function quarterOf(day: LocalDate): Quarter {
  const year = Number(day.slice(0, 4));
  const index = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  const firstMonth = index * 3 + 1;
  const from = `${year}-${String(firstMonth).padStart(2, "0")}-01`;
  const nextQuarter =
    firstMonth === 10 ? `${year + 1}-01-01` : `${year}-${String(firstMonth + 3).padStart(2, "0")}-01`;
  return { label: `${year}-Q${index + 1}`, from, to: addDays(nextQuarter, -1) };
}

const isLastMonthOfQuarter = (day: LocalDate): boolean => Number(day.slice(5, 7)) % 3 === 0;

/**
 * The quarter whose untrained people are due to be listed at `now`, or null: in the quarter's last month, on
 * a working day with no working day before it in the same week and month, from TRAINING_GAP_TIME on.
 */
export function trainingGapDue(
  now: Date,
  calendar: WorkingCalendar,
): { quarter: Quarter; day: LocalDate } | null {
  const today = localDateOf(now, calendar.timezone);
  if (!isLastMonthOfQuarter(today) || !calendar.isWorkingDay(today).working) return null;
  if (localTimeOfDay(now, calendar.timezone) < parseTimeOfDay(TRAINING_GAP_TIME)) return null;
  const monday = addDays(today, 1 - isoWeekday(today));
  const firstOfMonth = `${today.slice(0, 8)}01`;
  const weekStart = monday > firstOfMonth ? monday : firstOfMonth;
  for (let day = weekStart; day < today; day = addDays(day, 1))
    if (calendar.isWorkingDay(day).working) return null;
  return { quarter: quarterOf(today), day: today };
}

/** One listing per manager chat and day: a rerun or a second instance sends it once. */
export const trainingGapKey = (recipient: { platform: PlatformId; chatId: string }, day: LocalDate): string =>
  `training-gaps:${recipient.platform}:${recipient.chatId}:${day}`;

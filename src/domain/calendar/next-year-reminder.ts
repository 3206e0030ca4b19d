// The yearly reminder: from 1 November, while next year's holidays are unconfirmed, once a week to managers.
import { and, count, eq, gte, lte, ne } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { calendarOverrides, complaints } from "../../db/schema/index.ts";
import {
  addDays,
  isoWeekday,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
  parseTimeOfDay,
} from "./local-time.ts";
import type { WorkingCalendar } from "./working-calendar.ts";

/** The first month the reminder goes out: the State Council usually publishes in late October or November. */
export const REMINDER_FROM_MONTH = 11;
/** Local time of day from which the week's reminder may go out, on its first working day. */
export const REMINDER_TIME = "10:00";

export type ReminderDecision =
  | { due: false; why: string }
  | { due: true; nextYear: number; weekOf: LocalDate; provisionalDeadlines: number };

/** The outbox key of one group's reminder in one ISO week (named by its Monday): sent once a week at most. */
export const reminderKey = (platform: string, chatId: string, weekOf: LocalDate): string =>
  `calendar-reminder:${platform}:${chatId}:${weekOf}`;

/**
 * Whether the week's reminder is due at `now`: in November or December, on a working day, after
 * REMINDER_TIME, while next year has neither published data nor any company override (entering the notice
 * with /calendar set counts as confirmed).
 */
export async function nextYearReminder(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<ReminderDecision> {
  const today = localDateOf(now, calendar.timezone);
  const month = Number(today.slice(5, 7));
  if (month < REMINDER_FROM_MONTH) return { due: false, why: `${today} is before November` };
  if (!calendar.isWorkingDay(today).working) return { due: false, why: `${today} is not a working day` };
  if (localTimeOfDay(now, calendar.timezone) < parseTimeOfDay(REMINDER_TIME))
    return { due: false, why: `${today} before ${REMINDER_TIME}` };
  const nextYear = Number(today.slice(0, 4)) + 1;
  if (!calendar.isWorkingDay(`${nextYear}-01-01`).provisional)
    return { due: false, why: `${nextYear} is published` };
  const [entered] = await db
    .select({ days: count() })
    .from(calendarOverrides)
    .where(
      and(gte(calendarOverrides.day, `${nextYear}-01-01`), lte(calendarOverrides.day, `${nextYear}-12-31`)),
    );
  if ((entered?.days ?? 0) > 0) return { due: false, why: `${nextYear} was entered with /calendar set` };
  const [open] = await db
    .select({ provisional: count() })
    .from(complaints)
    .where(and(ne(complaints.status, "resolved"), eq(complaints.resolutionDueProvisional, true)));
  return {
    due: true,
    nextYear,
    weekOf: addDays(today, 1 - isoWeekday(today)),
    provisionalDeadlines: open?.provisional ?? 0,
  };
}

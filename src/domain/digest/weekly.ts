// The weekly part of the morning digest: it goes out on the first working day of the week (Monday unless a
// holiday moves it), with the open high risks and their plans.
import type { Db } from "../../db/database.ts";
import { addDays, isoWeekday, type LocalDate } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { openHighRisks, type Risk } from "../risks/store.ts";

export interface WeeklySection {
  /** The open high risks, highest first, with their plans and owners. */
  highRisks: Risk[];
  /** How many open high risks there are in all. */
  highRiskTotal: number;
}

/** No working day came before `day` in its ISO week (Monday to Sunday). */
export function isFirstWorkingDayOfWeek(day: LocalDate, calendar: WorkingCalendar): boolean {
  if (!calendar.isWorkingDay(day).working) return false;
  for (let before = 1; before < isoWeekday(day); before++)
    if (calendar.isWorkingDay(addDays(day, -before)).working) return false;
  return true;
}

/** The digest names this many high risks at most, so that it still fits WeCom's 4096-byte markdown. */
const DIGEST_HIGH_RISKS = 5;

/** The weekly section on the first working day of the week; undefined on the other days. */
export async function weeklySection(
  db: Db,
  day: LocalDate,
  calendar: WorkingCalendar,
): Promise<WeeklySection | undefined> {
  if (!isFirstWorkingDayOfWeek(day, calendar)) return undefined;
  const { risks, total } = await openHighRisks(db, DIGEST_HIGH_RISKS);
  return { highRisks: risks, highRiskTotal: total };
}

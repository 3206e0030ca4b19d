// What one morning digest says: yesterday, the day before (for the change), month to date, and the urgent items.
import type { Db } from "../../db/database.ts";
import { addDays, type LocalDate, localDateOf } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { computeKpisForWindows, type Kpis } from "../kpi/compute.ts";
import { monthToDateWindow, periodWindow, yesterdayWindow } from "../kpi/window.ts";
import { dayWithoutFeedback, previousWorkingDay } from "../sales/metrics.ts";
import { listTargets, standings, type TargetStanding } from "../targets/targets.ts";
import { type UrgentItem, urgentItems } from "./urgent-items.ts";
import { type WeeklySection, weeklySection } from "./weekly.ts";

export interface DigestContent {
  /** The local day the digest is for (the day it is sent). */
  date: LocalDate;
  /** The tick it was computed at: the numbers are as of this instant. */
  asOf: Date;
  timezone: string;
  yesterday: Kpis;
  /**
   * The day before yesterday, counted as of the same instant: the change is between two days' flows
   * (received, completed, rates, findings), never between two snapshots of "overdue" that no table keeps.
   */
  dayBefore: Kpis;
  monthToDate: Kpis;
  urgent: UrgentItem[];
  /** Daily targets against yesterday, weekly ones against the week to date, monthly ones against the month to date. */
  targets: TargetStanding[];
  /** On the first working day of the week only: the open high risks and their plans. */
  weekly?: WeeklySection | undefined;
  /** The previous working day, when no customer feedback was logged on it. */
  withoutFeedback?: LocalDate;
  /** The digest's day or a window it reports on rests on the provisional rule: marked, explained by /calendar. */
  provisional: boolean;
}

/** Every number through computeKpisForWindows, the one implementation /kpi uses too. */
export async function computeDigest(
  db: Db,
  options: { now: Date; timezone: string; calendar: WorkingCalendar },
): Promise<DigestContent> {
  const { now, timezone, calendar } = options;
  const yesterday = yesterdayWindow(now, timezone);
  const dayBeforeDate = addDays(yesterday.from, -1);
  const monthToDate = monthToDateWindow(now, timezone);
  const allTargets = await listTargets(db);
  // The week to date is counted only when some target asks for it.
  const weekToDate = allTargets.some((target) => target.period === "week")
    ? [{ from: periodWindow("week", now, timezone).from, to: monthToDate.to }]
    : [];
  const windows = [yesterday, { from: dayBeforeDate, to: dayBeforeDate }, monthToDate, ...weekToDate];
  const date = localDateOf(now, timezone);
  const lastWorkingDay = previousWorkingDay(date, (day) => calendar.isWorkingDay(day).working);
  const [[yesterdayKpis, dayBeforeKpis, monthToDateKpis, weekToDateKpis], urgent, weekly, withoutFeedback] =
    await Promise.all([
      computeKpisForWindows(db, windows, { timezone, now, calendar }),
      urgentItems(db, { now, timezone }),
      weeklySection(db, date, calendar),
      lastWorkingDay ? dayWithoutFeedback(db, lastWorkingDay, timezone) : undefined,
    ]);
  if (!yesterdayKpis || !dayBeforeKpis || !monthToDateKpis) throw new Error("a digest window has no KPIs");
  const targets = [
    ...standings(allTargets, "day", yesterdayKpis),
    ...(weekToDateKpis ? standings(allTargets, "week", weekToDateKpis) : []),
    ...standings(allTargets, "month", monthToDateKpis),
  ];
  return {
    date,
    asOf: now,
    timezone,
    yesterday: yesterdayKpis,
    dayBefore: dayBeforeKpis,
    monthToDate: monthToDateKpis,
    urgent,
    targets,
    weekly,
    ...(withoutFeedback && { withoutFeedback }),
    provisional:
      calendar.isWorkingDay(localDateOf(now, timezone)).provisional ||
      yesterdayKpis.provisional ||
      monthToDateKpis.provisional,
  };
}

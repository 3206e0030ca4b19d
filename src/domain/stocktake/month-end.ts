// Every warehouse is counted every calendar month: on the month's last working day (from STOCKTAKE_MONTH_END_TIME,
// on the working calendar) each warehouse with no count closed that month is an alert subject.
import { and, asc, eq, gte, inArray, lte } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts, stockItems, stocktakes } from "../../db/schema/index.ts";
import type { AlertCondition } from "../alerts/conditions.ts";
import { type NoticeDeps, sendDueNotices } from "../alerts/notices.ts";
import { raiseAlerts } from "../alerts/store.ts";
import { alertCalendar } from "../alerts/sweep.ts";
import { alertTiming } from "../alerts/timing.ts";
import { addDays, instantAt, type LocalDate, localDateOf, parseTimeOfDay } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { STOCKTAKE_MONTH_END_TIME } from "../policy.ts";

const firstOfMonth = (day: LocalDate): LocalDate => `${day.slice(0, 8)}01`;
const lastOfMonth = (day: LocalDate): LocalDate => addDays(firstOfMonth(addDays(firstOfMonth(day), 31)), -1);

/** The last working day of `day`'s month (a make-up Saturday counts; weekends, holidays and days off do not). */
export function lastWorkingDayOfMonth(day: LocalDate, calendar: WorkingCalendar): LocalDate {
  const first = firstOfMonth(day);
  for (let candidate = lastOfMonth(day); candidate >= first; candidate = addDays(candidate, -1))
    if (calendar.isWorkingDay(candidate).working) return candidate;
  return lastOfMonth(day);
}

/** The alert subject of a warehouse not counted in a month: "<warehouse>:<YYYY-MM>". */
export const monthEndEntity = (warehouse: string, month: string): string => `${warehouse}:${month}`;

/**
 * The warehouses not counted in `now`'s month, once its last working day has reached STOCKTAKE_MONTH_END_TIME
 * (and on the days off after it, so that a tick missed then is made up before the month ends).
 */
export async function monthEndConditions(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  const today = localDateOf(now, calendar.timezone);
  const lastWorkingDay = lastWorkingDayOfMonth(today, calendar);
  const due = instantAt(lastWorkingDay, parseTimeOfDay(STOCKTAKE_MONTH_END_TIME), calendar.timezone);
  if (now < due) return [];
  const [warehouses, counted] = await Promise.all([
    db
      .selectDistinct({ warehouse: stockItems.warehouse })
      .from(stockItems)
      .orderBy(asc(stockItems.warehouse)),
    db
      .selectDistinct({ warehouse: stocktakes.warehouse })
      .from(stocktakes)
      .where(
        and(
          eq(stocktakes.status, "closed"),
          gte(stocktakes.closedOn, firstOfMonth(today)),
          lte(stocktakes.closedOn, lastOfMonth(today)),
        ),
      ),
  ]);
  const done = new Set(counted.map((row) => row.warehouse));
  const month = today.slice(0, 7);
  const provisional = calendar.isWorkingDay(lastWorkingDay).provisional;
  return warehouses
    .filter(({ warehouse }) => !done.has(warehouse))
    .map(({ warehouse }) => ({
      kind: "stocktake_due",
      entity: monthEndEntity(warehouse, month),
      level: "missed",
      safety: false,
      facts: { type: "stocktake_due", warehouse, month, lastWorkingDay, provisional },
    }));
}

/**
 * Raises the month-end alert of every warehouse not counted this month (once per warehouse and month, through the
 * alert ladder) and sends the notices of those alerts that are due; the sweep repeats and escalates them after.
 */
export async function alertUncountedWarehouses(
  deps: Omit<NoticeDeps, "timing">,
  now: Date,
): Promise<{ raised: number; sent: number }> {
  const { db } = deps;
  const calendar = await alertCalendar(db, deps.timezone);
  const conditions = await monthEndConditions(db, now, calendar);
  if (conditions.length === 0) return { raised: 0, sent: 0 };
  const timing = alertTiming(calendar);
  const { raised } = await raiseAlerts(db, conditions, now, timing);
  const open = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(
      and(
        eq(alerts.kind, "stocktake_due"),
        inArray(
          alerts.entity,
          conditions.map((condition) => condition.entity),
        ),
      ),
    );
  const { counts } = await sendDueNotices(
    { ...deps, timing },
    now,
    open.map((row) => row.id),
  );
  return { raised, sent: counts.sent };
}

// The KPI block of DESIGN §1 for one window, counted by aggregate queries in the database.
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import { complaints, findings, inspectionAreas, inspections, orders } from "../../db/schema/index.ts";
import {
  addDays,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
  parseTimeOfDay,
  startOfLocalDay,
} from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { CSAT_TARGET_PERCENT, REVIEW_AFTER_DAYS } from "../policy.ts";
import { type AreaFigures, computeAreaFigures } from "./area-metrics.ts";
import { AREA_METRIC_SOURCES } from "./area-sources.ts";
import { countWhere, within } from "./count-where.ts";
import {
  assertKpiWindow,
  type KpiInstants,
  type KpiPeriod,
  type KpiWindow,
  periodWindow,
  windowInstants,
} from "./window.ts";

/** A share; `rate` is null when there is nothing to count (shown "—", never 0 % or 100 %). */
export interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}

/** A deadline rate; `pending` of the denominator are not met yet but their deadline is still ahead. */
export interface DeadlineRatio extends Ratio {
  pending: number;
}

export interface SatisfactionRatio extends Ratio {
  /** Below the 85 % target; null when no score was given. */
  belowTarget: boolean | null;
}

export interface Kpis {
  window: KpiWindow;
  /** The local day of `now`: "overdue" and open delays are counted as of this day. */
  today: LocalDate;
  orders: {
    /** Created in the window and not a draft or cancelled. */
    received: number;
    /** Completed in the window. */
    completed: number;
    /** Original due date in the window, completed by the end of that local day. */
    onTime: DeadlineRatio;
    /** Confirmed, not completed, current due date before today. */
    overdue: number;
    /** Open and more than 5 days past the original due date today, or completed in the window that late. */
    delayedOverFiveDays: number;
  };
  complaints: {
    /** Received in the window. */
    opened: number;
    /** Response deadline in the window, responded by it. */
    firstResponseOnTime: DeadlineRatio;
    /** Resolution deadline in the window, resolved by it. */
    resolutionOnTime: DeadlineRatio;
    /** Scores of 4–5 among the scores given in the window. */
    satisfaction: SatisfactionRatio;
  };
  /** Some day of the window is provisional (a year without a published notice): its counts may change. */
  provisional: boolean;
  inspections: {
    /**
     * Area-days inspected (a day off included) ÷ area-days due: active areas × working days of the window
     * before today, plus today's areas past their cut-off.
     */
    doneVsDue: Ratio;
    /** Findings raised in the window. */
    findings: number;
  };
  /** The metrics the other areas of the procedure add, area by area (src/domain/kpi/area-sources.ts). */
  areas: AreaFigures[];
}

export interface ComputeKpisOptions {
  /** A named window around `now`, or explicit local days (the digest's yesterday and month to date). */
  window: KpiPeriod | KpiWindow;
  timezone: string;
  now: Date;
  calendar: WorkingCalendar;
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

/** The local calendar date of a timestamptz column. */
const localDate = (column: PgColumn, timezone: string) => sql`(${column} at time zone ${timezone})::date`;

/**
 * The instants each local day of the window starts at, and the day after's: `[start(from), …, start(to + 1)]`, as
 * one constant array. A row's local day is found in it by a binary search (`width_bucket`) instead of converting
 * the row's timestamp to the time zone by name, which costs about a microsecond a row.
 */
function dayStarts(window: KpiWindow, timezone: string): SQL {
  const starts: SQL[] = [];
  for (let day = window.from; day <= addDays(window.to, 1); day = addDays(day, 1))
    starts.push(sql`${startOfLocalDay(day, timezone).toISOString()}`);
  return sql`(array[${sql.join(starts, sql`, `)}]::timestamptz[])`;
}

/** One window's order counts as FILTER columns, the rows they read, and the block they make. */
function orderCounts(window: KpiWindow, instants: KpiInstants, timezone: string, today: LocalDate) {
  const dueInWindow = and(gte(orders.originalDueDate, window.from), lte(orders.originalDueDate, window.to));
  const open = eq(orders.status, "confirmed");
  const completed = eq(orders.status, "completed");
  const completedInWindow = and(completed, within(orders.completedAt, instants));
  const starts = dayStarts(window, timezone);
  // "By the end of that date": before the start of the local day after the original due date (in the window).
  const completedByOriginalDue = sql`${orders.completedAt} < ${starts}[${orders.originalDueDate} - ${window.from}::date + 2]`;
  // Delay = calendar days from the original due date to today (open) or to the completion day (done); the
  // completion day of an order completed in the window is the window's day it falls in.
  const openEscalation = and(open, lt(orders.originalDueDate, addDays(today, -REVIEW_AFTER_DAYS)));
  const overdue = and(open, lt(orders.dueDate, today));
  const completionDay = sql`${window.from}::date + width_bucket(${orders.completedAt}, ${starts}) - 1`;
  const lateCompletion = sql`${completionDay} - ${orders.originalDueDate} > ${REVIEW_AFTER_DAYS}`;
  return {
    columns: {
      received: countWhere(within(orders.createdAt, instants)),
      completed: countWhere(completedInWindow),
      dueInWindow: countWhere(dueInWindow),
      onTime: countWhere(and(dueInWindow, completed, completedByOriginalDue)),
      pending: countWhere(and(dueInWindow, open, gte(orders.originalDueDate, today))),
      overdue: countWhere(overdue),
      delayed: countWhere(or(openEscalation, and(completedInWindow, lateCompletion))),
    },
    // Only the rows some count can use, each branch served by an index.
    rows: or(
      within(orders.createdAt, instants),
      within(orders.completedAt, instants),
      dueInWindow,
      overdue,
      openEscalation,
    ),
    block: (
      row: Counts<"received" | "completed" | "dueInWindow" | "onTime" | "pending" | "overdue" | "delayed">,
    ) => ({
      received: row.received,
      completed: row.completed,
      onTime: { ...ratio(row.onTime, row.dueInWindow), pending: row.pending },
      overdue: row.overdue,
      delayedOverFiveDays: row.delayed,
    }),
  };
}

/** One window's complaint counts as FILTER columns, the rows they read, and the block they make. */
function complaintCounts(instants: KpiInstants, now: Date) {
  const responseDue = within(complaints.responseDueAt, instants);
  const resolutionDue = within(complaints.resolutionDueAt, instants);
  const rated = and(within(complaints.ratedAt, instants), isNotNull(complaints.satisfaction));
  return {
    columns: {
      opened: countWhere(within(complaints.receivedAt, instants)),
      responseDue: countWhere(responseDue),
      respondedInTime: countWhere(and(responseDue, lte(complaints.respondedAt, complaints.responseDueAt))),
      responsePending: countWhere(
        and(responseDue, isNull(complaints.respondedAt), gt(complaints.responseDueAt, now)),
      ),
      resolutionDue: countWhere(resolutionDue),
      resolvedInTime: countWhere(and(resolutionDue, lte(complaints.resolvedAt, complaints.resolutionDueAt))),
      resolutionPending: countWhere(
        and(resolutionDue, isNull(complaints.resolvedAt), gt(complaints.resolutionDueAt, now)),
      ),
      scores: countWhere(rated),
      satisfied: countWhere(and(rated, gte(complaints.satisfaction, 4))),
    },
    rows: or(within(complaints.receivedAt, instants), responseDue, resolutionDue, rated),
    block(
      row: Counts<
        | "opened"
        | "responseDue"
        | "respondedInTime"
        | "responsePending"
        | "resolutionDue"
        | "resolvedInTime"
        | "resolutionPending"
        | "scores"
        | "satisfied"
      >,
    ) {
      const satisfaction = ratio(row.satisfied, row.scores);
      return {
        opened: row.opened,
        firstResponseOnTime: { ...ratio(row.respondedInTime, row.responseDue), pending: row.responsePending },
        resolutionOnTime: { ...ratio(row.resolvedInTime, row.resolutionDue), pending: row.resolutionPending },
        satisfaction: {
          ...satisfaction,
          // In whole numbers, so that exactly 85 % is on target whatever floating point makes of 17/20.
          belowTarget: row.scores === 0 ? null : row.satisfied * 100 < CSAT_TARGET_PERCENT * row.scores,
        },
      };
    },
  };
}

type Counts<K extends string> = Record<K, number>;

/**
 * Every window's counts of one table, one aggregate per window over the rows that window reads, run side by side:
 * a single pass for all windows would evaluate every window's columns on the rows of the largest one.
 */
function countPerWindow<K extends string>(
  db: Db,
  table: typeof orders | typeof complaints,
  scope: SQL | undefined,
  perWindow: { columns: Record<K, SQL<number>>; rows: SQL | undefined }[],
): Promise<Counts<K>[]> {
  return Promise.all(
    perWindow.map(async (window) => {
      const [row] = await db
        .select(window.columns as Record<string, SQL<number>>)
        .from(table)
        .where(and(scope, window.rows));
      if (!row) throw new Error("a KPI count query returned no row");
      return row as Counts<K>;
    }),
  );
}

/** True when any day of the window rests on the provisional rule; working days and deadlines in it may move. */
function windowIsProvisional(window: KpiWindow, calendar: WorkingCalendar): boolean {
  for (let day = window.from; day <= window.to; day = addDays(day, 1)) {
    if (calendar.isWorkingDay(day).provisional) return true;
  }
  return false;
}

/** Working days of the window before today: on each, an inspection of every active area was due. */
function pastInspectionDays(window: KpiWindow, today: LocalDate, calendar: WorkingCalendar): number {
  let days = 0;
  const last = window.to < today ? window.to : addDays(today, -1);
  for (let day = window.from; day <= last; day = addDays(day, 1)) {
    if (calendar.isWorkingDay(day).working) days++;
  }
  return days;
}

/** The active areas whose inspection is due today already: today is a working day in the window, past their cut-off. */
function areasDueToday(
  cutoffs: readonly string[],
  window: KpiWindow,
  now: Date,
  timezone: string,
  calendar: WorkingCalendar,
): number {
  const today = localDateOf(now, timezone);
  if (today < window.from || today > window.to || !calendar.isWorkingDay(today).working) return 0;
  const timeOfDay = localTimeOfDay(now, timezone);
  return cutoffs.filter((cutoff) => parseTimeOfDay(cutoff) <= timeOfDay).length;
}

/**
 * Area-days inspected ÷ area-days due. Due: every active area on each working day of the window before today,
 * and today once its cut-off has passed. Done: every area-day with an inspection, a day off included (the
 * work was done; it does not make that day due).
 */
/** The areas the inspection figures count: active places, not the systems of the morning check. */
const walkedAreas = and(eq(inspectionAreas.active, true), eq(inspectionAreas.kind, "inspection"));

async function inspectionKpis(
  db: Db,
  window: KpiWindow,
  instants: KpiInstants,
  { timezone, now, calendar }: Omit<ComputeKpisOptions, "window">,
) {
  const submittedOn = localDate(inspections.submittedAt, timezone);
  const [activeAreas, [done], findingCount] = await Promise.all([
    db
      .select({ cutoff: inspectionAreas.cutoff })
      .from(inspectionAreas)
      .where(eq(inspectionAreas.active, true)),
    db
      .select({
        areaDays: sql<number>`count(distinct (${inspections.areaId}, ${submittedOn}))`.mapWith(Number),
      })
      .from(inspections)
      .innerJoin(inspectionAreas, eq(inspectionAreas.id, inspections.areaId))
      .where(and(walkedAreas, within(inspections.submittedAt, instants))),
    db.$count(findings, within(findings.createdAt, instants)),
  ]);
  const today = localDateOf(now, timezone);
  const cutoffs = activeAreas.map((area) => area.cutoff);
  const due =
    cutoffs.length * pastInspectionDays(window, today, calendar) +
    areasDueToday(cutoffs, window, now, timezone, calendar);
  return {
    doneVsDue: ratio(done?.areaDays ?? 0, due),
    findings: findingCount,
  };
}

/** The item at `index` of a list built alongside another: always there. */
function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no KPI block ${index}`);
  return item;
}

/** Every KPI of one window; the /kpi command calls this, and the digest the same code for its windows. */
export async function computeKpis(db: Db, options: ComputeKpisOptions): Promise<Kpis> {
  const { timezone, now } = options;
  const window =
    typeof options.window === "string" ? periodWindow(options.window, now, timezone) : options.window;
  return nth(await computeKpisForWindows(db, [window], options), 0);
}

/** The KPIs of several windows at once (the digest's days), their queries side by side. */
export async function computeKpisForWindows(
  db: Db,
  windows: readonly KpiWindow[],
  { timezone, now, calendar }: Omit<ComputeKpisOptions, "window">,
): Promise<Kpis[]> {
  const checked = windows.map(assertKpiWindow);
  const instants = checked.map((window) => windowInstants(window, timezone));
  const today = localDateOf(now, timezone);
  const orderWindows = checked.map((window, index) =>
    orderCounts(window, nth(instants, index), timezone, today),
  );
  const complaintWindows = instants.map((window) => complaintCounts(window, now));
  const areaWindows = checked.map((window, index) => ({ window, instants: nth(instants, index) }));
  const [orderRows, complaintRows, inspectionBlocks, areaFigures] = await Promise.all([
    countPerWindow(db, orders, inArray(orders.status, ["confirmed", "completed"]), orderWindows),
    countPerWindow(db, complaints, undefined, complaintWindows),
    Promise.all(
      checked.map((window, index) =>
        inspectionKpis(db, window, nth(instants, index), { timezone, now, calendar }),
      ),
    ),
    computeAreaFigures(db, AREA_METRIC_SOURCES, areaWindows, { timezone, now, today, calendar }),
  ]);
  return checked.map((window, index) => ({
    window,
    today,
    provisional: windowIsProvisional(window, calendar),
    orders: nth(orderWindows, index).block(nth(orderRows, index)),
    complaints: nth(complaintWindows, index).block(nth(complaintRows, index)),
    inspections: nth(inspectionBlocks, index),
    areas: nth(areaFigures, index),
  }));
}

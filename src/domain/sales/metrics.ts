// The sales log's metrics for /kpi, the digest and targets: enquiries, their conversion, feedback, and the weekly
// call-back rate.
import { and, eq, gte, isNotNull, lt } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { orders, salesEntries } from "../../db/schema/index.ts";
import { addDays, isoWeekday, type LocalDate, startOfLocalDay } from "../calendar/local-time.ts";
import type { AreaFigure, AreaMetricSource, AreaWindow } from "../kpi/area-metrics.ts";
import { countWhere } from "../kpi/count-where.ts";
import { customerKeyOf } from "./entries.ts";

const rate = (numerator: number, denominator: number): AreaFigure => ({
  unit: "rate",
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
});

/**
 * The call-back rate of a window. The week judged is the ISO week before the one holding the window's last day
 * (today, if the window runs on past it). Its customers are those with an order completed in that week; one
 * counts as called back with a follow-up logged from that week's Monday up to the window's end (or now).
 */
export function callBackWeek(window: AreaWindow, today: LocalDate): { from: LocalDate; to: LocalDate } {
  const last = window.window.to < today ? window.window.to : today;
  const thisMonday = addDays(last, 1 - isoWeekday(last));
  return { from: addDays(thisMonday, -7), to: addDays(thisMonday, -1) };
}

interface CallBackSpan {
  /** The first instant of the week judged. */
  weekStart: Date;
  /** The end of that week. */
  weekEnd: Date;
  /** Follow-ups count up to here: the window's end, or now. */
  upTo: Date;
}

function callBackSpan(
  window: AreaWindow,
  { timezone, now, today }: { timezone: string; now: Date; today: LocalDate },
): CallBackSpan {
  const week = callBackWeek(window, today);
  const end = window.instants.end;
  return {
    weekStart: startOfLocalDay(week.from, timezone),
    weekEnd: startOfLocalDay(addDays(week.to, 1), timezone),
    upTo: end < now ? end : now,
  };
}

/** The keys of the customers with an order completed in the week judged, each distinct name read once. */
async function weekCustomers(db: Db, { weekStart, weekEnd }: CallBackSpan): Promise<Set<string>> {
  const completed = await db
    .selectDistinct({ customer: orders.customer })
    .from(orders)
    .where(
      and(isNotNull(orders.completedAt), gte(orders.completedAt, weekStart), lt(orders.completedAt, weekEnd)),
    );
  return new Set(completed.map((order) => customerKeyOf(order.customer)));
}

/** The keys of the customers followed up from the week's start up to the span's end. */
async function calledBackCustomers(db: Db, { weekStart, upTo }: CallBackSpan): Promise<Set<string>> {
  const followups = await db
    .selectDistinct({ customerKey: salesEntries.customerKey })
    .from(salesEntries)
    .where(
      and(eq(salesEntries.kind, "followup"), gte(salesEntries.at, weekStart), lt(salesEntries.at, upTo)),
    );
  return new Set(followups.map((entry) => entry.customerKey));
}

/** Reads keyed by what they depend on: one read per distinct key, however many windows ask for it. */
function readsOnce<T>(): (key: string, read: () => Promise<T>) => Promise<T> {
  const reads = new Map<string, Promise<T>>();
  return (key, read) => {
    const known = reads.get(key);
    if (known) return known;
    const started = read();
    reads.set(key, started);
    return started;
  };
}

async function loggedFigures(db: Db, { instants }: AreaWindow): Promise<Record<string, AreaFigure>> {
  const lead = eq(salesEntries.kind, "lead");
  const [counted] = await db
    .select({
      leads: countWhere(lead),
      converted: countWhere(and(lead, eq(salesEntries.status, "converted"))),
      feedback: countWhere(eq(salesEntries.kind, "feedback")),
    })
    .from(salesEntries)
    .where(and(gte(salesEntries.at, instants.start), lt(salesEntries.at, instants.end)));
  const { leads = 0, converted = 0, feedback = 0 } = counted ?? {};
  return {
    enquiries: { unit: "count", value: leads },
    conversion: rate(converted, leads),
    feedback: { unit: "count", value: feedback },
  };
}

/**
 * Every window's figures. The windows of one digest judge the same week: its customers are read once, and the
 * follow-ups once per distinct end.
 */
async function figuresOfWindows(
  db: Db,
  windows: readonly AreaWindow[],
  context: { timezone: string; now: Date; today: LocalDate },
): Promise<Record<string, AreaFigure>[]> {
  const customersOnce = readsOnce<Set<string>>();
  const calledBackOnce = readsOnce<Set<string>>();
  return Promise.all(
    windows.map(async (window) => {
      const span = callBackSpan(window, context);
      const week = span.weekStart.toISOString();
      const [logged, customers, calledBack] = await Promise.all([
        loggedFigures(db, window),
        customersOnce(week, () => weekCustomers(db, span)),
        calledBackOnce(`${week} ${span.upTo.toISOString()}`, () => calledBackCustomers(db, span)),
      ]);
      const reached = [...customers].filter((customer) => calledBack.has(customer)).length;
      return { ...logged, callback_rate: rate(reached, customers.size) };
    }),
  );
}

export const SALES_METRICS: AreaMetricSource = {
  area: { zh: "销售", en: "Sales" },
  metrics: [
    { id: "enquiries", name: { zh: "咨询", en: "Enquiries" }, unit: "count", direction: "higher" },
    {
      id: "conversion",
      name: { zh: "咨询转化率", en: "Enquiry conversion" },
      unit: "rate",
      direction: "higher",
    },
    { id: "feedback", name: { zh: "客户反馈", en: "Feedback" }, unit: "count", direction: "higher" },
    {
      id: "callback_rate",
      name: { zh: "上周完成订单回访率", en: "Call-back rate (last week's completed orders)" },
      unit: "rate",
      direction: "higher",
    },
  ],
  compute: figuresOfWindows,
};

/** `day` when no feedback was logged on it (the morning digest names such a working day), else undefined. */
export async function dayWithoutFeedback(
  db: Db,
  day: LocalDate,
  timezone: string,
): Promise<LocalDate | undefined> {
  const [found] = await db
    .select({ id: salesEntries.id })
    .from(salesEntries)
    .where(
      and(
        eq(salesEntries.kind, "feedback"),
        gte(salesEntries.at, startOfLocalDay(day, timezone)),
        lt(salesEntries.at, startOfLocalDay(addDays(day, 1), timezone)),
      ),
    )
    .limit(1);
  return found ? undefined : day;
}

/** How far back the digest looks for the previous working day (the longest run of days off is 8). */
const PREVIOUS_WORKING_DAY_SEARCH = 31;

/** The last working day before `today`, or undefined when none lies within a month. */
export function previousWorkingDay(
  today: LocalDate,
  isWorking: (day: LocalDate) => boolean,
): LocalDate | undefined {
  for (let back = 1; back <= PREVIOUS_WORKING_DAY_SEARCH; back++) {
    const day = addDays(today, -back);
    if (isWorking(day)) return day;
  }
  return undefined;
}

// The sales log's metrics for /kpi, the digest and targets: enquiries, their conversion, feedback, and the weekly
// call-back rate.
import { and, eq, gte, isNotNull, lt } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { orders, salesEntries } from "../../db/schema/index.ts";
import { addDays, isoWeekday, type LocalDate, startOfLocalDay } from "../calendar/local-time.ts";
import type { AreaFigure, AreaMetricSource, AreaWindow } from "../kpi/area-metrics.ts";
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

async function figuresOf(
  db: Db,
  window: AreaWindow,
  { timezone, now, today }: { timezone: string; now: Date; today: LocalDate },
): Promise<Record<string, AreaFigure>> {
  const { start, end } = window.instants;
  const logged = await db
    .select({ kind: salesEntries.kind, status: salesEntries.status })
    .from(salesEntries)
    .where(and(gte(salesEntries.at, start), lt(salesEntries.at, end)));
  const leads = logged.filter((entry) => entry.kind === "lead");
  const converted = leads.filter((lead) => lead.status === "converted").length;

  const week = callBackWeek(window, today);
  const weekStart = startOfLocalDay(week.from, timezone);
  const upTo = end < now ? end : now;
  const [completed, followups] = await Promise.all([
    db
      .select({ customer: orders.customer })
      .from(orders)
      .where(
        and(
          isNotNull(orders.completedAt),
          gte(orders.completedAt, weekStart),
          lt(orders.completedAt, startOfLocalDay(addDays(week.to, 1), timezone)),
        ),
      ),
    db
      .select({ customerKey: salesEntries.customerKey })
      .from(salesEntries)
      .where(
        and(eq(salesEntries.kind, "followup"), gte(salesEntries.at, weekStart), lt(salesEntries.at, upTo)),
      ),
  ]);
  const customers = new Set(completed.map((order) => customerKeyOf(order.customer)));
  const calledBack = new Set(followups.map((entry) => entry.customerKey));
  const reached = [...customers].filter((customer) => calledBack.has(customer)).length;
  return {
    enquiries: { unit: "count", value: leads.length },
    conversion: rate(converted, leads.length),
    feedback: { unit: "count", value: logged.filter((entry) => entry.kind === "feedback").length },
    callback_rate: rate(reached, customers.size),
  };
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
  compute: (db, windows, context) => Promise.all(windows.map((window) => figuresOf(db, window, context))),
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

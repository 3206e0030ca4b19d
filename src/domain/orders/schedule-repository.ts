// The production schedule read from the database: the lines, the open orders, the working calendar in force and
// the people rostered for each line on the day.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { orders } from "../../db/schema/index.ts";
import { type LocalDate, localDateOf } from "../calendar/local-time.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../calendar/working-calendar.ts";
import { rosterOf } from "../roster/roster.ts";
import { lineKey, listLines } from "./lines.ts";
import type { Priority } from "./priority.ts";
import { type OpenOrder, planSchedule, type Schedule } from "./schedule.ts";

/** Confirmed, not completed orders: the ones production still has to make. */
export async function openOrders(db: Db): Promise<OpenOrder[]> {
  const rows = await db
    .select({
      number: orders.number,
      lineId: orders.lineId,
      priority: orders.priority,
      dueDate: orders.dueDate,
      quantity: orders.quantity,
    })
    .from(orders)
    .where(eq(orders.status, "confirmed"));
  // Priorities are only written as one of PRIORITIES (prioritiseOrder, the column's default).
  return rows.map((row) => ({ ...row, priority: row.priority as Priority }));
}

/** The schedule of `day` (default today in `timezone`), the queue starting today. */
export async function loadSchedule(
  db: Db,
  query: { now: Date; timezone: string; day?: LocalDate | undefined },
): Promise<Schedule> {
  const today = localDateOf(query.now, query.timezone);
  const day = query.day ?? today;
  const [lines, open, overrides, posts] = await Promise.all([
    listLines(db),
    openOrders(db),
    loadCalendarOverrides(db),
    rosterOf(db, day),
  ]);
  const calendar = createWorkingCalendar({ timezone: query.timezone, overrides });
  const schedule = planSchedule({ lines, orders: open, today, day, calendar });
  // A line's people are those rostered for the post of the same name (any case or width).
  const rostered = new Map(posts.map((post) => [lineKey(post.post), post.assigned]));
  const lineKeys = new Map(lines.map((line) => [line.id, lineKey(line.name)]));
  return {
    ...schedule,
    lines: schedule.lines.map((plan) => {
      const people = rostered.get(lineKeys.get(plan.line.id) ?? "");
      return people ? { ...plan, rostered: people } : plan;
    }),
  };
}

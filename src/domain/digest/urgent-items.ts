// The open items closest to (or furthest past) their deadlines, for the digest: overdue orders and open complaints.
import { and, asc, eq, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { complaints, orders, people } from "../../db/schema/index.ts";
import {
  addDays,
  calendarDaysBetween,
  type LocalDate,
  localDateOf,
  startOfLocalDay,
} from "../calendar/local-time.ts";
import { REVIEW_AFTER_DAYS } from "../policy.ts";

/** How many items the digest lists. */
export const URGENT_ITEM_LIMIT = 5;

interface UrgentBase {
  number: string;
  customer: string;
  /** Who answers for it: whoever took the order, the complaint's owner (else whoever logged it). */
  owner: string;
  /** The instant the item is measured against; earlier is more urgent. */
  deadline: Date;
}

export interface UrgentOrder extends UrgentBase {
  kind: "order";
  /** DESIGN's delay: calendar days from the original due date to today. */
  daysLate: number;
}

export interface UrgentComplaint extends UrgentBase {
  kind: "complaint";
  /** The clock still running: the first response until there is one, then the resolution. */
  clock: "response" | "resolution";
}

export type UrgentItem = UrgentOrder | UrgentComplaint;

/**
 * Confirmed orders past their due date now in force, and those a delay moved ahead but that are more than
 * REVIEW_AFTER_DAYS past their original due date (the escalations the sweep alerts and the digest counts):
 * the longest delayed first.
 */
async function overdueOrders(
  db: Db,
  today: LocalDate,
  timezone: string,
  limit: number,
): Promise<UrgentOrder[]> {
  const rows = await db
    .select({
      number: orders.number,
      customer: orders.customer,
      originalDueDate: orders.originalDueDate,
      owner: people.displayName,
    })
    .from(orders)
    .innerJoin(people, eq(people.id, orders.createdBy))
    .where(
      and(
        eq(orders.status, "confirmed"),
        or(lt(orders.dueDate, today), lt(orders.originalDueDate, addDays(today, -REVIEW_AFTER_DAYS))),
      ),
    )
    .orderBy(asc(orders.originalDueDate), asc(orders.id))
    .limit(limit);
  return rows.map((row) => ({
    kind: "order",
    number: row.number,
    customer: row.customer,
    owner: row.owner,
    // "Completed by the end of that date": the order is late from local midnight after its original due date.
    deadline: startOfLocalDay(addDays(row.originalDueDate, 1), timezone),
    daysLate: calendarDaysBetween(row.originalDueDate, today),
  }));
}

/** Unresolved complaints by the deadline of the clock still running, the earliest first. */
async function openComplaints(db: Db, limit: number): Promise<UrgentComplaint[]> {
  const runningDeadline = sql<Date>`case when ${complaints.respondedAt} is null then ${complaints.responseDueAt} else ${complaints.resolutionDueAt} end`;
  const rows = await db
    .select({
      number: complaints.number,
      customer: complaints.customer,
      respondedAt: complaints.respondedAt,
      responseDueAt: complaints.responseDueAt,
      resolutionDueAt: complaints.resolutionDueAt,
      owner: people.displayName,
    })
    .from(complaints)
    .innerJoin(people, eq(people.id, sql`coalesce(${complaints.ownerId}, ${complaints.createdBy})`))
    .where(ne(complaints.status, "resolved"))
    .orderBy(asc(runningDeadline), asc(complaints.id))
    .limit(limit);
  return rows.map((row) => ({
    kind: "complaint",
    number: row.number,
    customer: row.customer,
    owner: row.owner,
    clock: row.respondedAt ? "resolution" : "response",
    deadline: row.respondedAt ? row.resolutionDueAt : row.responseDueAt,
  }));
}

/** The `limit` most urgent open items as of `now`: earliest deadline first, orders before complaints on a tie. */
export async function urgentItems(
  db: Db,
  options: { now: Date; timezone: string; limit?: number },
): Promise<UrgentItem[]> {
  const { now, timezone, limit = URGENT_ITEM_LIMIT } = options;
  const [late, open] = await Promise.all([
    overdueOrders(db, localDateOf(now, timezone), timezone, limit),
    openComplaints(db, limit),
  ]);
  return [...late, ...open].sort((a, b) => a.deadline.getTime() - b.deadline.getTime()).slice(0, limit);
}

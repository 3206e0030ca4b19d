// Reading orders: the names of the people who acted on one, and the look-up of a recent duplicate.
import { and, eq, gt, inArray, ne } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { orders, people } from "../../db/schema/index.ts";
import type { OrderRow, OrderStatus, OrderView } from "./order.ts";

/** Display names by person id, for the people an order mentions. */
export async function namesOf(db: Db, ids: readonly (number | null)[]): Promise<Record<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return {};
  const rows = await db
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(inArray(people.id, wanted));
  return Object.fromEntries(rows.map((row) => [row.id, row.name]));
}

/** The order with this number, as stored. */
export async function findOrder(db: Db, number: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.number, number));
  return row;
}

export async function withNames(db: Db, row: OrderRow): Promise<OrderView> {
  const names = await namesOf(db, [row.createdBy, row.confirmedBy, row.completedBy, row.cancelledBy]);
  return { ...row, status: row.status as OrderStatus, names };
}

export interface DuplicateQuery {
  customer: string;
  model: string;
  quantity: number;
  dueDate: string;
  /** Orders created after this instant count. */
  since: Date;
}

/** The earliest order, not cancelled, with the same customer, model, quantity and due date created since `since`. */
export async function findRecentDuplicate(db: Db, query: DuplicateQuery): Promise<OrderRow | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.customer, query.customer),
        eq(orders.model, query.model),
        eq(orders.quantity, query.quantity),
        eq(orders.dueDate, query.dueDate),
        gt(orders.createdAt, query.since),
        ne(orders.status, "cancelled"),
      ),
    )
    .orderBy(orders.createdAt)
    .limit(1);
  return row;
}

// Reading orders: one by its number, and the names of the people who acted on it.
import { eq, inArray } from "drizzle-orm";
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

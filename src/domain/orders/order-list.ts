// /order list: open (confirmed, not completed), overdue (confirmed, due before today) or the caller's own orders.
import { and, asc, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { orders } from "../../db/schema/index.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import type { OrderRow } from "./order.ts";

export type OrderFilter = "open" | "overdue" | "mine";

export interface OrderListQuery {
  filter: OrderFilter;
  personId: number;
  /** Today in OPS_TIMEZONE: an order due before it is overdue. */
  today: LocalDate;
  limit: number;
}

export interface OrderPage {
  orders: OrderRow[];
  /** How many orders match in all; more than `orders.length` when the list was capped. */
  total: number;
}

function conditionFor({ filter, personId, today }: OrderListQuery): SQL | undefined {
  switch (filter) {
    case "open":
      return eq(orders.status, "confirmed");
    case "overdue":
      return and(eq(orders.status, "confirmed"), lt(orders.dueDate, today));
    case "mine":
      return eq(orders.createdBy, personId);
  }
}

/** Open and overdue orders soonest due first; the caller's own orders newest first. */
export async function listOrders(db: Db, query: OrderListQuery): Promise<OrderPage> {
  const where = conditionFor(query);
  const order =
    query.filter === "mine"
      ? [desc(orders.createdAt), desc(orders.id)]
      : [asc(orders.dueDate), asc(orders.number)];
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(where)
      .orderBy(...order)
      .limit(query.limit),
    db.$count(orders, where),
  ]);
  return { orders: rows, total };
}

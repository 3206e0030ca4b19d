// Orders: taken in chat as drafts, confirmed, completed or delayed (keeping the original due date).
import { sql } from "drizzle-orm";
import { date, index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { productionLines } from "./production.ts";
import { people } from "./shared.ts";

export const orders = pgTable(
  "orders",
  {
    id: serial("id").primaryKey(),
    /** O-YYYYMMDD-NNN, the day in OPS_TIMEZONE; never reused. */
    number: text("number").notNull().unique(),
    customer: text("customer").notNull(),
    model: text("model").notNull(),
    quantity: integer("quantity").notNull(),
    /** The due date now in force (moved by delays). */
    dueDate: date("due_date", { mode: "string" }).notNull(),
    /** The due date first agreed; KPIs and lateness count from it. */
    originalDueDate: date("original_due_date", { mode: "string" }).notNull(),
    /** draft → confirmed → completed, or draft → cancelled. */
    status: text("status").notNull(),
    delayCount: integer("delay_count").notNull().default(0),
    /** high | normal | low: the production schedule makes higher priorities first. */
    priority: text("priority").notNull().default("normal"),
    /** The production line that makes it; null until assigned (see confirmOrder and /order line). */
    lineId: integer("line_id").references(() => productionLines.id),
    /** Where it was taken: the chat whose members see and act on it. */
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
    createdAt: timestamptz("created_at").notNull(),
    confirmedBy: integer("confirmed_by").references(() => people.id),
    confirmedAt: timestamptz("confirmed_at"),
    completedBy: integer("completed_by").references(() => people.id),
    completedAt: timestamptz("completed_at"),
    cancelledBy: integer("cancelled_by").references(() => people.id),
    cancelledAt: timestamptz("cancelled_at"),
    /** Optimistic concurrency: every state change bumps it and requires the version it read. */
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("orders_original_due_idx").on(t.originalDueDate),
    index("orders_created_idx").on(t.createdAt),
    // With the id, the orders completed in a window join their lots (sampling metrics) from the index alone.
    index("orders_completed_idx").on(t.completedAt, t.id),
    // Covers the sweep's and the KPIs' open-order tests (and the number) without reading the table.
    index("orders_open_due_idx").on(t.dueDate, t.originalDueDate, t.number).where(sql`status = 'confirmed'`),
    // The production schedule reads every open order's line, priority, due date, number and quantity.
    index("orders_open_line_idx")
      .on(t.lineId, t.priority, t.dueDate, t.number, t.quantity)
      .where(sql`status = 'confirmed'`),
    index("orders_duplicate_idx").on(t.customer, t.model, t.quantity, t.dueDate, t.createdAt),
  ],
);

export const orderDelays = pgTable(
  "order_delays",
  {
    id: serial("id").primaryKey(),
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    toDate: date("to_date", { mode: "string" }).notNull(),
    reason: text("reason").notNull(),
    delayedBy: integer("delayed_by")
      .notNull()
      .references(() => people.id),
    delayedAt: timestamptz("delayed_at").notNull(),
  },
  (t) => [index("order_delays_order_idx").on(t.orderId)],
);

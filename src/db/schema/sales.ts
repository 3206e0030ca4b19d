// The sales log: pre-sales enquiries (leads), feedback during an order, after-sales call-backs (follow-ups).
import { index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const salesEntries = pgTable(
  "sales_entries",
  {
    id: serial("id").primaryKey(),
    /** "lead" | "feedback" | "followup". */
    kind: text("kind").notNull(),
    /** Q-YYYYMMDD-NNN for a lead; feedback and follow-ups go by their id. */
    number: text("number").unique(),
    customer: text("customer").notNull(),
    /** The customer as matched against orders: NFKC, trimmed, lower case. */
    customerKey: text("customer_key").notNull(),
    text: text("text").notNull(),
    /** A lead's state: "open" → "converted" (an order drafted from it) | "closed"; null for the other kinds. */
    status: text("status"),
    /** The order drafted from a lead. */
    orderNumber: text("order_number"),
    /** The complaint opened from a feedback. */
    complaintNumber: text("complaint_number"),
    /** When a lead was converted or closed, or a complaint opened from a feedback, and by whom. */
    settledAt: timestamptz("settled_at"),
    settledBy: integer("settled_by").references(() => people.id),
    at: timestamptz("at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("sales_entries_kind_at_idx").on(t.kind, t.at),
    // A window's entries of every kind (the sales metrics), read from the index alone.
    index("sales_entries_at_idx").on(t.at, t.kind, t.status),
    index("sales_entries_customer_idx").on(t.customerKey, t.kind, t.at),
  ],
);

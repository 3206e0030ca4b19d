// Finance: the daily reconciliation of income and expenses, and reimbursements signed or rejected by finance.
import { sql } from "drizzle-orm";
import { boolean, date, index, integer, numeric, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

/** Money is an exact decimal with two places, read and written as a string (never floating point). */
const money = (name: string) => numeric(name, { precision: 15, scale: 2, mode: "string" });

export const reconciliations = pgTable("reconciliations", {
  /** The business day reconciled; one row per day (a second /reconcile replaces it, audited). */
  day: date("day", { mode: "string" }).primaryKey(),
  income: money("income").notNull(),
  expense: money("expense").notNull(),
  note: text("note"),
  recordedAt: timestamptz("recorded_at").notNull(),
  recordedBy: integer("recorded_by")
    .notNull()
    .references(() => people.id),
});

export const expenses = pgTable(
  "expenses",
  {
    id: serial("id").primaryKey(),
    /** E-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    amount: money("amount").notNull(),
    reason: text("reason").notNull(),
    /** "pending" → "signed" | "rejected". */
    status: text("status").notNull(),
    requestedAt: timestamptz("requested_at").notNull(),
    requestedBy: integer("requested_by")
      .notNull()
      .references(() => people.id),
    /** Waiting past this (1 working day after the request) is alerted. */
    signDueAt: timestamptz("sign_due_at").notNull(),
    signDueProvisional: boolean("sign_due_provisional").notNull().default(false),
    /** Where it was asked: the outcome is told there when the requester cannot be messaged directly. */
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    chatKind: text("chat_kind").notNull(),
    decidedAt: timestamptz("decided_at"),
    decidedBy: integer("decided_by").references(() => people.id),
    rejectReason: text("reject_reason"),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("expenses_pending_idx").on(t.signDueAt, t.number).where(sql`status = 'pending'`)],
);

// Alerts raised by the overdue sweep: one row per (kind, entity, level), with its repeat, snooze and ack state.
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const alerts = pgTable(
  "alerts",
  {
    id: serial("id").primaryKey(),
    /** A-YYYYMMDD-NNN (the day it was raised, in OPS_TIMEZONE): what /ack, /snooze and /escalate name. */
    number: text("number").unique(),
    /** "response" | "resolution" (complaint clocks), "order", "inspection", "task", "stock" (below safety stock),
     * "maintenance" (service overdue), "risk" (a high risk without a plan with an owner). */
    kind: text("kind").notNull(),
    /** The complaint, order or task number, "<area code>:<local date>" for a missed inspection, "<sku>#<drop>" for
     * stock, "<equipment>:<due date>" for maintenance, the risk number for a risk. */
    entity: text("entity").notNull(),
    /** "warning" (75 %), "breach", "overdue", "missed", "low", "review" (order > 5 days late), "escalation". */
    level: text("level").notNull(),
    /** Goes out even in quiet hours. */
    safety: boolean("safety").notNull().default(false),
    /** What the card shows (customer, due time, days late…), fixed when the alert is raised. */
    facts: jsonb("facts").notNull(),
    raisedAt: timestamptz("raised_at").notNull(),
    /** When the next notice is due; null once nothing more will be sent (acked or closed). */
    notifyAt: timestamptz("notify_at"),
    /** Notices sent so far: the next one is number `sent_count` in its outbox key. */
    sentCount: integer("sent_count").notNull().default(0),
    firstSentAt: timestamptz("first_sent_at"),
    /** Unacked by then → escalated to the managers; null for alerts that already go to them. */
    escalateAt: timestamptz("escalate_at"),
    ackedAt: timestamptz("acked_at"),
    ackedBy: integer("acked_by").references(() => people.id),
    snoozedUntil: timestamptz("snoozed_until"),
    snoozedBy: integer("snoozed_by").references(() => people.id),
    /** The condition ended (responded, completed, inspected), or a higher level took over. */
    closedAt: timestamptz("closed_at"),
    /** "cleared" | "superseded" | "escalated". */
    closedReason: text("closed_reason"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("alerts_kind_entity_level_uq").on(t.kind, t.entity, t.level),
    // The open alerts with a notice to come: the sweep looks for the due ones among them.
    index("alerts_notify_idx")
      .on(t.notifyAt)
      .where(sql`notify_at is not null and acked_at is null and closed_at is null`),
    index("alerts_escalate_idx")
      .on(t.escalateAt)
      .where(sql`escalate_at is not null and acked_at is null and closed_at is null`),
    index("alerts_open_idx").on(t.kind, t.entity).where(sql`acked_at is null and closed_at is null`),
  ],
);

/**
 * The alert kinds whose subjects were written since the sweep last re-checked them: triggers on the subject tables
 * (and on alerts, for an alert raised against a subject that changed meanwhile) add a row, the sweep takes them.
 * Time never ends a condition, only a change to its subject does, so the open alerts of a kind with no row here
 * still hold and the sweep leaves them unread.
 */
export const alertRechecks = pgTable("alert_rechecks", {
  kind: text("kind").notNull(),
});

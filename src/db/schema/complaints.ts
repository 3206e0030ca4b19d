// Customer complaints with their two clocks: first response within 24 h, resolution within 3 working days.
import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const complaints = pgTable(
  "complaints",
  {
    id: serial("id").primaryKey(),
    /** C-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    customer: text("customer").notNull(),
    description: text("description").notNull(),
    /** open → responded → resolved. */
    status: text("status").notNull(),
    receivedAt: timestamptz("received_at").notNull(),
    responseDueAt: timestamptz("response_due_at").notNull(),
    resolutionDueAt: timestamptz("resolution_due_at").notNull(),
    /** The resolution deadline was counted Monday–Friday beyond the published holiday data. */
    resolutionDueProvisional: boolean("resolution_due_provisional").notNull().default(false),
    /** The resolution deadline before a calendar change (`/calendar set|unset`) last moved it; null if never. */
    resolutionDueMovedFrom: timestamptz("resolution_due_moved_from"),
    /** Who took it (the "Take" button); may differ from whoever responds. */
    ownerId: integer("owner_id").references(() => people.id),
    respondedAt: timestamptz("responded_at"),
    respondedBy: integer("responded_by").references(() => people.id),
    response: text("response"),
    resolvedAt: timestamptz("resolved_at"),
    resolvedBy: integer("resolved_by").references(() => people.id),
    resolution: text("resolution"),
    /** Customer satisfaction 1–5; 4 and 5 count as satisfied. */
    satisfaction: integer("satisfaction"),
    ratedAt: timestamptz("rated_at"),
    ratedBy: integer("rated_by").references(() => people.id),
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("complaints_received_idx").on(t.receivedAt),
    index("complaints_response_due_idx").on(t.responseDueAt),
    index("complaints_resolution_due_idx").on(t.resolutionDueAt),
    index("complaints_rated_idx").on(t.ratedAt),
    // Covers the sweep's complaint clocks (received, responded, number) without reading the table.
    index("complaints_open_idx").on(t.receivedAt, t.respondedAt, t.number).where(sql`status <> 'resolved'`),
  ],
);

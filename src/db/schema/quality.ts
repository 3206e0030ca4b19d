// Quality sampling: production lots of an order, each with its required sample, and the sampling results recorded.
import { sql } from "drizzle-orm";
import { index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { orders } from "./orders.ts";
import { people } from "./shared.ts";

export const lots = pgTable(
  "lots",
  {
    id: serial("id").primaryKey(),
    /** L-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id),
    size: integer("size").notNull(),
    /** ⌈SAMPLE_PERCENT × size⌉, at least SAMPLE_MIN; fixed when the lot is created. */
    requiredSample: integer("required_sample").notNull(),
    /** The totals of its sampling results. */
    sampled: integer("sampled").notNull().default(0),
    defects: integer("defects").notNull().default(0),
    /** When the sampled total first reached the required sample. */
    sampleMetAt: timestamptz("sample_met_at"),
    /** open → released, or open → rejected (defect rate over the limit once the sample is met). */
    status: text("status").notNull().default("open"),
    /** When it was released or rejected. */
    decidedAt: timestamptz("decided_at"),
    decidedBy: integer("decided_by").references(() => people.id),
    createdAt: timestamptz("created_at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
  },
  (t) => [
    index("lots_order_idx").on(t.orderId),
    index("lots_decided_idx").on(t.decidedAt),
    index("lots_rejected_idx").on(t.number).where(sql`status = 'rejected'`),
  ],
);

export const lotSamples = pgTable(
  "lot_samples",
  {
    id: serial("id").primaryKey(),
    lotId: integer("lot_id")
      .notNull()
      .references(() => lots.id),
    sampled: integer("sampled").notNull(),
    defects: integer("defects").notNull(),
    note: text("note"),
    at: timestamptz("at").notNull(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
  },
  (t) => [index("lot_samples_lot_idx").on(t.lotId)],
);

// Per-day document numbers (O-20261126-001): one counter row per kind and business day.
import { date, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const dailySequences = pgTable(
  "daily_sequences",
  {
    /** "O" orders, "C" complaints, "I" inspections, "T" tasks, "A" alerts, "R" risks, "M" meetings, "L" lots, "S" stocktakes, "Q" sales leads, "E" reimbursements. */
    prefix: text("prefix").notNull(),
    /** The business day in OPS_TIMEZONE. */
    day: date("day", { mode: "string" }).notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.day] })],
);

// Drizzle schema of targets: one current value per metric, window and department; earlier values live in the audit trail.
import { integer, numeric, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const targets = pgTable(
  "targets",
  {
    id: serial("id").primaryKey(),
    /** A metric id of src/domain/targets/metrics.ts. */
    metric: text("metric").notNull(),
    /** day | week | month */
    period: text("period").notNull(),
    /** Free text as typed ("production", "QC"); "" when the target is the company's. */
    department: text("department").notNull(),
    /** A count, or a rate as a share 0–1. */
    value: numeric("value", { mode: "number" }).notNull(),
    ownerName: text("owner_name"),
    setBy: integer("set_by").references(() => people.id),
    setAt: timestamptz("set_at").notNull(),
  },
  (t) => [uniqueIndex("targets_metric_period_department_idx").on(t.metric, t.period, t.department)],
);

// What the bot's own morning probe of each configured system found (OPS_SYSTEM_CHECKS), one row per system and day.
import { boolean, integer, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

export const systemProbes = pgTable(
  "system_probes",
  {
    id: serial("id").primaryKey(),
    /** The local day (YYYY-MM-DD in OPS_TIMEZONE) of the morning it belongs to. */
    day: text("day").notNull(),
    /** The system's name in OPS_SYSTEM_CHECKS, which is its /checklist area key. */
    system: text("system").notNull(),
    probedAt: timestamptz("probed_at").notNull(),
    /** The HTTP status; null when no answer came (refused, timed out). */
    status: integer("status"),
    /** Milliseconds until the answer or the timeout. */
    latencyMs: integer("latency_ms").notNull(),
    /** A 2xx answer within the timeout. */
    reachable: boolean("reachable").notNull(),
    /** "timeout" or the error's name when no answer came. */
    failure: text("failure"),
  },
  (t) => [uniqueIndex("system_probes_day_system_uq").on(t.day, t.system)],
);

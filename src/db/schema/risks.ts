// The risk register: each risk's likelihood, impact and score, its plan with owner and task, and who closed it.
import { sql } from "drizzle-orm";
import { date, index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const risks = pgTable(
  "risks",
  {
    id: serial("id").primaryKey(),
    /** R-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    description: text("description").notNull(),
    likelihood: integer("likelihood").notNull(),
    impact: integer("impact").notNull(),
    /** Likelihood × impact, kept by the database so that no writer can get it wrong. */
    score: integer("score").notNull().generatedAlwaysAs(sql`likelihood * impact`),
    /** open → closed. */
    status: text("status").notNull(),
    /** What will be done about it; null until /risk plan. */
    plan: text("plan"),
    planOwnerId: integer("plan_owner_id").references(() => people.id),
    /** The day the plan's task is due, in OPS_TIMEZONE. */
    planDue: date("plan_due", { mode: "string" }),
    /** The task that carries the plan to its owner (T-…). */
    planTask: text("plan_task"),
    plannedAt: timestamptz("planned_at"),
    plannedBy: integer("planned_by").references(() => people.id),
    raisedAt: timestamptz("raised_at").notNull(),
    raisedBy: integer("raised_by")
      .notNull()
      .references(() => people.id),
    closedAt: timestamptz("closed_at"),
    closedBy: integer("closed_by").references(() => people.id),
    /** The chat it was raised in. */
    platform: text("platform"),
    chatId: text("chat_id"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("risks_open_score_idx").on(t.score, t.id).where(sql`status = 'open'`),
    index("risks_unplanned_idx").on(t.raisedAt).where(sql`status = 'open' and plan_owner_id is null`),
  ],
);

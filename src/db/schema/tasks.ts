// Tasks: anything a person must do by a date, from a command or from another area (plan, maintenance, risk…).
import { sql } from "drizzle-orm";
import { date, index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const tasks = pgTable(
  "tasks",
  {
    id: serial("id").primaryKey(),
    /** T-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    title: text("title").notNull(),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => people.id),
    /** The last day it may be done on, in OPS_TIMEZONE; it is overdue from the next day's start. */
    dueDate: date("due_date", { mode: "string" }).notNull(),
    /** open → done. */
    status: text("status").notNull(),
    /** What created it: "command", "plan", "maintenance", "risk", …, and that thing's id. */
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id").notNull(),
    /** When the owner is reminded (the working day before the due date); Snooze moves it; null once sent. */
    remindAt: timestamptz("remind_at"),
    remindedAt: timestamptz("reminded_at"),
    doneAt: timestamptz("done_at"),
    doneBy: integer("done_by").references(() => people.id),
    /** The chat it was created in, where the reminder goes when the owner cannot be messaged directly. */
    platform: text("platform"),
    chatId: text("chat_id"),
    createdAt: timestamptz("created_at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("tasks_source_idx").on(t.sourceType, t.sourceId),
    index("tasks_owner_idx").on(t.ownerId),
    index("tasks_remind_idx").on(t.remindAt).where(sql`remind_at is not null and status = 'open'`),
    index("tasks_open_due_idx").on(t.dueDate, t.number).where(sql`status = 'open'`),
  ],
);

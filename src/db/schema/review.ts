// Review and improvement: special and monthly review meetings, training records, and sandbox practice sessions.
import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const meetings = pgTable(
  "meetings",
  {
    id: serial("id").primaryKey(),
    /** M-YYYYMMDD-NNN, the day in OPS_TIMEZONE it was scheduled on. */
    number: text("number").notNull().unique(),
    /** "special" (about a late order) | "review" (the monthly review) | "topic" (anything else). */
    kind: text("kind").notNull(),
    /** The order number, "review", or the topic as typed. */
    topic: text("topic").notNull(),
    /** The late order the meeting is about; its due date may move by the minutes. */
    orderNumber: text("order_number"),
    startsAt: timestamptz("starts_at").notNull(),
    /** [{ personId, name }] in the order they were named. */
    attendees: jsonb("attendees").notNull(),
    decision: text("decision"),
    /** The order's new due date the minutes decided, applied through the order's delay rules. */
    newDueDate: date("new_due_date", { mode: "string" }),
    minutesAt: timestamptz("minutes_at"),
    minutesBy: integer("minutes_by").references(() => people.id),
    /** The chat it was scheduled in. */
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("meetings_order_idx").on(t.orderNumber)],
);

export const trainingRecords = pgTable(
  "training_records",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    course: text("course").notNull(),
    /** The day it took place, in OPS_TIMEZONE. */
    day: date("day", { mode: "string" }).notNull(),
    /** "log" (/training log) | "practice" (a finished /practice). */
    source: text("source").notNull(),
    /** A practice's score in percent; null for a logged course. */
    score: integer("score"),
    createdAt: timestamptz("created_at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
  },
  (t) => [index("training_records_person_day_idx").on(t.personId, t.day)],
);

/** A simulated order and complaint one person walks through: never an order, complaint, alert or number. */
export const practiceSessions = pgTable(
  "practice_sessions",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    /** The made-up order and complaint, fixed when the practice starts. */
    scenario: jsonb("scenario").notNull(),
    /** The step being asked, from 0. */
    step: integer("step").notNull().default(0),
    /** [{ answer, correct }] per step answered. */
    answers: jsonb("answers").notNull(),
    startedAt: timestamptz("started_at").notNull(),
    finishedAt: timestamptz("finished_at"),
    score: integer("score"),
    version: integer("version").notNull().default(1),
  },
  (t) => [uniqueIndex("practice_sessions_open_uq").on(t.personId).where(sql`finished_at is null`)],
);

// Drizzle schema of the shared tables: people and roles, chats, subscriptions, audit, inbox, outbox, jobs.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

export const people = pgTable("people", {
  id: serial("id").primaryKey(),
  displayName: text("display_name").notNull(),
  createdAt: timestamptz("created_at").notNull(),
});

/** A platform account (Lark open_id, DingTalk staff id, WeCom userid) and the person behind it. */
export const identities = pgTable(
  "identities",
  {
    platform: text("platform").notNull(),
    platformUserId: text("platform_user_id").notNull(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    name: text("name"),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.platformUserId] }),
    index("identities_person_idx").on(t.personId),
  ],
);

export const personRoles = pgTable(
  "person_roles",
  {
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    role: text("role").notNull(),
    grantedBy: integer("granted_by").references(() => people.id),
    grantedAt: timestamptz("granted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] })],
);

/**
 * One row counting the changes to people, identities and roles, bumped by a trigger on each of those tables
 * (migration 0023) in the writing transaction: a process that cached who someone is knows its copy is current
 * while the count it read with the copy has not moved, whichever process or job made the change.
 */
export const directoryVersion = pgTable("directory_version", {
  only: boolean("only").primaryKey().default(true),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

export const chats = pgTable(
  "chats",
  {
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    kind: text("kind").notNull(),
    title: text("title"),
    /** Group robot webhook, for groups reached only that way (WeCom). A secret: never logged. */
    webhookUrl: text("webhook_url"),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.chatId] })],
);

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: serial("id").primaryKey(),
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    /** "digest" or "alerts". */
    topic: text("topic").notNull(),
    /** Local time of day (HH:MM in OPS_TIMEZONE) for the digest. */
    sendAt: text("send_at"),
    /** "zh" or "en": the language the group subscribed in, which its pushes speak. */
    language: text("language").notNull().default("zh"),
    createdBy: integer("created_by").references(() => people.id),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [uniqueIndex("subscriptions_chat_topic_uq").on(t.platform, t.chatId, t.topic)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull(),
    actorPersonId: integer("actor_person_id").references(() => people.id),
    platform: text("platform"),
    platformMessageId: text("platform_message_id"),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    action: text("action").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_entity_idx").on(t.entityType, t.entityId),
    index("audit_at_idx").on(t.at),
    // What a platform message changed: a retry after a crash looks here before running its command again.
    index("audit_source_idx").on(t.platform, t.platformMessageId),
  ],
);

/**
 * Every verified inbound event, stored before the 200 goes out. Vacuumed after a fixed count of dead rows
 * whatever its size (migration 0028), as are the outbox and the send budgets.
 */
export const inbox = pgTable(
  "inbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    platform: text("platform").notNull(),
    dedupKey: text("dedup_key").notNull(),
    event: jsonb("event").notNull(),
    /** pending → processing → done | dead */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    receivedAt: timestamptz("received_at").notNull(),
    /** A processing row whose lease ran out is picked up again by the sweep. */
    leaseUntil: timestamptz("lease_until"),
    finishedAt: timestamptz("finished_at"),
    /**
     * A card click's result once it is done: a redelivery of the click (the platform never got the first
     * answer) is answered with it again.
     */
    answer: jsonb("answer"),
  },
  (t) => [
    uniqueIndex("inbox_dedup_uq").on(t.platform, t.dedupKey),
    index("inbox_open_idx").on(t.leaseUntil).where(sql`status in ('pending', 'processing')`),
    index("inbox_finished_idx").on(t.finishedAt),
  ],
);

/** Every outbound message, keyed so that a retry or a second instance never sends it twice. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    platform: text("platform").notNull(),
    /** Rate-limit bucket of the destination (chat id or webhook key). */
    targetKey: text("target_key").notNull(),
    target: jsonb("target").notNull(),
    message: jsonb("message").notNull(),
    /** pending → sending → sent | failed */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull(),
    leaseUntil: timestamptz("lease_until"),
    lastError: text("last_error"),
    result: jsonb("result"),
    createdAt: timestamptz("created_at").notNull(),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    uniqueIndex("outbox_key_uq").on(t.idempotencyKey),
    index("outbox_due_idx").on(t.nextAttemptAt).where(sql`status in ('pending', 'sending')`),
    /** The sender keeps each destination's messages in order: "is an earlier one still open?" */
    index("outbox_target_open_idx")
      .on(t.platform, t.targetKey, t.id)
      .where(sql`status in ('pending', 'sending')`),
    index("outbox_finished_idx").on(t.finishedAt),
  ],
);

/**
 * The send budgets every sender on this database spends from (an app's, a destination's): the starts of its
 * last `count` sends (ms since the epoch, oldest first), so any number of processes stay within one limit.
 * The starts are stored out of line without compression (migration 0027): they are rewritten at every send,
 * and the table is vacuumed after every thousand dead rows (migration 0028).
 */
export const sendBudgets = pgTable(
  "send_budgets",
  {
    budget: text("budget").primaryKey(),
    starts: doublePrecision("starts").array().notNull().default(sql`'{}'`),
    /** The last start, for clearing out budgets of destinations long quiet. */
    lastStartAt: timestamptz("last_start_at"),
  },
  (t) => [index("send_budgets_last_start_idx").on(t.lastStartAt)],
);

/** One row per job and scheduled tick: whoever inserts it runs the tick. */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    job: text("job").notNull(),
    tick: timestamptz("tick").notNull(),
    /** "schedule" (claimed by a scheduler) or "manual" (npm run job). */
    trigger: text("trigger").notNull(),
    status: text("status").notNull(),
    claimedBy: text("claimed_by").notNull(),
    startedAt: timestamptz("started_at").notNull(),
    finishedAt: timestamptz("finished_at"),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("job_runs_tick_uq").on(t.job, t.tick).where(sql`"trigger" = 'schedule'`),
    index("job_runs_started_idx").on(t.startedAt),
  ],
);

/** Admin corrections of the working-day calendar: extra days off or extra working days. */
export const calendarOverrides = pgTable("calendar_overrides", {
  day: date("day", { mode: "string" }).primaryKey(),
  /** "off" or "work". */
  kind: text("kind").notNull(),
  note: text("note"),
  createdBy: integer("created_by").references(() => people.id),
  createdAt: timestamptz("created_at").notNull(),
});

/**
 * Signed header pairs whose signature does not cover the body (DingTalk), with each body accepted under them
 * and when: a pair takes new bodies only just after its first use (signature-uses.ts). Rows past the platform's
 * timestamp window are deleted.
 */
export const signatureUses = pgTable(
  "signature_uses",
  {
    platform: text("platform").notNull(),
    signature: text("signature").notNull(),
    bodyDigest: text("body_digest").notNull(),
    seenAt: timestamptz("seen_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.signature, t.bodyDigest] }),
    index("signature_uses_seen_idx").on(t.seenAt),
  ],
);

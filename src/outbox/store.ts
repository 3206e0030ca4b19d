// The outbox table: insert once per key, claim with FOR UPDATE SKIP LOCKED under a lease, record outcomes.
import { and, asc, eq, gt, inArray, lt, lte, notExists, type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn, alias } from "drizzle-orm/pg-core";
import type { OutboundMessage } from "../chat/card.ts";
import type { Target } from "../chat/events.ts";
import { coalesce } from "../db/coalesce.ts";
import { type Db, rowsOf } from "../db/database.ts";
import { chats, outbox } from "../db/schema/index.ts";
import type { SendResult } from "../platforms/types.ts";

/** A row this sender holds: only the holder of this exact lease may record its outcome. */
export interface ClaimedRow {
  id: number;
  idempotencyKey: string;
  /** A PlatformId when the row was written by enqueue; checked against the configured adapters. */
  platform: string;
  targetKey: string;
  target: Target;
  message: OutboundMessage;
  /** Attempts recorded before this claim. */
  attempts: number;
  createdAt: Date;
  leaseUntil: Date;
}

export interface NewRow {
  idempotencyKey: string;
  platform: string;
  targetKey: string;
  target: Target;
  message: OutboundMessage;
  notBefore?: Date;
}

/** A sent row's record, as the statement that writes several at once reads it. */
interface SentRecord {
  id: number;
  lease_until: string;
  attempts: number;
  result: SendResult;
  sent_at: string;
}

/** Sends' records per statement at most. */
const MARK_SENT_BATCH = 200;

/** Written out (not as parameters) so the planner can use the partial indexes on open rows. */
const isOpen = (status: AnyPgColumn) => sql`${status} in ('pending', 'sending')`;

const claimedColumns = {
  id: outbox.id,
  idempotencyKey: outbox.idempotencyKey,
  platform: outbox.platform,
  targetKey: outbox.targetKey,
  target: outbox.target,
  message: outbox.message,
  attempts: outbox.attempts,
  createdAt: outbox.createdAt,
  leaseUntil: outbox.leaseUntil,
};

interface ReturnedRow extends Omit<ClaimedRow, "target" | "message" | "leaseUntil"> {
  target: unknown;
  message: unknown;
  leaseUntil: Date | null;
}

function asClaimed(row: ReturnedRow): ClaimedRow {
  if (!row.leaseUntil) throw new Error(`outbox row ${row.id} claimed without a lease`);
  return {
    ...row,
    target: row.target as Target,
    message: row.message as OutboundMessage,
    leaseUntil: row.leaseUntil,
  };
}

/**
 * The rows as one JSON parameter: a sweep stores tens of thousands at once, and one bind parameter per value
 * would cost more than the insert; the statement's text stays the same whatever the count.
 */
const inputOf = (rows: NewRow[], now: Date) =>
  JSON.stringify(
    rows.map(({ notBefore, ...row }) => ({
      idempotency_key: row.idempotencyKey,
      platform: row.platform,
      target_key: row.targetKey,
      target: row.target,
      message: row.message,
      // A row held for later counts its day of retries (GIVE_UP_AFTER_MS) from the time it is due.
      due: (notBefore && notBefore > now ? notBefore : now).toISOString(),
    })),
  );

export function createOutboxStore(db: Db) {
  /** Only the sender holding this lease may write: a sender whose lease ran out and was re-claimed is ignored. */
  const held = (row: ClaimedRow) =>
    and(eq(outbox.id, row.id), eq(outbox.status, "sending"), eq(outbox.leaseUntil, row.leaseUntil));

  /**
   * Every send records its outcome, and nearly all are sent: sends that end while a record is being written go
   * together in the next statement. Only each row's lease holder may write; the ids written come back.
   */
  const record = sql`x`;
  /** Built once (it runs after nearly every send): the records as one JSON parameter. */
  const markSentStatement = db
    .update(outbox)
    .set({
      status: "sent",
      attempts: sql`${record}.attempts`,
      result: sql`${record}.result`,
      leaseUntil: null,
      nextAttemptAt: sql`${record}.sent_at`,
      finishedAt: sql`${record}.sent_at`,
    })
    .from(
      sql`jsonb_to_recordset(${sql.placeholder("sends")}::jsonb)
        as ${record}(id bigint, lease_until timestamptz, attempts int, result jsonb, sent_at timestamptz)`,
    )
    .where(
      and(
        eq(outbox.id, sql`${record}.id`),
        eq(outbox.status, "sending"),
        eq(outbox.leaseUntil, sql`${record}.lease_until`),
      ),
    )
    .returning({ id: outbox.id })
    .prepare("outbox_mark_sent");
  const markSentTogether = coalesce(async (sends: SentRecord[]): Promise<boolean[]> => {
    const written = new Set(
      (await markSentStatement.execute({ sends: JSON.stringify(sends) })).map((row) => Number(row.id)),
    );
    return sends.map((send) => written.has(send.id));
  }, MARK_SENT_BATCH);

  /**
   * Marks the chosen rows as sending until `leaseUntil`. `next_attempt_at` moves to the end of the lease too,
   * so one condition (open and due) finds both waiting rows and rows whose sender died.
   */
  async function claim(chosen: SQL, limit: number, now: Date, leaseUntil: Date) {
    const due = db.$with("due").as(
      db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(isOpen(outbox.status), lte(outbox.nextAttemptAt, now), chosen))
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for("update", { skipLocked: true }),
    );
    const rows = await db
      .with(due)
      .update(outbox)
      .set({ status: "sending", leaseUntil, nextAttemptAt: leaseUntil })
      .from(due)
      .where(eq(outbox.id, due.id))
      .returning(claimedColumns);
    return rows.map(asClaimed).sort((a, b) => a.id - b.id);
  }

  return {
    /**
     * Writes the rows that are new, in the order given (their ids keep each destination's order); returns their
     * keys. `executor` may be a transaction of the caller's.
     */
    async insert(rows: NewRow[], now: Date, executor: Db = db): Promise<string[]> {
      if (rows.length === 0) return [];
      const input = inputOf(rows, now);
      const inserted = await executor.execute(sql`
        insert into ${outbox} (idempotency_key, platform, target_key, target, message, next_attempt_at, created_at)
        select idempotency_key, platform, target_key, target, message, due, due
          from rows from (jsonb_to_recordset(${input}::jsonb)
              as (idempotency_key text, platform text, target_key text, target jsonb, message jsonb, due timestamptz))
            with ordinality as x(idempotency_key, platform, target_key, target, message, due, position)
          order by position
        on conflict (idempotency_key) do nothing
        returning idempotency_key`);
      return rowsOf<{ idempotency_key: string }>(inserted).map((row) => row.idempotency_key);
    },

    /**
     * Writes the rows that are new already claimed until `leaseUntil`, for a sender that sends them at once;
     * returns those rows. Keys already in the table are left as they are and not returned. `alongside`, a
     * statement of the caller's (marking the event the rows answer done), goes in the same round trip. Only
     * the ids come back: the rest of each row is what the caller gave.
     */
    async insertClaimed(rows: NewRow[], now: Date, leaseUntil: Date, alongside?: SQL): Promise<ClaimedRow[]> {
      if (rows.length === 0) {
        if (alongside) await db.execute(alongside);
        return [];
      }
      const lease = leaseUntil.toISOString();
      const inserted = await db.execute(sql`
        ${alongside ? sql`with alongside as (${alongside})` : sql``}
        insert into ${outbox} (idempotency_key, platform, target_key, target, message, status, lease_until,
            next_attempt_at, created_at)
        select idempotency_key, platform, target_key, target, message, 'sending', ${lease}::timestamptz,
            ${lease}::timestamptz, ${now.toISOString()}::timestamptz
          from rows from (jsonb_to_recordset(${inputOf(rows, now)}::jsonb)
              as (idempotency_key text, platform text, target_key text, target jsonb, message jsonb, due timestamptz))
            with ordinality as x(idempotency_key, platform, target_key, target, message, due, position)
          order by position
        on conflict (idempotency_key) do nothing
        returning id, idempotency_key`);
      // A key given twice is written once, from its first row.
      const given = new Map<string, NewRow>();
      for (const row of rows) if (!given.has(row.idempotencyKey)) given.set(row.idempotencyKey, row);
      return rowsOf<{ id: number | string; idempotency_key: string }>(inserted)
        .map(({ id, idempotency_key }): ClaimedRow => {
          const row = given.get(idempotency_key);
          if (!row) throw new Error(`outbox insert returned a key it was not given: ${idempotency_key}`);
          const { idempotencyKey, platform, targetKey, target, message } = row;
          return {
            id: Number(id),
            idempotencyKey,
            platform,
            targetKey,
            target,
            message,
            attempts: 0,
            createdAt: now,
            leaseUntil,
          };
        })
        .sort((a, b) => a.id - b.id);
    },

    /**
     * Due rows in id order, except those queued behind an earlier row of the same destination that is waiting
     * for a retry or held by a live lease: each destination gets its messages in order.
     */
    claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedRow[]> {
      const earlier = alias(outbox, "earlier");
      const notBehindAnother = notExists(
        db
          .select({ one: sql`1` })
          .from(earlier)
          .where(
            and(
              eq(earlier.platform, outbox.platform),
              eq(earlier.targetKey, outbox.targetKey),
              lt(earlier.id, outbox.id),
              isOpen(earlier.status),
              gt(earlier.nextAttemptAt, now),
            ),
          ),
      );
      return claim(notBehindAnother, limit, now, leaseUntil);
    },

    /** These rows, if due and not held by anyone: the direct-reply path, which does not queue behind others. */
    claimKeys(keys: string[], now: Date, leaseUntil: Date): Promise<ClaimedRow[]> {
      if (keys.length === 0) return Promise.resolve([]);
      return claim(inArray(outbox.idempotencyKey, keys), keys.length, now, leaseUntil);
    },

    markSent(row: ClaimedRow, result: SendResult, now: Date): Promise<boolean> {
      return markSentTogether({
        id: row.id,
        lease_until: row.leaseUntil.toISOString(),
        attempts: row.attempts + 1,
        result,
        sent_at: now.toISOString(),
      });
    },

    async markRetry(row: ClaimedRow, at: Date, reason: string): Promise<boolean> {
      const updated = await db
        .update(outbox)
        .set({
          status: "pending",
          attempts: row.attempts + 1,
          lastError: reason,
          leaseUntil: null,
          nextAttemptAt: at,
        })
        .where(held(row))
        .returning({ id: outbox.id });
      return updated.length > 0;
    },

    /** `attempted` is false when nothing was sent (no adapter for the platform). */
    async markFailed(row: ClaimedRow, reason: string, now: Date, attempted: boolean): Promise<boolean> {
      const updated = await db
        .update(outbox)
        .set({
          status: "failed",
          attempts: row.attempts + (attempted ? 1 : 0),
          lastError: reason,
          leaseUntil: null,
          nextAttemptAt: now,
          finishedAt: now,
        })
        .where(held(row))
        .returning({ id: outbox.id });
      return updated.length > 0;
    },

    /** Hands a row back unsent (not counted as an attempt), to be claimed again from `at`. */
    async release(row: ClaimedRow, at: Date): Promise<boolean> {
      const updated = await db
        .update(outbox)
        .set({ status: "pending", leaseUntil: null, nextAttemptAt: at })
        .where(held(row))
        .returning({ id: outbox.id });
      return updated.length > 0;
    },

    /** Every row held by a sender goes back to the table, due at `now`; returns how many. */
    async releaseAll(now: Date): Promise<number> {
      const released = await db
        .update(outbox)
        .set({ status: "pending", leaseUntil: null, nextAttemptAt: now })
        .where(eq(outbox.status, "sending"))
        .returning({ id: outbox.id });
      return released.length;
    },

    async stored(keys: readonly string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .select({ key: outbox.idempotencyKey })
        .from(outbox)
        .where(inArray(outbox.idempotencyKey, [...keys]));
      return new Set(rows.map((row) => row.key));
    },

    /** Rows whose key starts with `prefix` that are not sent yet (pending, or held by a sender). */
    async waiting(prefix: string): Promise<number> {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(outbox)
        .where(
          and(
            inArray(outbox.status, ["pending", "sending"]),
            sql`starts_with(${outbox.idempotencyKey}, ${prefix})`,
          ),
        );
      return row?.count ?? 0;
    },

    /** The robot webhook the chat's subscription stored, or undefined when it has none (any more). */
    async webhookOf(platform: string, chatId: string): Promise<string | undefined> {
      const [row] = await db
        .select({ url: chats.webhookUrl })
        .from(chats)
        .where(and(eq(chats.platform, platform), eq(chats.chatId, chatId)));
      return row?.url ?? undefined;
    },

    /** Where a message stands (pending, sending, sent, failed) and what the platform returned; null if unknown. */
    async findStatus(idempotencyKey: string): Promise<{ status: string; result: SendResult | null } | null> {
      const [row] = await db
        .select({ status: outbox.status, result: outbox.result })
        .from(outbox)
        .where(eq(outbox.idempotencyKey, idempotencyKey));
      return row ? { status: row.status, result: (row.result as SendResult | null) ?? null } : null;
    },

    async findSent(idempotencyKey: string): Promise<SendResult | null> {
      const rows = await db
        .select({ result: outbox.result })
        .from(outbox)
        .where(and(eq(outbox.idempotencyKey, idempotencyKey), eq(outbox.status, "sent")));
      return (rows[0]?.result as SendResult | undefined) ?? null;
    },
  };
}

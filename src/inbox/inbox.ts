// The durable inbox: a verified event is stored once before the ack, then processed, retried or parked dead.
import { and, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { InboundEvent } from "../chat/events.ts";
import type { Clock } from "../clock.ts";
import type { Database } from "../db/database.ts";
import { directoryVersion, inbox } from "../db/schema/index.ts";
import { causeText, type Logger } from "../log.ts";
import { createAcceptBatcher } from "./accept-batcher.ts";

/** After this many failed attempts an event is parked as dead with its last error. */
export const MAX_ATTEMPTS = 5;
/** A claimed event not finished within this time is picked up again by the sweep. */
export const LEASE_MS = 60_000;

/** What the claim of an event brings along for its work, read in the claim's own round trip. */
export interface Claim {
  /**
   * The count of changes to people and roles as the claim saw it (directory_version), or null when it could
   * not tell (the row cleared out): a copy of someone read under the same count is still current.
   */
  directoryVersion: number | null;
  /**
   * The statement that marks the event done, for the work to send along with its last write (the stored reply)
   * in one round trip; once taken, the inbox does not mark the event done itself when the work succeeds.
   */
  finishWith(): SQL;
  /** Keeps the work's answer with the event when it is marked done, for a redelivery to be answered with. */
  keep(answer: unknown): void;
}

/**
 * An event this process stored already claimed (processing, its first attempt, leased to this process): its
 * work starts without the claim's statement, from the event as it came in.
 */
export interface ClaimedOnAccept {
  /** The whole event, secrets included: the stored row may hold it redacted. */
  event: InboundEvent;
  /** As the insert saw it: see `Claim.directoryVersion`. */
  directoryVersion: number | null;
  /** When the row was stored, which started its lease. */
  claimedAt: Date;
}

/** What the inbox answers for an event it was given. */
export interface Accepted {
  id: number;
  /** False for a redelivery of an event already stored. */
  inserted: boolean;
  /** Present when the row was stored claimed for this process (`accept` with `claim`). */
  claimed?: ClaimedOnAccept;
}

export type ProcessOutcome<T> =
  | { status: "done"; value: T }
  | { status: "busy" }
  | { status: "failed"; error: unknown; dead: boolean };

export interface Inbox {
  /**
   * Stores the event once; `inserted` is false for a redelivery of an event already stored. With `claim`, a
   * new row is stored already claimed by this process, for its work to start at once (`claimed`): nobody else
   * takes it until its lease runs out.
   */
  accept(event: InboundEvent, options?: { claim?: boolean }): Promise<Accepted>;
  /**
   * Claims the event (if nobody holds it), runs `work`, and records the outcome. Concurrent calls for the
   * same id run `work` once: the loser gets `busy`. With the claim made by its accept, the claim is already
   * made, as long as half its lease is left (else the event is left to the sweep: `busy`).
   */
  process<T>(
    id: number,
    work: (event: InboundEvent, attempt: number, claim: Claim) => Promise<T>,
    claimed?: ClaimedOnAccept,
  ): Promise<ProcessOutcome<T>>;
  /** The answer the work kept (`Claim.keep`) once the event is done; undefined before, or when none was kept. */
  answerOf(id: number): Promise<unknown>;
  /** Ids of events whose work never finished: pending or processing with the lease run out. */
  due(limit: number): Promise<number[]>;
  /**
   * Ids of messages stored and never started (for the processing queue to read back what it had no room
   * for), oldest first. Card clicks are left out: the request that stored one answers it.
   */
  unstarted(limit: number): Promise<number[]>;
  /** Removes finished rows older than the cut-off; returns how many. */
  prune(before: Date): Promise<number>;
  /**
   * Makes every unfinished event due now, whoever held it; returns how many. Only for the sole owner of
   * the database starting up: no other process can be working on them.
   */
  releaseLeases(): Promise<number>;
}

/**
 * Events whose secrets the stored row lacks, held in memory until this process has run them. Bounded: a row
 * that another instance runs is never finished here, and the oldest goes first.
 */
const MAX_HELD = 1_000;

interface InboxDeps {
  database: Database;
  now: Clock;
  log: Logger;
  /** The event as it may rest in the database: secrets typed into a command taken out. Default: as it is. */
  redact?: (event: InboundEvent) => InboundEvent;
}

export function createInbox({ database, now, log, redact = (event) => event }: InboxDeps): Inbox {
  const { db } = database;
  const batcher = createAcceptBatcher(db);
  /**
   * The whole event of a redacted row, by id, for its first run in this process. A retry from the row alone
   * (after a crash, or on another instance) sees the redacted text and answers as if the secret was not typed.
   */
  const held = new Map<number, InboundEvent>();
  /** Built once: the claim runs for every event. It reads directory_version in the same round trip. */
  const claimStatement = db
    .update(inbox)
    .set({
      status: "processing",
      attempts: sql`${inbox.attempts} + 1`,
      leaseUntil: sql`${sql.placeholder("leaseUntil")}::timestamptz`,
    })
    .where(
      and(
        eq(inbox.id, sql.placeholder("id")),
        or(
          eq(inbox.status, "pending"),
          and(eq(inbox.status, "processing"), lt(inbox.leaseUntil, sql.placeholder("now"))),
        ),
        // A fresh row's own lease belongs to the request that stored it; only attempts === 0 may use it.
        or(eq(inbox.attempts, 0), lt(inbox.leaseUntil, sql.placeholder("now"))),
      ),
    )
    .returning({
      event: inbox.event,
      attempts: inbox.attempts,
      directoryVersion: sql<
        string | number | null
      >`(select ${directoryVersion.version} from ${directoryVersion})`,
    })
    .prepare("inbox_claim");
  /** A finished event: the same change whether the inbox writes it or the work's last statement carries it. */
  const done = (finishedAt: Date | SQL) => ({
    status: "done",
    finishedAt,
    leaseUntil: null,
    lastError: null,
  });
  const markDone = db
    .update(inbox)
    .set(done(sql`${sql.placeholder("at")}::timestamptz`))
    .where(eq(inbox.id, sql.placeholder("id")))
    .prepare("inbox_done");

  return {
    async accept(event, options) {
      const receivedAt = now();
      const stored = redact(event);
      const claimed = options?.claim === true;
      // A fresh row is leased to the request that stored it; the sweep takes it only once that runs out.
      const accepted = await batcher.accept(
        stored,
        receivedAt,
        new Date(receivedAt.getTime() + LEASE_MS),
        claimed,
      );
      if (!accepted.inserted) return { id: accepted.id, inserted: false };
      if (claimed)
        return {
          id: accepted.id,
          inserted: true,
          claimed: { event, directoryVersion: accepted.directoryVersion ?? null, claimedAt: receivedAt },
        };
      if (stored !== event) {
        held.set(accepted.id, event);
        if (held.size > MAX_HELD) held.delete(held.keys().next().value as number);
      }
      return { id: accepted.id, inserted: true };
    },

    async process(id, work, claimed) {
      const started = now();
      let row: { event: unknown; attempts: number; directoryVersion: string | number | null } | undefined;
      if (claimed) {
        // Past half its lease the work might outlive it and meet the sweep's retry: the sweep takes it instead.
        if (started.getTime() - claimed.claimedAt.getTime() > LEASE_MS / 2) return { status: "busy" };
        row = { event: claimed.event, attempts: 1, directoryVersion: claimed.directoryVersion };
      } else {
        [row] = await claimStatement.execute({
          id,
          now: started.toISOString(),
          leaseUntil: new Date(started.getTime() + LEASE_MS).toISOString(),
        });
      }
      if (!row) return { status: "busy" };
      let finishedByWork = false;
      let kept: unknown;
      const claim: Claim = {
        directoryVersion: row.directoryVersion === null ? null : Number(row.directoryVersion),
        finishWith() {
          finishedByWork = true;
          return db.update(inbox).set(done(now())).where(eq(inbox.id, id)).getSQL();
        },
        keep(answer) {
          kept = answer;
        },
      };
      try {
        const value = await work(held.get(id) ?? (row.event as InboundEvent), row.attempts, claim);
        held.delete(id);
        if (kept !== undefined)
          await db
            .update(inbox)
            .set({ ...done(now()), answer: kept })
            .where(eq(inbox.id, id));
        else if (!finishedByWork) await markDone.execute({ id, at: now().toISOString() });
        return { status: "done", value };
      } catch (error) {
        const dead = row.attempts >= MAX_ATTEMPTS;
        if (dead) held.delete(id);
        const message =
          error instanceof Error ? `${error.name}: ${error.message}${causeText(error)}` : String(error);
        await db
          .update(inbox)
          .set({
            status: dead ? "dead" : "pending",
            lastError: message.slice(0, 2000),
            finishedAt: dead ? now() : null,
            // Retry after the lease so that a crash loop backs off instead of spinning.
            leaseUntil: dead ? null : new Date(now().getTime() + LEASE_MS),
          })
          .where(eq(inbox.id, id));
        log[dead ? "error" : "warn"](dead ? "inbox.dead" : "inbox.retry", {
          id,
          attempts: row.attempts,
          error,
        });
        return { status: "failed", error, dead };
      }
    },

    async answerOf(id) {
      const [row] = await db
        .select({ answer: inbox.answer })
        .from(inbox)
        .where(and(eq(inbox.id, id), eq(inbox.status, "done")));
      return row?.answer ?? undefined;
    },

    async due(limit) {
      const rows = await db
        .select({ id: inbox.id })
        .from(inbox)
        .where(and(inArray(inbox.status, ["pending", "processing"]), lt(inbox.leaseUntil, now())))
        .orderBy(inbox.leaseUntil)
        .limit(limit);
      return rows.map((row) => row.id);
    },

    async unstarted(limit) {
      // The status condition is written out so that the partial index on open rows serves the scan.
      const rows = await db
        .select({ id: inbox.id })
        .from(inbox)
        .where(
          and(
            sql`${inbox.status} in ('pending', 'processing')`,
            eq(inbox.status, "pending"),
            eq(inbox.attempts, 0),
            sql`${inbox.event}->>'kind' = 'message'`,
          ),
        )
        .orderBy(inbox.leaseUntil)
        .limit(limit);
      return rows.map((row) => row.id);
    },

    async releaseLeases() {
      const released = await db
        .update(inbox)
        .set({ leaseUntil: new Date(now().getTime() - 1) })
        .where(inArray(inbox.status, ["pending", "processing"]))
        .returning({ id: inbox.id });
      return released.length;
    },

    async prune(before) {
      const removed = await db
        .delete(inbox)
        .where(and(inArray(inbox.status, ["done", "dead"]), lt(inbox.finishedAt, before)))
        .returning({ id: inbox.id });
      return removed.length;
    },
  };
}

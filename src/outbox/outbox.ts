// The outbox: every outbound message is a row with an idempotency key, sent once under the platforms' limits.

import type { SQL } from "drizzle-orm";
import type { OutboundMessage } from "../chat/card.ts";
import type { PlatformId, SendTarget, Target } from "../chat/events.ts";
import type { Clock } from "../clock.ts";
import type { Database, Db } from "../db/database.ts";
import type { Logger } from "../log.ts";
import { SendError } from "../platforms/errors.ts";
import type { PlatformAdapter, SendResult } from "../platforms/types.ts";
import { createRateLimiter } from "./rate-limiter.ts";
import { judgeFailure } from "./retry-policy.ts";
import { type AttemptResult, createScheduler, type Outcome, type RoutedRow } from "./scheduler.ts";
import { createSharedBudgets } from "./shared-budgets.ts";
import { type ClaimedRow, createOutboxStore } from "./store.ts";
import { targetKey } from "./target-key.ts";

/** A claim holds its rows this long; a sender that dies mid-send gives them back when it runs out. */
export const LEASE_MS = 2 * 60_000;
/** Rows claimed per query; the drain claims again when half of them are done. */
const CLAIM_BATCH = 100;
/** A drained row that cannot start within this time goes back to the table, due when it could. */
const DRAIN_HORIZON_MS = 30_000;
/** A direct reply that cannot start within this time is left to the drain. */
const DELIVER_HORIZON_MS = 10_000;

export interface OutboxItem {
  /** Deterministic: the same message always gets the same key (e.g. `digest:<chat>:<date>`). */
  idempotencyKey: string;
  target: Target;
  message: OutboundMessage;
  /** Not sent before this time (an urgent notice waits for working hours); due at once when absent. */
  notBefore?: Date;
}

export interface OutboxCounts {
  sent: number;
  /** Failed for now; due again later. */
  retried: number;
  /** Given up: permanent error, no adapter, or a day of failures. */
  failed: number;
  /** Not attempted now (over a limit, or no lease time left); due again later. */
  deferred: number;
}

/** Messages stored and on their way: `settled` resolves once each was sent, rescheduled or handed back. */
export interface Sending {
  settled: Promise<OutboxCounts>;
}

export interface DrainOptions {
  /** Claim at most this many rows. */
  max?: number;
  /** Claim nothing after this time; rows that could not start by then go back to the table. */
  until?: Date;
  /** Once aborted, claim nothing more: the rows already claimed finish (or go back at their horizon). */
  signal?: AbortSignal;
}

export interface Outbox {
  /**
   * Stores the messages whose keys are new (INSERT … ON CONFLICT DO NOTHING); returns those keys. Pass the
   * caller's transaction to write them in the same step as the state change they announce.
   */
  enqueue(items: OutboxItem[], tx?: Db): Promise<string[]>;
  /** Sends these rows now (direct replies), within the limits; resolves when each has an outcome. */
  deliver(idempotencyKeys: string[]): Promise<OutboxCounts>;
  /**
   * enqueue and deliver in fewer statements: new rows are written already claimed by this sender; keys
   * already stored are delivered as deliver would. Resolves once the rows are stored: the caller's work is
   * then safe, while the sends wait for the platform's limits (`settled`, once each has an outcome).
   * `alongside`, a statement of the caller's (the inbox marking the event done), is written in the same round
   * trip as the rows.
   */
  sendNow(items: OutboxItem[], alongside?: SQL): Promise<Sending>;
  /** Sends every due row, paced to the limits and in order per destination; resolves when done. */
  drain(options?: DrainOptions): Promise<OutboxCounts>;
  /**
   * Hands every row held by a sender back to the table, due now; returns how many. Only for the sole owner
   * of the database starting up: no other sender can be holding them.
   */
  releaseLeases(): Promise<number>;
  /** What the platform returned for a sent message (its id, the handle to update it), or null. */
  findSent(idempotencyKey: string): Promise<SendResult | null>;
  /** The keys among `keys` the outbox already holds, in any state: those messages were sent or are on their way. */
  stored(keys: readonly string[]): Promise<Set<string>>;
  /** How many rows whose key starts with `prefix` are not sent yet: what a producer still has queued. */
  waiting(prefix: string): Promise<number>;
}

export interface OutboxDeps {
  database: Database;
  adapters: Partial<Record<PlatformId, PlatformAdapter>>;
  now: Clock;
  log: Logger;
  /** Jitter for retry backoff. */
  random?: () => number;
  /** How pacing waits; tests pass one that moves a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** Pacing on a real clock; tests pass a sleep that moves a fake one. */
export const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const noCounts = (): OutboxCounts => ({ sent: 0, retried: 0, failed: 0, deferred: 0 });

function tally(outcomes: Outcome[]): OutboxCounts {
  const counts = noCounts();
  for (const outcome of outcomes) counts[outcome]++;
  return counts;
}

/**
 * One instance per process: the webhook path (deliver) and the drain share its budgets in memory, which pace
 * its sends; every send also claims its budgets in the database (shared-budgets.ts), so that other servers and
 * jobs on the same database count it too.
 */
export function createOutbox({
  database,
  adapters,
  now,
  log,
  random = Math.random,
  sleep = timerSleep,
}: OutboxDeps): Outbox {
  const store = createOutboxStore(database.db);
  const limits = Object.fromEntries(
    Object.entries(adapters).map(([platform, adapter]) => [platform, adapter.limits]),
  );
  const limiter = createRateLimiter(limits);

  const isRouted = (row: ClaimedRow): row is RoutedRow =>
    Object.hasOwn(adapters, row.platform) && adapters[row.platform as PlatformId] !== undefined;

  async function attempt(row: RoutedRow): Promise<AttemptResult> {
    const adapter = adapters[row.platform];
    // settle() routes only rows of configured platforms here.
    if (!adapter) throw new Error(`no adapter for ${row.platform}`);
    const fields = { key: row.idempotencyKey, platform: row.platform, target: row.targetKey };
    let result: SendResult;
    try {
      // Other sends start in this very turn: their budget was spent as they started (scheduler.ts).
      const target = row.target.kind === "urgent" ? await followed(row.target) : await sendTarget(row.target);
      result = await adapter.send(target, row.message, row.idempotencyKey);
    } catch (error) {
      const { count, perMs } = adapter.limits.target;
      const verdict = judgeFailure({
        error,
        attempts: row.attempts + 1,
        createdAt: row.createdAt,
        now: now().getTime(),
        pacingMs: perMs / count,
        random,
      });
      if (verdict.kind === "fail") {
        await record(row, store.markFailed(row, verdict.reason, now(), true));
        log.error("outbox.failed", { ...fields, attempts: row.attempts + 1, reason: verdict.reason, error });
        return { outcome: "failed" };
      }
      await record(row, store.markRetry(row, new Date(verdict.at), verdict.reason));
      log.warn("outbox.retry", {
        ...fields,
        attempts: row.attempts + 1,
        reason: verdict.reason,
        retryAt: new Date(verdict.at).toISOString(),
        error,
      });
      return { outcome: "retried", retryAt: verdict.at, rateLimited: verdict.rateLimited };
    }
    await record(row, store.markSent(row, result, now()));
    // The row itself records the send; a line per message would cost more than the message at load.
    log.debug("outbox.sent", { ...fields, attempts: row.attempts + 1 });
    return { outcome: "sent" };
  }

  /**
   * A robot's webhook is looked up from its chat as the message goes out: its URL carries the key that lets
   * anyone post there, which is kept in the chat's row alone, not in every message for the group.
   */
  async function sendTarget(target: Target): Promise<SendTarget> {
    if (target.kind !== "webhook") return target;
    const url = await store.webhookOf(target.platform, target.chatId);
    if (!url) throw new SendError("permanent", "the group has no robot webhook stored any more");
    return { kind: "webhook", platform: target.platform, url };
  }

  /**
   * An urgent notice that follows a message gets that message's platform id. Until the message is sent it
   * waits (a retry); if the message failed for good, so does the urgent notice.
   */
  async function followed(target: Extract<Target, { kind: "urgent" }>): Promise<SendTarget> {
    if (!target.follows) return target;
    const sent = await store.findStatus(target.follows);
    if (sent?.status === "sent" && sent.result?.messageId)
      return { ...target, messageId: sent.result.messageId };
    if (sent?.status === "failed" || sent?.status === "sent")
      throw new SendError("permanent", `the message ${target.follows} to urge was not sent`);
    throw new SendError("transient", `the message ${target.follows} to urge is not sent yet`);
  }

  /** A write refused by the lease check means another sender re-claimed the row after our lease ran out. */
  async function record(row: ClaimedRow, written: Promise<boolean>): Promise<void> {
    if (!(await written)) log.warn("outbox.lease_lost", { key: row.idempotencyKey });
  }

  const scheduler = createScheduler({
    limiter,
    shared: createSharedBudgets(database.db),
    spendsApp: (row) => adapters[row.platform]?.spendsAppBudget?.(row.target, row.message) ?? true,
    attempt,
    release: async (row, at) => {
      await record(row, store.release(row, new Date(at)));
    },
    now,
    sleep,
    log,
  });

  async function settle(row: ClaimedRow, priority: boolean, horizonMs: number): Promise<Outcome> {
    if (isRouted(row)) return scheduler.submit(row, { priority, horizonMs });
    const reason = `no adapter configured for platform "${row.platform}"`;
    await record(row, store.markFailed(row, reason, now(), false));
    log.error("outbox.failed", { key: row.idempotencyKey, platform: row.platform, reason });
    return "failed";
  }

  const withTargetKeys = (items: OutboxItem[]) =>
    Promise.all(
      items.map(async (item) => ({
        ...item,
        platform: item.target.platform,
        targetKey: await targetKey(item.target),
      })),
    );

  /**
   * Budgets are spent when a send starts: sends that then all waited for an access token (expired overnight,
   * so every morning's digest begins with a fetch) would reach the platform together, over its limit. So the
   * token is fetched before the rows are handed to the scheduler, once per platform in the batch; with a
   * cached token that is one resolved promise. A failure is only logged: the sends fail and retry as usual.
   */
  async function prepareSends(rows: ClaimedRow[]): Promise<void> {
    const byPlatform = new Map<PlatformId, RoutedRow[]>();
    for (const row of rows) {
      if (!isRouted(row)) continue;
      const batch = byPlatform.get(row.platform);
      if (batch) batch.push(row);
      else byPlatform.set(row.platform, [row]);
    }
    await Promise.all(
      [...byPlatform].map(async ([platform, batch]) => {
        try {
          await adapters[platform]?.prepareSends(batch);
        } catch (error) {
          log.warn("outbox.prepare_failed", { platform, error });
        }
      }),
    );
  }

  async function sendClaimed(claimed: ClaimedRow[], asked: number): Promise<OutboxCounts> {
    await prepareSends(claimed);
    const outcomes = Promise.all(claimed.map((row) => settle(row, true, DELIVER_HORIZON_MS)));
    log.debug("outbox.delivering", { asked, claimed: claimed.length });
    return tally(await outcomes);
  }

  return {
    async enqueue(items, tx) {
      return store.insert(await withTargetKeys(items), now(), tx);
    },

    async deliver(idempotencyKeys) {
      const at = now();
      const keys = [...new Set(idempotencyKeys)];
      return sendClaimed(await store.claimKeys(keys, at, new Date(at.getTime() + LEASE_MS)), keys.length);
    },

    releaseLeases: () => store.releaseAll(now()),

    async sendNow(items, alongside) {
      const at = now();
      const leaseUntil = new Date(at.getTime() + LEASE_MS);
      const later = items.filter((item) => item.notBefore && item.notBefore > at);
      if (later.length > 0) await store.insert(await withTargetKeys(later), at);
      const fresh = await store.insertClaimed(
        await withTargetKeys(items.filter((item) => !later.includes(item))),
        at,
        leaseUntil,
        alongside,
      );
      const written = new Set(fresh.map((row) => row.idempotencyKey));
      const stored = [...new Set(items.map((item) => item.idempotencyKey))].filter(
        (key) => !written.has(key),
      );
      const again = await store.claimKeys(stored, at, leaseUntil);
      return { settled: sendClaimed([...fresh, ...again], items.length) };
    },

    async drain({ max = Number.POSITIVE_INFINITY, until, signal }: DrainOptions = {}) {
      const deadline = until?.getTime() ?? Number.POSITIVE_INFINITY;
      const outcomes: Outcome[] = [];
      const open = new Set<Promise<void>>();
      let claimed = 0;
      /** Claim again once fewer than this many of our rows are still open. */
      let claimBelow = CLAIM_BATCH / 2;
      while (claimed < max && now().getTime() < deadline && !signal?.aborted) {
        if (open.size >= claimBelow) {
          await Promise.race(open);
          continue;
        }
        const wanted = Math.min(CLAIM_BATCH, max - claimed);
        const at = now();
        const rows = await store.claimDue(at, wanted, new Date(at.getTime() + LEASE_MS));
        if (rows.length === 0 && open.size === 0) break;
        claimed += rows.length;
        await prepareSends(rows);
        const horizonMs = Math.min(DRAIN_HORIZON_MS, deadline - now().getTime());
        for (const row of rows) {
          const done: Promise<void> = settle(row, false, horizonMs).then((outcome) => {
            outcomes.push(outcome);
            open.delete(done);
          });
          open.add(done);
        }
        // A short claim means the rest of what is due waits behind rows still open (ours keep their
        // destination's later rows back): look again once half of ours are done.
        claimBelow = rows.length < wanted ? Math.max(1, Math.floor(open.size / 2)) : CLAIM_BATCH / 2;
      }
      await Promise.all(open);
      return tally(outcomes);
    },

    findSent: (idempotencyKey) => store.findSent(idempotencyKey),
    stored: (keys) => store.stored(keys),
    waiting: (prefix) => store.waiting(prefix),
  };
}

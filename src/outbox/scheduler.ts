// The dispatcher of one outbox instance: starts each send when the budgets allow it, one at a time per destination.

import type { PlatformId } from "../chat/events.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { SharedBudgets } from "./shared-budgets.ts";
import type { ClaimedRow } from "./store.ts";

/** A claimed row of a platform this outbox has an adapter for. */
export type RoutedRow = ClaimedRow & { platform: PlatformId };

export type Outcome = "sent" | "retried" | "failed" | "deferred";

export type AttemptResult =
  | { outcome: "sent" | "failed" }
  | { outcome: "retried"; retryAt: number; rateLimited: boolean };

export interface SubmitOptions {
  /** Direct replies go before queued messages of the same destination and win ties for a budget. */
  priority: boolean;
  /** A row that could not start within this many ms is handed back to the table instead of held. */
  horizonMs: number;
}

export interface Scheduler {
  /** Resolves once the row was sent, rescheduled, failed, or handed back unsent ("deferred"). */
  submit(row: RoutedRow, options: SubmitOptions): Promise<Outcome>;
}

export interface SchedulerDeps {
  limiter: RateLimiter;
  /** The same budgets as every other sender on the database spends them: the last word before a send starts. */
  shared: SharedBudgets;
  /** Whether the row's send spends its platform's app budgets (see PlatformAdapter.spendsAppBudget). */
  spendsApp(row: RoutedRow): boolean;
  /** Sends one row and records what happened. */
  attempt(row: RoutedRow): Promise<AttemptResult>;
  /** Hands a row back unsent, due again at `at`. */
  release(row: RoutedRow, at: number): Promise<void>;
  now: Clock;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
}

/** Sends waiting for their answer at once, per instance; pacing, not this, sets the rate. */
const MAX_IN_FLIGHT = 32;
/** No send starts with less lease than this left: after the lease another sender may claim the row. */
const MIN_LEASE_LEFT_MS = 30_000;

interface Waiting {
  row: RoutedRow;
  priority: boolean;
  horizonMs: number;
  spendsApp: boolean;
  settle: (outcome: Outcome) => void;
}

const destinationOf = (row: RoutedRow) => `${row.platform} ${row.targetKey}`;

/** Replies first, then the older row. */
const goesFirst = (a: Waiting, b: Waiting) => (a.priority !== b.priority ? a.priority : a.row.id < b.row.id);

/**
 * Budgets are spent when a send really starts, never reserved ahead, so a send held up (by a busy destination
 * or the in-flight cap) cannot start in a burst with the ones planned after it. The loop runs only while
 * something is queued; nothing runs between drains.
 */
export function createScheduler({
  limiter,
  shared,
  spendsApp,
  attempt,
  release,
  now,
  sleep,
  log,
}: SchedulerDeps): Scheduler {
  /** Per destination, in the order its rows must go out. */
  const queues = new Map<string, Waiting[]>();
  /** Destinations with a send in flight: the next one waits for its answer, so order holds. */
  const inFlight = new Set<string>();
  let running = false;
  let wake = () => {};

  const armWake = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  function handBack(item: Waiting, at: number): void {
    release(item.row, at).then(
      () => item.settle("deferred"),
      (error: unknown) => {
        // The row keeps its lease and comes back when that runs out.
        log.error("outbox.release_failed", { key: item.row.idempotencyKey, error });
        item.settle("deferred");
      },
    );
  }

  /** After a failed send the destination waits: its later rows go back to the table, due with the retry. */
  function holdBack(destination: string, until: number): void {
    const queue = queues.get(destination) ?? [];
    queues.delete(destination);
    for (const item of queue) handBack(item, until);
  }

  function pickNext(): { destination: string; at: number; head: Waiting } | undefined {
    const nowMs = now().getTime();
    let best: { destination: string; at: number; head: Waiting } | undefined;
    for (const [destination, queue] of queues) {
      const head = queue[0];
      if (!head || inFlight.has(destination)) continue;
      const at = limiter.earliest(head.row.platform, head.row.targetKey, nowMs, head.spendsApp);
      if (!best || at < best.at || (at === best.at && goesFirst(head, best.head)))
        best = { destination, at, head };
    }
    return best;
  }

  /**
   * Starts the send if the budgets in the database let it too: another sender on the database may have spent
   * them. The loop waits for that claim, so nothing else starts (and no test clock moves) meanwhile. When they
   * do not let it, this process's budgets wait until they free up and the row goes back to the head of its
   * queue (or to the table, when that is beyond its horizon).
   */
  async function start(destination: string): Promise<void> {
    const queue = queues.get(destination) ?? [];
    const item = queue.shift();
    if (queue.length === 0) queues.delete(destination);
    if (!item) return;
    const { row } = item;
    const nowMs = now().getTime();
    if (row.leaseUntil.getTime() - nowMs < MIN_LEASE_LEFT_MS) {
      // Too late under this lease; the row returns to whoever claims it once the lease is over.
      log.warn("outbox.lease_running_out", { key: row.idempotencyKey });
      item.settle("deferred");
      return;
    }
    // The round trip on a monotonic timer (the clock in `now` may be a test's, moved by sleeps meanwhile), from
    // before the claim: the request leaves only once the claim is back, late by its round trip.
    const sentAt = performance.now();
    let full: Map<string, number> | null;
    try {
      full = await shared.claim(limiter.rules(row.platform, row.targetKey, item.spendsApp), nowMs);
    } catch (error) {
      log.error("outbox.budget_claim_failed", { key: row.idempotencyKey, error });
      handBack(item, nowMs);
      return;
    }
    if (full) {
      for (const [key, until] of full) limiter.hold(key, until);
      const freeAt = Math.max(nowMs, ...full.values());
      if (freeAt > nowMs + item.horizonMs) handBack(item, freeAt);
      else queues.set(destination, [item, ...(queues.get(destination) ?? [])]);
      return;
    }
    const answered = limiter.spend(row.platform, row.targetKey, nowMs, item.spendsApp);
    inFlight.add(destination);
    attempt(row)
      .then(
        (result) => {
          if (result.outcome === "retried") {
            if (result.rateLimited) limiter.block(row.platform, row.targetKey, result.retryAt);
            holdBack(destination, result.retryAt);
          }
          item.settle(result.outcome);
        },
        (error: unknown) => {
          // Recording the outcome failed: the row keeps its lease and is taken up again after it.
          log.error("outbox.record_failed", { key: row.idempotencyKey, error });
          item.settle("deferred");
        },
      )
      .finally(() => {
        answered(performance.now() - sentAt);
        inFlight.delete(destination);
        wake();
      });
  }

  async function run(): Promise<void> {
    running = true;
    try {
      // Rows handed over together (a claim, a digest's fan-out) are submitted in one go: let the hand-over
      // finish before the first send starts. That send's budget is spent as it starts, and the rest of the
      // hand-over would run before its request leaves, late by as long as a thousand rows take to queue; the
      // window's last send could then reach the platform less than a window after it.
      await Promise.resolve();
      while (queues.size > 0) {
        const woken = armWake();
        const next = inFlight.size < MAX_IN_FLIGHT ? pickNext() : undefined;
        if (!next) {
          await woken;
          continue;
        }
        const wait = next.at - now().getTime();
        if (wait > 0) {
          // A finished send or a new reply may change the pick: look again as soon as anything happens.
          await Promise.race([sleep(wait), woken]);
          continue;
        }
        await start(next.destination);
      }
    } finally {
      running = false;
      limiter.prune(now().getTime());
    }
  }

  return {
    submit(row, { priority, horizonMs }) {
      return new Promise<Outcome>((settle) => {
        const item: Waiting = { row, priority, horizonMs, spendsApp: spendsApp(row), settle };
        const destination = destinationOf(row);
        const queue = queues.get(destination) ?? [];
        const ahead =
          (priority ? queue.filter((waiting) => waiting.priority).length : queue.length) +
          (inFlight.has(destination) ? 1 : 0);
        const nowMs = now().getTime();
        const at = limiter.projected(row.platform, row.targetKey, nowMs, ahead, item.spendsApp);
        if (at > nowMs + horizonMs) {
          handBack(item, at);
          return;
        }
        const before = priority ? queue.findIndex((waiting) => !waiting.priority) : -1;
        if (before === -1) queue.push(item);
        else queue.splice(before, 0, item);
        queues.set(destination, queue);
        wake();
        if (!running)
          run().catch((error: unknown) => {
            log.error("outbox.scheduler_crashed", { error });
            for (const waiting of [...queues.values()].flat()) waiting.settle("deferred");
            queues.clear();
          });
      });
    },
  };
}

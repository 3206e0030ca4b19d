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

/** Sends claimed ahead or waiting for their answer at once, per instance; pacing, not this, sets the rate. */
const MAX_IN_FLIGHT = 32;
/**
 * A send's budgets are claimed in the database this long before it starts: the claim's round trip is over by
 * then (the request leaves on time, not late by it), and the claims of the sends planned meanwhile go
 * together in one statement.
 */
const CLAIM_AHEAD_MS = 200;
/**
 * Claims are made once the next start is this close, for every start up to CLAIM_AHEAD_MS ahead: at a steady
 * pace of sends the claims then go in batches of about half that time's sends, not one statement each.
 */
const CLAIM_WHEN_MS = CLAIM_AHEAD_MS / 2;
/** No send starts with less lease than this left: after the lease another sender may claim the row. */
const MIN_LEASE_LEFT_MS = 30_000;

interface Waiting {
  row: RoutedRow;
  priority: boolean;
  horizonMs: number;
  spendsApp: boolean;
  settle: (outcome: Outcome) => void;
}

/** A send whose budgets are being claimed, or granted and waiting for its start. */
interface Reservation {
  destination: string;
  item: Waiting;
  at: number;
  granted: boolean;
  /** Records in this process's budgets how long the answer took. */
  answered: (roundTripMs: number) => void;
}

const destinationOf = (row: RoutedRow) => `${row.platform} ${row.targetKey}`;

/** Replies first, then the older row. */
const goesFirst = (a: Waiting, b: Waiting) => (a.priority !== b.priority ? a.priority : a.row.id < b.row.id);

/**
 * Budgets are spent for a send's planned start at most CLAIM_AHEAD_MS ahead, and the send starts at that
 * instant (late only by a claim that took longer), so a send held up (by a busy destination or the in-flight
 * cap) cannot start in a burst with the ones planned after it. The loop runs only while something is queued
 * or claimed; nothing runs between drains.
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
  /** Destinations with a send claimed or in flight: the next one waits for its answer, so order holds. */
  const inFlight = new Set<string>();
  /** Sends claimed and not started yet. */
  const reserved = new Set<Reservation>();
  /** Starts planned up to this instant are claimed now (see CLAIM_WHEN_MS). */
  let claimingUntil = Number.NEGATIVE_INFINITY;
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
   * Claims a send's budgets in the database for its start at `at` (now or within CLAIM_AHEAD_MS), without
   * waiting for the answer: the loop goes on planning the next starts, whose claims go together in the next
   * statement. This process's budgets count the start at once, so that the next plan comes after it.
   */
  function reserve(destination: string, at: number): void {
    const queue = queues.get(destination) ?? [];
    const item = queue.shift();
    if (queue.length === 0) queues.delete(destination);
    if (!item) return;
    const { row } = item;
    if (row.leaseUntil.getTime() - at < MIN_LEASE_LEFT_MS) {
      // Too late under this lease; the row returns to whoever claims it once the lease is over.
      log.warn("outbox.lease_running_out", { key: row.idempotencyKey });
      item.settle("deferred");
      return;
    }
    const reservation: Reservation = {
      destination,
      item,
      at,
      granted: false,
      answered: limiter.spend(row.platform, row.targetKey, at, item.spendsApp),
    };
    reserved.add(reservation);
    inFlight.add(destination);
    shared
      .claim(limiter.rules(row.platform, row.targetKey, item.spendsApp), at)
      .then(
        (full) => {
          if (!full) {
            reservation.granted = true;
            return;
          }
          // Another sender spent a budget first: this process's budgets wait until it frees up, and the row
          // goes back to the head of its queue (or to the table, when that is beyond its horizon).
          reserved.delete(reservation);
          inFlight.delete(destination);
          for (const [key, until] of full) limiter.hold(key, until);
          const freeAt = Math.max(at, ...full.values());
          if (freeAt > now().getTime() + item.horizonMs) handBack(item, freeAt);
          else queues.set(destination, [item, ...(queues.get(destination) ?? [])]);
        },
        (error: unknown) => {
          reserved.delete(reservation);
          inFlight.delete(destination);
          log.error("outbox.budget_claim_failed", { key: row.idempotencyKey, error });
          handBack(item, at);
        },
      )
      .finally(() => wake());
  }

  /** Sends a granted reservation whose start has come. */
  function launch(reservation: Reservation): void {
    reserved.delete(reservation);
    const { destination, item, answered } = reservation;
    const { row } = item;
    // The round trip on a monotonic timer (the clock in `now` may be a test's, moved by sleeps meanwhile), from
    // the planned start: a send whose claim came back late leaves late by as much.
    const late = Math.max(0, now().getTime() - reservation.at);
    const sentAt = performance.now() - late;
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

  /**
   * What the loop waits for: the next granted start, or the time to claim the next pick. Never past a start
   * still being claimed: its answer comes first (a test's clock, moved by the sleep, would otherwise start it
   * late, after the instant its budgets counted).
   */
  function nextWake(next: { at: number } | undefined): number {
    let granted = Number.POSITIVE_INFINITY;
    let claiming = Number.POSITIVE_INFINITY;
    for (const reservation of reserved)
      if (reservation.granted) granted = Math.min(granted, reservation.at);
      else claiming = Math.min(claiming, reservation.at);
    const until = Math.min(granted, next ? next.at - CLAIM_WHEN_MS : Number.POSITIVE_INFINITY);
    return claiming <= until ? Number.POSITIVE_INFINITY : until;
  }

  async function run(): Promise<void> {
    running = true;
    try {
      // Rows handed over together (a claim, a digest's fan-out) are submitted in one go: let the hand-over
      // finish before the first send is planned, so that the first claims go out together.
      await Promise.resolve();
      while (queues.size > 0 || reserved.size > 0) {
        const woken = armWake();
        const nowMs = now().getTime();
        const due = [...reserved].filter((reservation) => reservation.granted && reservation.at <= nowMs);
        for (const reservation of due) launch(reservation);
        // The sends just launched run up to their requests before the loop goes on: a sleep could move a
        // test's clock first, and they would reach the platform later than their budgets counted them.
        if (due.length > 0) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        const next = inFlight.size < MAX_IN_FLIGHT ? pickNext() : undefined;
        if (next && next.at <= nowMs + CLAIM_WHEN_MS) claimingUntil = nowMs + CLAIM_AHEAD_MS;
        if (next && next.at <= claimingUntil) {
          reserve(next.destination, next.at);
          continue;
        }
        const wakeAt = nextWake(next);
        // A claim's answer, a finished send or a new reply may change the plan: look again as soon as anything happens.
        if (wakeAt === Number.POSITIVE_INFINITY) await woken;
        else await Promise.race([sleep(wakeAt - nowMs), woken]);
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

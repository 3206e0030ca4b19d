// How long a long connection waits before its next attempt: doubling from 1 s up to 30 s, each wait jittered.

/** The first wait, the longest, and how much of each wait is random (so that instances do not retry in step). */
export const RECONNECT_BACKOFF = { firstMs: 1000, maxMs: 30_000, jitter: 0.5 } as const;

export interface Backoff {
  /** The wait before the next attempt; each call without a `reset` doubles the ceiling. */
  next(): number;
  /** After a successful connection: start again from the first wait. */
  reset(): void;
}

export function createBackoff(random: () => number = Math.random): Backoff {
  let attempt = 0;
  return {
    next() {
      const ceiling = Math.min(RECONNECT_BACKOFF.maxMs, RECONNECT_BACKOFF.firstMs * 2 ** attempt);
      attempt++;
      return Math.round(ceiling * (1 - RECONNECT_BACKOFF.jitter * random()));
    },
    reset() {
      attempt = 0;
    },
  };
}

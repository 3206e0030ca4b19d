// In-process send budgets, one per platform (the app limit) and one per destination, spent before each send.
import type { PlatformId, RateLimits } from "../platforms/types.ts";

/** Pace 2 % under each published limit, so that network jitter never pushes a window over it. */
const SAFETY = 1.02;
/**
 * Limits counted per second or less ("5 QPS per chat", "50/s per app") are spread evenly: gateways count them
 * in short slices and answer a burst with 429. Longer ones ("20 a minute per robot") keep their burst, so that
 * a second answer in the same group is not held back for seconds.
 */
const SMOOTH_UP_TO_MS = 1000;
/**
 * A timer fires a little late; a smooth budget forgives lateness up to 1 % of its window, so that lateness
 * does not add up over a long fan-out (send k stays at k intervals). Within the 2 % margin that still keeps
 * every window under its limit.
 */
const LATENESS_FORGIVEN = 0.01;

interface Budget {
  /** When the next send may start, never before `now`. */
  earliest(now: number): number;
  /** When the send after `ahead` more sends could start if only this budget counted: a lower bound. */
  projected(now: number, ahead: number): number;
  spend(at: number): void;
  /** Nothing starts before `until`. */
  block(until: number): void;
  /** Forgetting this budget would change nothing. */
  idle(now: number): boolean;
}

/** Evenly spaced starts on a grid of `intervalMs`. */
function smoothBudget(intervalMs: number, forgivenMs: number): Budget {
  /** When the next send is due on the grid. */
  let due = 0;
  let blockedUntil = 0;
  return {
    earliest: (now) => Math.max(now, due, blockedUntil),
    projected: (now, ahead) => Math.max(now, due, blockedUntil) + ahead * intervalMs,
    spend(at) {
      // A slightly late start keeps the grid; after a pause the grid starts again from this send.
      due = at - due <= forgivenMs ? due + intervalMs : at + intervalMs;
    },
    block(until) {
      blockedUntil = Math.max(blockedUntil, until);
    },
    idle: (now) => due <= now && blockedUntil <= now,
  };
}

/** At most `count` starts in any `windowMs`, bursts allowed. */
function windowBudget(count: number, windowMs: number): Budget {
  /** The last `count` starts, oldest first. */
  const starts: number[] = [];
  let blockedUntil = 0;
  const earliestIn = (log: number[], from: number) => {
    const oldest = log.length >= count ? log[log.length - count] : undefined;
    return oldest === undefined ? from : Math.max(from, oldest + windowMs);
  };
  const record = (log: number[], at: number) => {
    log.push(at);
    if (log.length > count) log.shift();
  };
  return {
    earliest: (now) => earliestIn(starts, Math.max(now, blockedUntil)),
    projected(now, ahead) {
      const log = [...starts];
      let at = Math.max(now, blockedUntil);
      for (let i = 0; i < ahead; i++) {
        at = earliestIn(log, at);
        record(log, at);
      }
      return earliestIn(log, at);
    },
    spend: (at) => record(starts, at),
    block(until) {
      blockedUntil = Math.max(blockedUntil, until);
    },
    idle(now) {
      const last = starts.at(-1);
      return blockedUntil <= now && (last === undefined || last + windowMs <= now);
    },
  };
}

function budgetFor({ count, perMs }: RateLimits["app"]): Budget {
  return perMs <= SMOOTH_UP_TO_MS
    ? smoothBudget((perMs / count) * SAFETY, perMs * LATENESS_FORGIVEN)
    : windowBudget(count, perMs * SAFETY);
}

export interface RateLimiter {
  /** When a send to this destination may start (ms since the epoch, never before `now`). */
  earliest(platform: PlatformId, targetKey: string, now: number): number;
  /** When the send after `ahead` more sends to this destination could start at best. */
  projected(platform: PlatformId, targetKey: string, now: number, ahead: number): number;
  /** Records a send that starts now; call it only once `earliest` has come. */
  spend(platform: PlatformId, targetKey: string, at: number): void;
  /** The platform answered "too fast" for this destination: nothing more goes there before `until`. */
  block(platform: PlatformId, targetKey: string, until: number): void;
  /** Forgets destinations that have been quiet for a whole window. */
  prune(now: number): void;
}

/**
 * Budgets live in this process: correct for one sender. Every send spends from its platform's budget and its
 * destination's; a platform without limits here is never sent to (the outbox fails those rows first).
 */
export function createRateLimiter(limits: Partial<Record<PlatformId, RateLimits>>): RateLimiter {
  const apps = new Map<PlatformId, Budget>();
  const destinations = new Map<string, Budget>();

  function limitsOf(platform: PlatformId): RateLimits {
    const found = limits[platform];
    if (!found) throw new Error(`no rate limits for ${platform}`);
    return found;
  }

  function app(platform: PlatformId): Budget {
    let budget = apps.get(platform);
    if (!budget) {
      budget = budgetFor(limitsOf(platform).app);
      apps.set(platform, budget);
    }
    return budget;
  }

  function destination(platform: PlatformId, targetKey: string): Budget {
    const key = `${platform} ${targetKey}`;
    let budget = destinations.get(key);
    if (!budget) {
      budget = budgetFor(limitsOf(platform).target);
      destinations.set(key, budget);
    }
    return budget;
  }

  return {
    earliest(platform, targetKey, now) {
      return Math.max(app(platform).earliest(now), destination(platform, targetKey).earliest(now));
    },
    projected(platform, targetKey, now, ahead) {
      return Math.max(app(platform).earliest(now), destination(platform, targetKey).projected(now, ahead));
    },
    spend(platform, targetKey, at) {
      app(platform).spend(at);
      destination(platform, targetKey).spend(at);
    },
    block(platform, targetKey, until) {
      destination(platform, targetKey).block(until);
    },
    prune(now) {
      for (const [key, budget] of destinations) if (budget.idle(now)) destinations.delete(key);
    },
  };
}

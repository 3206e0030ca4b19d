// In-process send budgets, one per platform (the app limit) and one per destination, spent before each send.
import type { PlatformId } from "../chat/events.ts";
import type { Limit, RateLimits } from "../platforms/types.ts";

/**
 * Pace 3 % under each published limit, so that jitter never pushes a window over it: budgets count starts,
 * platforms count arrivals, and a request may arrive late by what runs before it leaves (other sends' answers,
 * database writes) plus the way there. The fan-out bench saw single requests arrive 20-25 ms late; 2 % (20 ms
 * a second) let some of them through a window's edge.
 */
const SAFETY = 1.03;
/**
 * Limits counted per second or less ("5 QPS per chat", "50/s per app") also get a least spacing between
 * starts: a gateway may count them in shorter slices and answer a burst with 429. Longer ones ("20 a minute
 * per robot") keep their burst, so that a second answer in the same group is not held back for seconds.
 */
const SPACED_UP_TO_MS = 1000;
/**
 * The app budget's starts are at least half an interval apart: never above twice the limit at any instant,
 * yet a window whose first sends went out late (behind a token fetch, a busy event loop) can still take its
 * full count. A destination's starts stay a whole interval apart: its few sends go out evenly.
 */
const APP_SPACING = 0.5;

interface Budget {
  /** When the next send may start, never before `now`. */
  earliest(now: number): number;
  /** When the send after `ahead` more sends could start if only this budget counted: a lower bound. */
  projected(now: number, ahead: number): number;
  /** Records a start; the returned function records how long its answer took. */
  spend(at: number): (roundTripMs: number) => void;
  /** Nothing starts before `until`. */
  block(until: number): void;
  /** Forgetting this budget would change nothing. */
  idle(now: number): boolean;
}

/** A start, and when the window it opened lets the send `count` places later start. */
interface Start {
  at: number;
  windowEnd: number;
}

/**
 * At most `count` starts in any `windowMs`, consecutive starts at least `spacingMs` apart. Both count actual
 * start times, never planned ones: a start that came late moves the next ones with it, so lateness never
 * eats the margin of a window; and since each window is counted from real starts, it does not add up over a
 * long fan-out either (the next window opens `windowMs` after the first start of the last, late or not).
 * With `spacingMs` = `windowMs / count` this is an even grid.
 *
 * A platform counts arrivals, not starts, and a request can leave late (a new connection, a pause of the
 * event loop) by more than the margin. It has surely arrived once its answer is back, so a window also stays
 * closed until `limitMs` after its first send's answer: if that answer took longer than the margin, the next
 * window opens later by the difference, whatever the request's delay on the way was.
 */
function windowBudget(count: number, limitMs: number, windowMs: number, spacingMs: number): Budget {
  /** The last `count` starts, oldest first. */
  const starts: Start[] = [];
  let blockedUntil = 0;
  const earliestIn = (log: Start[], from: number) => {
    const oldest = log.length >= count ? log[log.length - count] : undefined;
    const last = log.at(-1);
    return Math.max(from, oldest?.windowEnd ?? from, last === undefined ? from : last.at + spacingMs);
  };
  const record = (log: Start[], at: number): Start => {
    const start = { at, windowEnd: at + windowMs };
    log.push(start);
    if (log.length > count) log.shift();
    return start;
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
    spend(at) {
      const start = record(starts, at);
      return (roundTripMs) => {
        start.windowEnd = Math.max(start.windowEnd, at + roundTripMs + limitMs);
      };
    },
    block(until) {
      blockedUntil = Math.max(blockedUntil, until);
    },
    idle(now) {
      // The spacing is never longer than the window.
      const last = starts.at(-1);
      return blockedUntil <= now && (last === undefined || last.windowEnd <= now);
    },
  };
}

/** What a budget allows, as the budgets shared through the database count it (see shared-budgets.ts). */
export interface BudgetRule {
  /** Names the budget across processes: the platform and the app, or the platform and a destination. */
  key: string;
  count: number;
  windowMs: number;
  spacingMs: number;
}

type NamedBudget = Budget & { rule: BudgetRule };

function budgetFor(key: string, { count, perMs }: Limit, spacing: number): NamedBudget {
  const windowMs = perMs * SAFETY;
  const spacingMs = perMs <= SPACED_UP_TO_MS ? (windowMs / count) * spacing : 0;
  return { ...windowBudget(count, perMs, windowMs, spacingMs), rule: { key, count, windowMs, spacingMs } };
}

export interface RateLimiter {
  /**
   * When a send to this destination may start (ms since the epoch, never before `now`). `spendsApp` is false
   * for a send that calls no API of the app's (a DingTalk session webhook): only its destination counts it.
   */
  earliest(platform: PlatformId, targetKey: string, now: number, spendsApp?: boolean): number;
  /** When the send after `ahead` more sends to this destination could start at best. */
  projected(platform: PlatformId, targetKey: string, now: number, ahead: number, spendsApp?: boolean): number;
  /**
   * Records a send that starts now; call it only once `earliest` has come. Call the returned function with
   * how long the answer took, once it is back.
   */
  spend(
    platform: PlatformId,
    targetKey: string,
    at: number,
    spendsApp?: boolean,
  ): (roundTripMs: number) => void;
  /** The budgets such a send spends, for the claim that other senders see. */
  rules(platform: PlatformId, targetKey: string, spendsApp?: boolean): BudgetRule[];
  /** The platform answered "too fast" for this destination: nothing more goes there before `until`. */
  block(platform: PlatformId, targetKey: string, until: number): void;
  /** Another sender spent this budget (a rule's key): nothing more starts from it before `until`. */
  hold(key: string, until: number): void;
  /** Forgets destinations that have been quiet for a whole window. */
  prune(now: number): void;
}

/**
 * Budgets as this process has spent them. Every send spends from its platform's budgets (unless it calls no
 * app API) and its destination's; a platform without limits here is never sent to (the outbox fails those
 * rows first). Other senders on the same database are seen through `hold`, when their starts fill a window.
 */
export function createRateLimiter(limits: Partial<Record<PlatformId, RateLimits>>): RateLimiter {
  const apps = new Map<PlatformId, NamedBudget[]>();
  const destinations = new Map<string, NamedBudget>();

  function limitsOf(platform: PlatformId): RateLimits {
    const found = limits[platform];
    if (!found) throw new Error(`no rate limits for ${platform}`);
    return found;
  }

  function app(platform: PlatformId): NamedBudget[] {
    let budgets = apps.get(platform);
    if (!budgets) {
      const { app: perSecond, appCaps = [], account } = limitsOf(platform);
      const owner = account === undefined ? platform : `${platform}:${account}`;
      budgets = [perSecond, ...appCaps].map((limit) =>
        budgetFor(`${owner} app ${limit.count}/${limit.perMs}`, limit, APP_SPACING),
      );
      apps.set(platform, budgets);
    }
    return budgets;
  }

  function destination(platform: PlatformId, targetKey: string): NamedBudget {
    const key = `${platform} ${targetKey}`;
    let budget = destinations.get(key);
    if (!budget) {
      budget = budgetFor(key, limitsOf(platform).target, 1);
      destinations.set(key, budget);
    }
    return budget;
  }

  const budgetsOf = (platform: PlatformId, targetKey: string, spendsApp: boolean): NamedBudget[] => [
    ...(spendsApp ? app(platform) : []),
    destination(platform, targetKey),
  ];
  const appEarliest = (platform: PlatformId, now: number, spendsApp: boolean) =>
    spendsApp ? Math.max(...app(platform).map((budget) => budget.earliest(now))) : now;

  return {
    earliest(platform, targetKey, now, spendsApp = true) {
      return Math.max(...budgetsOf(platform, targetKey, spendsApp).map((budget) => budget.earliest(now)));
    },
    projected(platform, targetKey, now, ahead, spendsApp = true) {
      return Math.max(
        appEarliest(platform, now, spendsApp),
        destination(platform, targetKey).projected(now, ahead),
      );
    },
    spend(platform, targetKey, at, spendsApp = true) {
      const answered = budgetsOf(platform, targetKey, spendsApp).map((budget) => budget.spend(at));
      return (roundTripMs) => {
        for (const record of answered) record(roundTripMs);
      };
    },
    rules: (platform, targetKey, spendsApp = true) =>
      budgetsOf(platform, targetKey, spendsApp).map((budget) => budget.rule),
    block(platform, targetKey, until) {
      destination(platform, targetKey).block(until);
    },
    hold(key, until) {
      const budget =
        destinations.get(key) ?? [...apps.values()].flat().find((candidate) => candidate.rule.key === key);
      budget?.block(until);
    },
    prune(now) {
      for (const [key, budget] of destinations) if (budget.idle(now)) destinations.delete(key);
    },
  };
}

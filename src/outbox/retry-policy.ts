// What happens after a failed send: when to try again (backoff with jitter), or that it is over and why.
import { causeText } from "../log.ts";
import { SendError } from "../platforms/errors.ts";

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 10 * 60_000;
/** ±20 %, so that messages failed by the same outage do not all come back in the same instant. */
const JITTER = 0.2;
/** A message that keeps failing for a day is failed: by then it is news nobody wants. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;
const MAX_REASON_LENGTH = 2_000;

export type Verdict =
  | { kind: "retry"; at: number; reason: string; rateLimited: boolean }
  | { kind: "fail"; reason: string };

export interface FailedAttempt {
  error: unknown;
  /** Attempts made so far, this one included. */
  attempts: number;
  createdAt: Date;
  now: number;
  /** The destination's pacing interval: never retry a "too fast" sooner than this. */
  pacingMs: number;
  random: () => number;
}

/** The SendError message, platform code and causes, for `last_error` and the logs. */
export function describeFailure(error: unknown): string {
  const text =
    error instanceof SendError
      ? `${error.kind}: ${error.message}${error.platformCode === undefined ? "" : ` [platform code ${error.platformCode}]`}`
      : `unexpected: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  return `${text}${causeText(error)}`.slice(0, MAX_REASON_LENGTH);
}

/** 2 s, 4 s, 8 s … capped at 10 min, each ±20 %. */
export function backoffMs(attempts: number, random: () => number): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/**
 * Permanent errors stop at once. Everything else (including errors that are not SendErrors, which are bugs
 * or surprises: a fix and a redeploy should still deliver) is retried until the message is a day old.
 */
export function judgeFailure({ error, attempts, createdAt, now, pacingMs, random }: FailedAttempt): Verdict {
  const reason = describeFailure(error);
  if (error instanceof SendError && error.kind === "permanent") return { kind: "fail", reason };
  if (now - createdAt.getTime() >= GIVE_UP_AFTER_MS)
    return { kind: "fail", reason: `gave up after 24 h; last error: ${reason}`.slice(0, MAX_REASON_LENGTH) };
  const rateLimited = error instanceof SendError && error.kind === "rate_limited";
  const delay =
    rateLimited && error.retryAfterMs !== undefined
      ? Math.max(error.retryAfterMs, pacingMs)
      : Math.max(backoffMs(attempts, random), rateLimited ? pacingMs : 0);
  return { kind: "retry", at: now + delay, reason, rateLimited };
}

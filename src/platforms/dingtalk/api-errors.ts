// DingTalk API failures → SendError kinds the outbox acts on (retry later, back off, or give up).
import { SendError } from "../errors.ts";

/** Per-robot message throttles: DingTalk blocks the robot for a while, so wait at least a minute. */
const MESSAGE_RATE_CODES = new Set([
  "send.too.fast",
  "send.byToken.tooFast",
  "too.many.group",
  "too.many.people",
  // DING: under 6000 a minute per robot.
  "toomuch.msg",
  "130101",
  "410100",
]);
/** Per-second API throttles (20 QPS per app and API on the standard edition): a second is enough. */
const QPS_CODES = new Set([
  "Forbidden.AccessDenied.QpsLimitForApi",
  "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
  "90018",
  "90002",
]);
/** The standard edition's monthly call budget; retrying soon is pointless, dropping the message is worse. */
const MONTHLY_QUOTA_CODES = new Set(["Forbidden.AccessDenied.ApiCountLimitForOrg", "90020"]);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function retryAfterHeaderMs(headers: Headers): number | undefined {
  const seconds = Number(headers.get("retry-after"));
  return headers.has("retry-after") && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The rate-limit wait for a platform code, or undefined when the code is not a rate limit. */
function rateLimitWaitMs(code: string, message: string): number | undefined {
  if (MESSAGE_RATE_CODES.has(code)) return MINUTE;
  if (MONTHLY_QUOTA_CODES.has(code)) return HOUR;
  if (QPS_CODES.has(code) || /throttl/i.test(code) || /throttl/i.test(message)) return 1000;
  return undefined;
}

/**
 * Maps a failed answer. `code` is the v1.0 API's `code` or the robot webhook's `errcode`; `message` is only
 * the platform's own text (never our request, which may hold tokens).
 */
export function dingtalkSendError(
  what: string,
  status: number,
  headers: Headers,
  code: string | undefined,
  message: string,
): SendError {
  const detail = `${what} failed: HTTP ${status}${code ? ` ${code}` : ""}${message ? ` (${message})` : ""}`;
  const platformWait = code === undefined ? undefined : rateLimitWaitMs(code, message);
  if (status === 429 || platformWait !== undefined)
    return new SendError("rate_limited", detail, retryAfterHeaderMs(headers) ?? platformWait ?? 1000, code);
  if (status >= 500) return new SendError("transient", detail, undefined, code);
  return new SendError("permanent", detail, undefined, code);
}

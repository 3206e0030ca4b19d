// Typed errors at the platform boundary: the app maps WebhookError to a status, the outbox SendError to a retry.

export type WebhookErrorCode =
  | "bad_signature"
  | "missing_signature"
  | "stale_timestamp"
  | "replayed_signature"
  | "bad_token"
  | "bad_receiver"
  | "malformed"
  | "not_configured";

const STATUS: Record<WebhookErrorCode, 400 | 401 | 404> = {
  bad_signature: 401,
  missing_signature: 401,
  stale_timestamp: 401,
  replayed_signature: 401,
  bad_token: 401,
  bad_receiver: 401,
  malformed: 400,
  not_configured: 404,
};

/**
 * A webhook request we refuse; `reason` (and `cause`, the failure underneath) are for the log line, never for
 * the response body.
 */
export class WebhookError extends Error {
  readonly status: 400 | 401 | 404;
  constructor(
    readonly code: WebhookErrorCode,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${code}: ${reason}`, options);
    this.name = "WebhookError";
    this.status = STATUS[code];
  }
}

export type SendErrorKind =
  /** Over a platform limit; retry after `retryAfterMs`. */
  | "rate_limited"
  /** Network error or 5xx; retry with backoff. */
  | "transient"
  /** Will never succeed (bot removed, chat gone, card invalid); record and stop. */
  | "permanent";

export class SendError extends Error {
  constructor(
    readonly kind: SendErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly platformCode?: string | number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "SendError";
  }
}

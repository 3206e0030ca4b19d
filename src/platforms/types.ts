// The platform boundary: the adapter interface every platform implements (receive, answer, send).
// It speaks HTTP and rate limits; the neutral chat model it carries lives in src/chat/.
import type { ActionResult, OutboundMessage } from "../chat/card.ts";
import type {
  InboundAction,
  InboundEvent,
  PlatformId,
  ReplyHandle,
  SendTarget,
  Target,
} from "../chat/events.ts";

/** What a webhook route answers before the background work starts. */
export type WebhookOutcome =
  /** A handshake (url verification): answer this body, store nothing. */
  | { kind: "handshake"; response: Response }
  /**
   * A verified event to store in the inbox; `ack` is the response to send once stored. `signature` is set when
   * the platform's signature does not cover the body (DingTalk): the signed header pair, which then takes new
   * bodies only just after its first use (signature-uses.ts).
   */
  | { kind: "event"; event: InboundEvent; ack: Response; signature?: string }
  /** Verified but not something we handle: 200, no effect. */
  | { kind: "ignored"; response: Response };

/** One webhook request as the adapter sees it: raw bytes, before anything is parsed. */
export interface WebhookRequest {
  /** Sub-route below /webhooks/<platform>: "" for the main route, "cards" or "bot" otherwise. */
  route: string;
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
  now: Date;
}

export interface SendResult {
  /** Platform id of the message sent, when it returns one. */
  messageId?: string;
  /** How to update this message later, for card updates after a click. */
  handle?: ReplyHandle;
}

/** A send about to be paced, as `prepareSends` sees it. */
export interface PendingSend {
  target: Target;
  message: OutboundMessage;
}

/** At most `count` sends in any `perMs`. */
export interface Limit {
  count: number;
  perMs: number;
}

/** Outbound rate limits of one platform, for the outbox scheduler. */
export interface RateLimits {
  /** Whole-app budget. */
  app: Limit;
  /** Further whole-app caps over longer windows (Lark: 1,000 a minute besides 50 a second). */
  appCaps?: readonly Limit[];
  /** Per destination chat / webhook. */
  target: Limit;
  /**
   * Whose app budgets these are (the app or corp id): two apps of one platform on the same database each
   * have their own. A chat's budget is the chat's, whichever app sends there.
   */
  account?: string;
}

export interface PlatformAdapter {
  readonly id: PlatformId;
  readonly limits: RateLimits;
  /**
   * Whether this send spends the app's budgets: false when it calls no API of the app's (a DingTalk session
   * webhook), so only its destination's budget counts it. Every send does when this is absent.
   */
  spendsAppBudget?(target: Target, message: OutboundMessage): boolean;
  /**
   * Verify, decrypt and decode one webhook request. Throws WebhookError (401 / 400) on anything that does
   * not verify or cannot be parsed; never returns an event it did not verify.
   */
  receive(request: WebhookRequest): Promise<WebhookOutcome>;
  /**
   * The synchronous answer to a card click. `null` when this platform cannot replace the card in the
   * callback answer; the caller then sends an `update` through the outbox.
   */
  answerAction(action: InboundAction, result: ActionResult): Promise<Response | null>;
  /**
   * Fetches what these sends need (an access token) before they are paced, so that they are not held up
   * together behind it and then reach the platform in a bunch. Resolves at once when the token is cached or
   * none of them needs one; may throw (each send then fetches it itself, or fails and is retried as usual).
   */
  prepareSends(sends: readonly PendingSend[]): Promise<void>;
  /** Send one message. Throws SendError with a kind the outbox uses to retry or give up. */
  send(target: SendTarget, message: OutboundMessage, idempotencyKey: string): Promise<SendResult>;
}

// What a long connection (a transport the bot opens itself) needs from the bot and tells about itself.
import type { ActionResult } from "../chat/card.ts";
import type { InboundAction, InboundEvent, PlatformId } from "../chat/events.ts";

/**
 * Takes one decoded event the way a webhook event is taken: stored in the inbox before this resolves
 * (so the caller may acknowledge it), then processed. For a card click done within the deadline,
 * `answer` turns the result into what the platform shows at once (null when it cannot carry it: the
 * result then follows as a card update) and that comes back; otherwise undefined.
 * Rejects when the event could not be stored: the caller must not acknowledge it.
 */
export type AcceptEvent = <A>(
  event: InboundEvent,
  answer: (action: InboundAction, result: ActionResult) => Promise<A | null>,
) => Promise<A | undefined>;

export type ConnectionState = "connected" | "connecting" | "down";

/** Where a long connection reports each change of its state (for /healthz). */
export type ReportState = (state: ConnectionState) => void;

export interface LongConnection {
  readonly platform: PlatformId;
  /** Opens the connection; reconnects on its own until `stop`. Resolves once the first attempt is under way. */
  start(): Promise<void>;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

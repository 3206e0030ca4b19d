// The platform boundary: neutral inbound events, the neutral card, and the adapter interface.
// Handlers and domain code only ever see these types; platform payloads stay in src/platforms/<p>/.

import type { RichText } from "./shared/rich-text.ts";

export const PLATFORMS = ["lark", "dingtalk", "wecom"] as const;
export type PlatformId = (typeof PLATFORMS)[number];

export type ChatKind = "group" | "direct";

export interface ChatRef {
  /** Lark chat_id, DingTalk openConversationId, WeCom chat id (robot) or the user id for app 1:1 chats. */
  id: string;
  kind: ChatKind;
  title?: string;
}

export interface Person {
  /** Lark open_id, DingTalk senderStaffId, WeCom userid. */
  id: string;
  name?: string;
}

/**
 * How to answer this very event. Opaque to handlers; each adapter reads back what it wrote.
 * Kept as plain JSON so it survives the inbox row.
 */
export type ReplyHandle = Record<string, string | number | undefined>;

export interface InboundMessage {
  kind: "message";
  platform: PlatformId;
  /** Unique per platform event; the inbox key. */
  dedupKey: string;
  chat: ChatRef;
  sender: Person;
  /** Text with leading mentions of the bot removed and whitespace trimmed. */
  text: string;
  /** Other people mentioned in the message, in order. */
  mentions: Person[];
  messageId: string;
  reply: ReplyHandle;
}

export interface InboundAction {
  kind: "action";
  platform: PlatformId;
  dedupKey: string;
  /** The action id carried by the button or form, e.g. "order.confirm". */
  actionId: string;
  /** Values the button carried; never trusted for authorisation. */
  value: Record<string, string>;
  /** Form inputs by name, for form submissions. */
  form: Record<string, string>;
  operator: Person;
  chat: ChatRef;
  /** Reference to the card message that was clicked (message id, card token, out-track id…). */
  message: ReplyHandle;
}

export type InboundEvent = InboundMessage | InboundAction;

export type CardTone = "neutral" | "info" | "success" | "warning" | "danger";

export interface CardField {
  label: string;
  value: string;
}

export interface CardButton {
  label: string;
  action: string;
  value?: Record<string, string>;
  style?: "primary" | "danger" | "default";
  /** When set, the platform asks the user to confirm before sending the click. */
  confirm?: string;
}

export type FormInputType = "text" | "number" | "date" | "select";

export interface FormInput {
  name: string;
  label: string;
  type: FormInputType;
  required?: boolean;
  placeholder?: string;
  initial?: string;
  options?: { value: string; label: string }[];
}

export interface CardForm {
  action: string;
  value?: Record<string, string>;
  submitLabel: string;
  inputs: FormInput[];
}

/**
 * A card. Title, field labels and values, note, button and form labels are text: every platform renders them
 * as typed, never as markup. Only `markdown` carries opsbot's own markup (**bold**, line breaks, lists), and
 * the user text inside it is marked as such (rich-text.ts), so each platform escapes it at its render boundary.
 */
export interface Card {
  title: string;
  tone: CardTone;
  fields?: CardField[];
  markdown?: RichText;
  buttons?: CardButton[];
  form?: CardForm;
  /** Small grey line at the bottom, e.g. "Confirmed by Wang Wei at 10:02". */
  note?: string;
}

export type OutboundMessage = { type: "text"; text: string } | { type: "card"; card: Card };

/** Where an outbound message goes. */
export type Target =
  | { kind: "chat"; platform: PlatformId; chatId: string; chatKind: ChatKind }
  | { kind: "reply"; platform: PlatformId; handle: ReplyHandle }
  /** Replace a card that was sent earlier (after a click). */
  | { kind: "update"; platform: PlatformId; handle: ReplyHandle }
  /** A group reachable only by its robot webhook (WeCom group robot). */
  | { kind: "webhook"; platform: PlatformId; url: string };

/** What a webhook route answers before the background work starts. */
export type WebhookOutcome =
  /** A handshake (url verification): answer this body, store nothing. */
  | { kind: "handshake"; response: Response }
  /**
   * A verified event to store in the inbox; `ack` is the response to send once stored. `signature` is set when
   * the platform's signature does not cover the body (DingTalk): the signed header pair, which is then accepted
   * with one body only.
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

/** What a handler decided after a card click, for the platform to show at once. */
export interface ActionResult {
  toast?: { kind: "success" | "info" | "warning" | "error"; text: string };
  /** The card as it should now look (replaces the clicked card). */
  card?: Card;
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

/** Outbound and inbound rate limits of one platform, for the outbox scheduler. */
export interface RateLimits {
  /** Whole-app budget. */
  app: { count: number; perMs: number };
  /** Per destination chat / webhook. */
  target: { count: number; perMs: number };
}

export interface PlatformAdapter {
  readonly id: PlatformId;
  readonly limits: RateLimits;
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
  send(target: Target, message: OutboundMessage, idempotencyKey: string): Promise<SendResult>;
}

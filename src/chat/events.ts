// The neutral chat model: platforms, chats, people, inbound events and where a message goes.
// Every platform adapter decodes into these; handlers and the domain never see a platform payload.

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

/** Where an outbound message goes. */
export type Target =
  | { kind: "chat"; platform: PlatformId; chatId: string; chatKind: ChatKind }
  | { kind: "reply"; platform: PlatformId; handle: ReplyHandle }
  /** Replace a card that was sent earlier (after a click). */
  | { kind: "update"; platform: PlatformId; handle: ReplyHandle }
  /**
   * A group reachable only by its robot's webhook (WeCom group robot), named by its chat: the webhook's URL
   * carries a key that lets anyone post there, so it rests only with the chat (where /subscribe stored it)
   * and the outbox looks it up as it sends (SendTarget).
   */
  | { kind: "webhook"; platform: PlatformId; chatId: string }
  /**
   * The platform's urgent notice to these people (Lark's in-app buzz, a DingTalk DING), where it has one. On
   * Lark it urges a message the bot sent: `follows` is that message's outbox key and `chatId` its chat (the
   * urgent waits behind it there); the outbox fills in `messageId` once that message is sent.
   */
  | {
      kind: "urgent";
      platform: PlatformId;
      userIds: string[];
      follows?: string;
      chatId?: string;
      messageId?: string;
    };

/** A target as an adapter sends to it: a robot's webhook by its URL, looked up from its chat by the outbox. */
export type SendTarget =
  | Exclude<Target, { kind: "webhook" }>
  | { kind: "webhook"; platform: PlatformId; url: string };

// What the console's chats hold: the messages typed and the platform payloads the bot delivered, per chat.
import type { PlatformId } from "../src/chat/events.ts";

/** Messages kept per chat; older ones drop off, the console is a window, not an archive. */
const MAX_MESSAGES_PER_CHAT = 200;

export interface ChatMessage {
  id: string;
  from: "user" | "bot";
  /** Who typed it (user messages). */
  author?: string;
  /** For user messages `{ text }`; for the bot's, the payload exactly as the platform API received it. */
  payload: unknown;
  /** The platform's short notice after a click (Lark and DingTalk toasts). */
  toast?: string;
  /** Bumped on every change, so the page redraws only what moved. */
  revision: number;
}

export interface Conversations {
  add(platform: PlatformId, chatId: string, message: Omit<ChatMessage, "revision">): void;
  /** Replaces a message's payload (a card updated in place); false when the message is unknown. */
  update(
    platform: PlatformId,
    messageId: string,
    change: Partial<Pick<ChatMessage, "payload" | "toast">>,
  ): boolean;
  find(platform: PlatformId, messageId: string): ChatMessage | undefined;
  /** The chat a message was posted in. */
  chatOf(platform: PlatformId, messageId: string): string | undefined;
  /** Another name for a chat or message (a response code, a card token), scoped to the platform. */
  alias(platform: PlatformId, name: string, target: string): void;
  resolve(platform: PlatformId, name: string): string | undefined;
  list(platform: PlatformId, chatId: string): { revision: number; messages: ChatMessage[] };
  /** A fresh id for a console-side message or event. */
  nextId(prefix: string): string;
}

export function createConversations(): Conversations {
  const chats = new Map<string, ChatMessage[]>();
  const messageChat = new Map<string, string>();
  const aliases = new Map<string, string>();
  let revision = 0;
  let sequence = 0;
  const key = (platform: PlatformId, id: string) => `${platform}\u0000${id}`;

  const find = (platform: PlatformId, messageId: string): ChatMessage | undefined => {
    const chatId = messageChat.get(key(platform, messageId));
    if (chatId === undefined) return undefined;
    return chats.get(key(platform, chatId))?.find((message) => message.id === messageId);
  };

  return {
    add(platform, chatId, message) {
      const list = chats.get(key(platform, chatId)) ?? [];
      list.push({ ...message, revision: ++revision });
      messageChat.set(key(platform, message.id), chatId);
      for (const dropped of list.splice(0, Math.max(0, list.length - MAX_MESSAGES_PER_CHAT)))
        messageChat.delete(key(platform, dropped.id));
      chats.set(key(platform, chatId), list);
    },
    update(platform, messageId, change) {
      const message = find(platform, messageId);
      if (!message) return false;
      Object.assign(message, change, { revision: ++revision });
      return true;
    },
    find,
    chatOf: (platform, messageId) => messageChat.get(key(platform, messageId)),
    alias: (platform, name, target) => aliases.set(key(platform, name), target),
    resolve: (platform, name) => aliases.get(key(platform, name)),
    list(platform, chatId) {
      const messages = chats.get(key(platform, chatId)) ?? [];
      return { revision: Math.max(0, ...messages.map((message) => message.revision)), messages };
    },
    nextId: (prefix) => `${prefix}${++sequence}`,
  };
}

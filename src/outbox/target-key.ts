// The rate-limit bucket of a destination: the chat a message lands in, so sends, replies and updates share it.

import type { ReplyHandle, Target } from "../chat/events.ts";
import { hexEncode, sha256 } from "../platforms/shared/web-crypto.ts";

const text = (handle: ReplyHandle, name: string): string | undefined => {
  const value = handle[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/** A short, stable digest for keys that must not carry the value itself (webhook URLs are secrets). */
async function digest(value: string): Promise<string> {
  return hexEncode(await sha256(value)).slice(0, 32);
}

/** Same handle, same digest, whatever order its fields were written in. */
const canonical = (handle: ReplyHandle): string =>
  JSON.stringify(Object.entries(handle).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Handles name their chat as `chatId` (Lark, DingTalk, WeCom robot) or, for WeCom app 1:1 chats, as the
 * member's `userId`, which is that chat's id; a Lark handle without a chat falls back to its message.
 */
async function handleKey(handle: ReplyHandle): Promise<string> {
  const chat = text(handle, "chatId") ?? text(handle, "userId");
  if (chat) return `chat:${chat}`;
  const messageId = text(handle, "messageId");
  if (messageId) return `message:${messageId}`;
  return `handle:${await digest(canonical(handle))}`;
}

export async function targetKey(target: Target): Promise<string> {
  switch (target.kind) {
    case "chat":
      return `chat:${target.chatId}`;
    case "reply":
    case "update":
      return handleKey(target.handle);
    case "webhook":
      return `webhook:${target.chatId}`;
    case "urgent":
      // Behind the message it urges, in that chat's queue; a DING to several people has a bucket of its own.
      return target.chatId ? `chat:${target.chatId}` : `urgent:${await digest(target.userIds.join(","))}`;
  }
}

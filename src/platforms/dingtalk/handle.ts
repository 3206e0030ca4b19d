// Where a DingTalk message goes back to: the reply handle we store with events and sends, and card out-track ids.

import type { ChatKind, ChatRef, ReplyHandle } from "../../chat/events.ts";
import { SendError } from "../errors.ts";
import { base64UrlDecode, base64UrlEncode, hexEncode, sha256 } from "../shared/web-crypto.ts";

/**
 * `chatId` is what the send APIs address: the group's openConversationId, or for a 1:1 chat the user's
 * staffId (`oToMessages/batchSend` and IM_ROBOT cards take user ids, not the 1:1 conversation id).
 */
export type DingTalkHandle = {
  chatId: string;
  chatKind: ChatKind;
  /** The robot message's conversationId (for a 1:1 chat, the conversation rather than the user). */
  conversationId?: string;
  /** Per-message reply URL, valid until `sessionWebhookExpiredTime` (ms). */
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  /** Set on interactive cards: the id to update them with. */
  outTrackId?: string;
};

/** Reads a handle written by this adapter; anything else can never be sent to. */
export function readHandle(handle: ReplyHandle): DingTalkHandle {
  const { chatId, chatKind, conversationId, sessionWebhook, sessionWebhookExpiredTime, outTrackId } = handle;
  if (typeof chatId !== "string" || !chatId || (chatKind !== "group" && chatKind !== "direct"))
    throw new SendError("permanent", "not a DingTalk reply handle");
  const read: DingTalkHandle = { chatId, chatKind };
  if (typeof conversationId === "string") read.conversationId = conversationId;
  if (typeof sessionWebhook === "string" && typeof sessionWebhookExpiredTime === "number") {
    read.sessionWebhook = sessionWebhook;
    read.sessionWebhookExpiredTime = sessionWebhookExpiredTime;
  }
  if (typeof outTrackId === "string") read.outTrackId = outTrackId;
  return read;
}

const KIND_TAG = { group: "g", direct: "d" } as const;

/**
 * A card's outTrackId: a digest of the outbox idempotency key (so a retried send reuses the id and DingTalk
 * ignores the duplicate) followed by the chat. Card callbacks carry only the outTrackId and the user, so the
 * chat the card lives in has to travel inside the id.
 */
export async function outTrackIdFor(idempotencyKey: string, chat: { id: string; kind: ChatKind }) {
  const digest = hexEncode(await sha256(idempotencyKey)).slice(0, 24);
  return `${digest}.${KIND_TAG[chat.kind]}.${base64UrlEncode(chat.id)}`;
}

/** The chat an outTrackId of ours points at, or null for an id we did not make. */
export function chatOfOutTrackId(outTrackId: string): ChatRef | null {
  const match = /^[0-9a-f]{24}\.([gd])\.([A-Za-z0-9_-]+)$/.exec(outTrackId);
  if (!match?.[1] || !match[2]) return null;
  try {
    return { id: base64UrlDecode(match[2]), kind: match[1] === "g" ? "group" : "direct" };
  } catch {
    return null;
  }
}

// Decodes a verified Lark envelope into a neutral InboundEvent: messages and card.action.trigger callbacks.

import { z } from "zod";
import type { ChatKind, InboundAction, InboundEvent, InboundMessage } from "../../chat/events.ts";
import { WebhookError } from "../errors.ts";
import { scalarText } from "../shared/scalar-text.ts";
import { messagePlainText, resolveMentions } from "./message-text.ts";
import type { LarkEnvelope } from "./verify.ts";

const userIds = z.object({
  open_id: z.string().optional(),
  user_id: z.string().optional(),
});

const messageReceive = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1) }),
    sender_type: z.string().optional(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z
      .array(
        z.object({
          key: z.string(),
          id: userIds.optional(),
          name: z.string().optional(),
          mentioned_type: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

const cardActionTrigger = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    form_value: z.record(z.string(), z.unknown()).nullish(),
  }),
  context: z.object({
    open_message_id: z.string().min(1),
    open_chat_id: z.string().min(1),
  }),
});

const envelopeHeader = z.object({
  event_id: z.string().optional(),
  event_type: z.string(),
});

function parseEvent<T>(schema: z.ZodType<T>, event: unknown, eventType: string): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new WebhookError("malformed", `${eventType} event lacks required fields`);
  return parsed.data;
}

const chatKind = (chatType: string): ChatKind => (chatType === "p2p" ? "direct" : "group");

function decodeMessage(event: unknown): InboundMessage | undefined {
  const { sender, message } = parseEvent(messageReceive, event, "im.message.receive_v1");
  // Never answer another bot (or ourselves): that is how reply loops start.
  if (sender.sender_type && sender.sender_type !== "user") return undefined;
  const raw = messagePlainText(message.message_type, message.content);
  if (raw === undefined) return undefined;
  const { text, people } = resolveMentions(raw, message.mentions ?? []);
  return {
    kind: "message",
    platform: "lark",
    // Lark may push one message under several event_ids; its docs say to dedupe on message_id.
    dedupKey: `lark:msg:${message.message_id}`,
    chat: { id: message.chat_id, kind: chatKind(message.chat_type) },
    sender: { id: sender.sender_id.open_id },
    text,
    mentions: people,
    messageId: message.message_id,
    reply: { messageId: message.message_id, chatId: message.chat_id },
  };
}

/** Date pickers answer "2026-11-26 +0800"; handlers want the plain date. */
function formText(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalarText).join(",");
  const text = scalarText(value);
  const date = /^(\d{4}-\d{2}-\d{2}) [+-]\d{4}$/.exec(text);
  return date ? (date[1] as string) : text;
}

function decodeCardAction(event: unknown, eventId: string | undefined): InboundAction | undefined {
  const { operator, token, action, context } = parseEvent(cardActionTrigger, event, "card.action.trigger");
  // Our buttons carry {action: "<id>", ...}; a click on any other card is not ours to handle.
  const carried = action.value;
  if (typeof carried !== "object" || carried === null || Array.isArray(carried)) return undefined;
  const { action: actionId, ...rest } = carried as Record<string, unknown>;
  if (typeof actionId !== "string" || !actionId) return undefined;
  const dedupId = eventId ?? token;
  if (!dedupId) throw new WebhookError("malformed", "card.action.trigger without event_id or token");
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.form_value ?? {})) {
    // An untouched optional input comes back as null; leave it out like an absent one.
    if (value !== null && value !== undefined) form[name] = formText(value);
  }
  const message: InboundAction["message"] = {
    messageId: context.open_message_id,
    chatId: context.open_chat_id,
  };
  if (token) message.cardToken = token;
  return {
    kind: "action",
    platform: "lark",
    dedupKey: `lark:card:${dedupId}`,
    actionId,
    value: Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, scalarText(value)])),
    form,
    operator: { id: operator.open_id },
    // The callback does not say whether the chat is a group; cards are mostly posted in groups.
    chat: { id: context.open_chat_id, kind: "group" },
    message,
  };
}

/** The neutral event in a verified envelope, or undefined for events the bot does not handle. */
export function decodeLarkEnvelope(envelope: LarkEnvelope): InboundEvent | undefined {
  if (envelope.schema !== "2.0") return undefined;
  const header = envelopeHeader.safeParse(envelope.header);
  if (!header.success) throw new WebhookError("malformed", "schema 2.0 envelope without a header");
  switch (header.data.event_type) {
    case "im.message.receive_v1":
      return decodeMessage(envelope.event);
    case "card.action.trigger":
      return decodeCardAction(envelope.event, header.data.event_id);
    default:
      return undefined;
  }
}

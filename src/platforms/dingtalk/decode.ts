// DingTalk payloads → neutral events: robot messages (commands and reserved action texts) and card callbacks.

import type { ChatRef, InboundAction, InboundEvent, InboundMessage, Person } from "../../chat/events.ts";
import { WebhookError } from "../errors.ts";
import { scalarText } from "../shared/scalar-text.ts";
import { utf8Decode } from "../shared/web-crypto.ts";
import { parseActionText } from "./action-link.ts";
import { chatOfOutTrackId, type DingTalkHandle } from "./handle.ts";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function malformed(reason: string, cause?: unknown): never {
  throw new WebhookError("malformed", reason, cause === undefined ? undefined : { cause });
}

/** The JSON body of a verified request; anything unparseable is a 400. */
export function parseJsonBody(body: Uint8Array): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(body));
  } catch (error) {
    malformed("body is not UTF-8 JSON", error);
  }
  return isObject(parsed) ? parsed : malformed("body is not a JSON object");
}

/** Leading @-mentions (the bot's, as the client typed them) are not part of the command. */
const stripLeadingMentions = (content: string): string => content.trim().replace(/^(?:@\S+\s*)+/u, "");

/** Users mentioned besides the bot; DingTalk lists the bot itself in atUsers too. */
function mentionsOf(body: Json): Person[] {
  if (!Array.isArray(body.atUsers)) return [];
  const botId = text(body.chatbotUserId);
  return body.atUsers.flatMap((user: unknown) => {
    if (!isObject(user)) return [];
    const staffId = text(user.staffId);
    return staffId && user.dingtalkId !== botId ? [{ id: staffId }] : [];
  });
}

/** How to answer: the session webhook while it lasts, then the chat through the server API. */
function replyHandleOf(body: Json, chat: ChatRef, conversationId: string): DingTalkHandle {
  const reply: DingTalkHandle = { chatId: chat.id, chatKind: chat.kind, conversationId };
  const sessionWebhook = text(body.sessionWebhook);
  const raw = body.sessionWebhookExpiredTime;
  const expiresAt = typeof raw === "string" ? Number(raw) : raw;
  if (sessionWebhook && typeof expiresAt === "number" && Number.isFinite(expiresAt)) {
    reply.sessionWebhook = sessionWebhook;
    reply.sessionWebhookExpiredTime = expiresAt;
  }
  return reply;
}

/**
 * A robot message (route ""). Returns null for what carries no command: over-quota notices
 * (`errorMessage`, no text) and non-text messages.
 */
export function decodeRobotMessage(body: Json): InboundEvent | null {
  if (body.errorMessage !== undefined) return null;
  if (body.msgtype !== undefined && body.msgtype !== "text") return null;
  // DT-0718 sends `text.content`; the DT-0078 sample flattens it to a top-level `content`.
  const content = text(isObject(body.text) ? body.text.content : undefined) ?? text(body.content);
  if (content === undefined) return null;

  const msgId = text(body.msgId) ?? malformed("msgId is missing");
  const conversationId = text(body.conversationId) ?? malformed("conversationId is missing");
  const kind = body.conversationType === "1" ? "direct" : body.conversationType === "2" ? "group" : undefined;
  if (!kind) malformed("conversationType is neither 1 nor 2");
  const senderId = text(body.senderStaffId) ?? text(body.senderId) ?? malformed("sender is missing");

  const sender: Person = { id: senderId };
  const senderNick = text(body.senderNick);
  if (senderNick) sender.name = senderNick;
  const chat: ChatRef = { id: kind === "group" ? conversationId : senderId, kind };
  const title = text(body.conversationTitle);
  if (kind === "group" && title) chat.title = title;

  const reply = replyHandleOf(body, chat, conversationId);
  const dedupKey = `dingtalk:msg:${msgId}`;
  const commandText = stripLeadingMentions(content);
  const action = parseActionText(commandText);
  if (action) {
    return {
      kind: "action",
      platform: "dingtalk",
      dedupKey,
      ...action,
      form: {},
      operator: sender,
      chat,
      message: reply,
    };
  }
  const message: InboundMessage = {
    kind: "message",
    platform: "dingtalk",
    dedupKey,
    chat,
    sender,
    text: commandText,
    mentions: mentionsOf(body),
    messageId: msgId,
    reply,
  };
  return message;
}

/** The button's value: the JSON string our card template passes back, or an object of strings. */
function buttonValue(raw: unknown): Record<string, string> {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, scalarText(entry)]));
}

/**
 * A card callback (route "cards"): `{type:"actionCallback", outTrackId, userId, content:"<JSON>"}` where content
 * holds `cardPrivateData: {actionIds, params}`. Our template passes `params.action` and `params.value`
 * (see render.ts); every other param is a form input. `signatureTimestamp` is the verified
 * x-ddpaas-signature-timestamp: DingTalk sends no callback id, and a redelivery repeats the same headers.
 */
export function decodeCardCallback(body: Json, signatureTimestamp: string): InboundAction | null {
  if (body.type !== "actionCallback") return null;
  const outTrackId = text(body.outTrackId) ?? malformed("outTrackId is missing");
  const userId = text(body.userId) ?? malformed("userId is missing");
  const chat = chatOfOutTrackId(outTrackId);
  if (!chat) return null;

  let content: unknown = body.content;
  if (typeof content === "string") {
    try {
      content = JSON.parse(content);
    } catch (error) {
      malformed("content is not JSON", error);
    }
  }
  const privateData = isObject(content) && isObject(content.cardPrivateData) ? content.cardPrivateData : {};
  const params = isObject(privateData.params) ? privateData.params : {};
  const componentIds = Array.isArray(privateData.actionIds) ? privateData.actionIds : [];
  const actionId = text(params.action) ?? text(componentIds[0]);
  if (!actionId) return null;

  const { action: _action, value, ...inputs } = params;
  return {
    kind: "action",
    platform: "dingtalk",
    dedupKey: `dingtalk:card:${outTrackId}:${userId}:${signatureTimestamp}`,
    actionId,
    value: buttonValue(value),
    form: Object.fromEntries(Object.entries(inputs).map(([name, entry]) => [name, scalarText(entry)])),
    operator: { id: userId },
    chat,
    message: { chatId: chat.id, chatKind: chat.kind, outTrackId } satisfies DingTalkHandle,
  };
}

// Decrypted WeCom payloads → neutral events: app XML (text, template_card_event) and robot JSON (text, card events).
import type { ChatRef, InboundAction, InboundEvent, InboundMessage } from "../../chat/events.ts";
import { decodeButtonKey } from "./button-key.ts";
import type { AppHandle, BotHandle } from "./handle.ts";
import { type XmlRecord, xmlText } from "./xml.ts";

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** A JSON value as an id string: WeCom ids are opaque, and some arrive as numbers. */
function idOf(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  return typeof value === "number" ? String(value) : undefined;
}

/** Form answers of a multiple_interaction / vote card: question key → chosen option ids, comma-joined. */
function formOf(items: { key: string | undefined; options: unknown[] }[]): Record<string, string> {
  const form: Record<string, string> = {};
  for (const { key, options } of items) {
    if (key) form[key] = options.filter((option) => typeof option === "string").join(",");
  }
  return form;
}

/** Self-built app callback (decrypted XML). Null for messages and events we do not handle. */
export function decodeAppXml(message: XmlRecord): InboundEvent | null {
  const userId = xmlText(message, "FromUserName");
  if (!userId) return null;
  const msgType = xmlText(message, "MsgType");
  const chat: ChatRef = { id: userId, kind: "direct" };
  if (msgType === "text") {
    const messageId = xmlText(message, "MsgId");
    if (!messageId) return null;
    const reply: AppHandle = { channel: "app", userId };
    const event: InboundMessage = {
      kind: "message",
      platform: "wecom",
      dedupKey: `wecom:msg:${messageId}`,
      chat,
      sender: { id: userId },
      text: (xmlText(message, "Content") ?? "").trim(),
      mentions: [],
      messageId,
      reply,
    };
    return event;
  }
  if (msgType !== "event" || xmlText(message, "Event") !== "template_card_event") return null;
  const eventKey = xmlText(message, "EventKey") ?? "";
  const carried = decodeButtonKey(eventKey);
  if (!carried) return null;
  const taskId = xmlText(message, "TaskId") ?? "";
  const responseCode = xmlText(message, "ResponseCode");
  const selected = asRecord(message.SelectedItems);
  const items = asList(selected?.SelectedItem).map((entry) => {
    const item = asRecord(entry);
    return { key: idOf(item?.QuestionKey), options: asList(asRecord(item?.OptionIds)?.OptionId) };
  });
  const handle: AppHandle = { channel: "app", userId, taskId, ...(responseCode && { responseCode }) };
  const action: InboundAction = {
    kind: "action",
    platform: "wecom",
    // FromUserName + CreateTime alone collide for different clicks in one second (WxJava#1745).
    dedupKey: `wecom:card:${userId}:${xmlText(message, "CreateTime") ?? ""}:${eventKey}:${taskId}`,
    actionId: carried.actionId,
    value: carried.value,
    form: formOf(items),
    operator: { id: userId },
    chat,
    message: handle,
  };
  return action;
}

/** Strips the leading "@Robot " mentions WeCom leaves in group text (the name is the robot's display name). */
const withoutLeadingMentions = (text: string): string => text.replace(/^(?:\s*@[^\s/]+)+/u, "").trim();

/** Intelligent-robot callback (decrypted JSON, doc 100719 / 101027). Null for what we do not handle. */
export function decodeBotJson(payload: unknown): InboundEvent | null {
  const body = asRecord(payload);
  const msgId = idOf(body?.msgid);
  const userId = idOf(asRecord(body?.from)?.userid);
  const responseUrl = idOf(body?.response_url);
  if (!body || !msgId || !userId || !responseUrl) return null;
  const groupId = body.chattype === "group" ? idOf(body.chatid) : undefined;
  const chat: ChatRef = groupId ? { id: groupId, kind: "group" } : { id: userId, kind: "direct" };
  const reply: BotHandle = { channel: "bot", responseUrl, chatId: chat.id, chatKind: chat.kind, userId };
  const dedupKey = `wecom:bot:${msgId}`;
  if (body.msgtype === "text") {
    const content = asRecord(body.text)?.content;
    const event: InboundMessage = {
      kind: "message",
      platform: "wecom",
      dedupKey,
      chat,
      sender: { id: userId },
      text: withoutLeadingMentions(typeof content === "string" ? content : ""),
      mentions: [],
      messageId: msgId,
      reply,
    };
    return event;
  }
  const event = asRecord(body.event);
  const click = asRecord(event?.template_card_event);
  if (body.msgtype !== "event" || event?.eventtype !== "template_card_event" || !click) return null;
  const carried = decodeButtonKey(idOf(click.event_key) ?? "");
  if (!carried) return null;
  const items = asList(asRecord(click.selected_items)?.selected_item).map((entry) => {
    const item = asRecord(entry);
    return { key: idOf(item?.question_key), options: asList(asRecord(item?.option_ids)?.option_id) };
  });
  const taskId = idOf(click.task_id);
  const action: InboundAction = {
    kind: "action",
    platform: "wecom",
    dedupKey,
    actionId: carried.actionId,
    value: carried.value,
    form: formOf(items),
    operator: { id: userId },
    chat,
    message: { ...reply, ...(taskId && { taskId }) },
  };
  return action;
}

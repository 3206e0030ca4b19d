// The reply handles WeCom events carry through the inbox, and reading them back when sending.

import type { ChatKind, ReplyHandle } from "../../chat/events.ts";
import { SendError } from "../errors.ts";

/** Self-built app: every conversation is 1:1 with `userId`; a clicked card adds its task id and response code. */
export type AppHandle = { channel: "app"; userId: string; taskId?: string; responseCode?: string };

/** Intelligent robot: answers go to the single-use `responseUrl` (valid 1 h) of the event. */
export type BotHandle = {
  channel: "bot";
  responseUrl: string;
  chatId: string;
  chatKind: ChatKind;
  userId: string;
  taskId?: string;
};

export type WeComHandle = AppHandle | BotHandle;

const text = (handle: ReplyHandle, name: string): string | undefined => {
  const value = handle[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

export function readHandle(handle: ReplyHandle): WeComHandle {
  const userId = text(handle, "userId");
  if (handle.channel === "app" && userId) {
    const taskId = text(handle, "taskId");
    const responseCode = text(handle, "responseCode");
    return { channel: "app", userId, ...(taskId && { taskId }), ...(responseCode && { responseCode }) };
  }
  const responseUrl = text(handle, "responseUrl");
  const chatId = text(handle, "chatId");
  if (handle.channel === "bot" && userId && responseUrl && chatId) {
    const taskId = text(handle, "taskId");
    const chatKind: ChatKind = handle.chatKind === "group" ? "group" : "direct";
    return { channel: "bot", responseUrl, chatId, chatKind, userId, ...(taskId && { taskId }) };
  }
  throw new SendError("permanent", "not a WeCom reply handle");
}

// DingTalk's request signatures as DingTalk computes them, with node:crypto, plus robot-message and card-callback
// body fixtures.
import { createHmac } from "node:crypto";
import type { WebhookRequest } from "../../src/platforms/types.ts";

/** Robot message headers: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
export function signDingTalk(timestamp: number | string, secret: string): Record<string, string> {
  const ts = String(timestamp);
  return {
    timestamp: ts,
    sign: createHmac("sha256", secret).update(`${ts}\n${secret}`, "utf8").digest("base64"),
  };
}

/** Card callback headers: x-ddpaas-signature = base64(HMAC-SHA256(apiSecret, timestamp)). */
export function signDingTalkCard(timestamp: number | string, apiSecret: string): Record<string, string> {
  const ts = String(timestamp);
  return {
    "x-ddpaas-signature-timestamp": ts,
    "x-ddpaas-signature": createHmac("sha256", apiSecret).update(ts, "utf8").digest("base64"),
  };
}

export const BOT_DINGTALK_ID = "$:LWCP_v1:$botBOTbot";

export interface RobotMessageOptions {
  text?: string;
  /** "2" group (default) or "1" 1:1. */
  conversationType?: "1" | "2";
  msgId?: string;
  /** ms; default 2026-11-26T02:00:00Z. */
  createAt?: number;
  /** Fields to add, replace, or (with undefined) remove. */
  overrides?: Record<string, unknown>;
}

/** A robot message body shaped like DT-0718's sample: group chat, @bot, text.content, session webhook. */
export function dingtalkRobotMessage(options: RobotMessageOptions = {}): Record<string, unknown> {
  const createAt = options.createAt ?? Date.UTC(2026, 10, 26, 2, 0, 0);
  const group = (options.conversationType ?? "2") === "2";
  const body: Record<string, unknown> = {
    msgtype: "text",
    text: { content: options.text ?? " /help" },
    msgId: options.msgId ?? "msgA1b2C3d4E5==",
    createAt,
    conversationType: group ? "2" : "1",
    conversationId: group ? "cidLY0TRpE+Ka//RsguNtQnHw==" : "cidSINGLEchatWithRobot==",
    ...(group ? { conversationTitle: "运营群" } : {}),
    senderId: "$:LWCP_v1:$senderSENDER",
    senderNick: "王伟",
    senderStaffId: "manager4511",
    senderCorpId: "dingcorp0001",
    chatbotUserId: BOT_DINGTALK_ID,
    chatbotCorpId: "dingcorp0001",
    robotCode: "dingrobot0001",
    isAdmin: false,
    isInAtList: true,
    atUsers: group ? [{ dingtalkId: BOT_DINGTALK_ID }] : [],
    sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=fixture",
    sessionWebhookExpiredTime: createAt + 5_400_000,
  };
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) delete body[key];
    else body[key] = value;
  }
  return body;
}

/** A card callback body as DT-CB shows it: content is a JSON string holding cardPrivateData. */
export function dingtalkCardCallback(options: {
  outTrackId: string;
  userId?: string;
  params?: Record<string, unknown>;
  actionIds?: string[];
}): Record<string, unknown> {
  return {
    type: "actionCallback",
    outTrackId: options.outTrackId,
    corpId: "dingcorp0001",
    userId: options.userId ?? "manager4511",
    content: JSON.stringify({
      cardPrivateData: { actionIds: options.actionIds ?? ["button_1"], params: options.params ?? {} },
    }),
  };
}

/** A WebhookRequest as the Hono app would hand it over: raw bytes of `body` (an object is JSON-encoded). */
export function dingtalkWebhookRequest(options: {
  route?: string;
  body: unknown;
  headers?: Record<string, string>;
  now: Date;
}): WebhookRequest {
  const text = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const route = options.route ?? "";
  return {
    route,
    method: "POST",
    url: new URL(`https://bot.example.com/webhooks/dingtalk${route ? `/${route}` : ""}`),
    headers: new Headers({ "content-type": "application/json; charset=utf-8", ...options.headers }),
    body: new TextEncoder().encode(text),
    now: options.now,
  };
}

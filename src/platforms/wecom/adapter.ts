// The WeCom PlatformAdapter: self-built app (route "") and intelligent robot (route "bot"), plus group webhooks.

import type { OutboundMessage } from "../../chat/card.ts";
import type { InboundAction, SendTarget, Target } from "../../chat/events.ts";
import type { WeComAppConfig, WeComBotConfig } from "../../config/parse-env.ts";
import { SendError, WebhookError } from "../errors.ts";
import type { CryptoPrimitives } from "../shared/crypto-primitives.ts";
import { webCryptoPrimitives } from "../shared/web-crypto.ts";
import type { PlatformAdapter, RateLimits, SendResult, WebhookOutcome, WebhookRequest } from "../types.ts";
import { createWeComApi } from "./api.ts";
import {
  answerUrlVerification,
  type CallbackSecrets,
  openAppCallback,
  openBotCallback,
  sealBotReply,
} from "./callback.ts";
import { decodeAppXml, decodeBotJson } from "./decode.ts";
import { readHandle } from "./handle.ts";
import { renderMessage, renderReplacementCard, taskIdFor } from "./render.ts";

export interface WeComAdapterOptions {
  app?: WeComAppConfig;
  bot?: WeComBotConfig;
  /** The API base when neither the app nor the robot's webhook is configured (the robot's long connection). */
  apiBase?: string;
  fetch?: typeof fetch;
  now: () => Date;
  /** The verifier's crypto; Web Crypto unless the runtime has a faster one. */
  crypto?: CryptoPrimitives;
}

/**
 * 90312: 10 000 calls per API per corp per minute; the tightest per-destination limits are a group webhook's
 * 20 messages a minute (99110) and an app's 30 a minute to one member (excess silently dropped).
 */
/** errcode for a template card whose task_id was used before. */
const TASK_ID_EXISTS = 42014;

const WECOM_LIMITS: RateLimits = {
  app: { count: 10_000, perMs: 60_000 },
  target: { count: 20, perMs: 60_000 },
};

/** WeCom only needs a 200; an empty body means "no passive reply" on both routes. */
const emptyOk = (): Response => new Response("", { status: 200 });

export function createWeComAdapter(options: WeComAdapterOptions): PlatformAdapter {
  const { app, bot, now } = options;
  const primitives = options.crypto ?? webCryptoPrimitives;
  const apiBase = app?.apiBase ?? bot?.apiBase ?? options.apiBase ?? "https://qyapi.weixin.qq.com";
  const api = createWeComApi({ apiBase, app, fetch: options.fetch ?? globalThis.fetch, now });
  const appSecrets: CallbackSecrets | undefined = app && {
    token: app.token,
    encodingAesKey: app.encodingAesKey,
    receiveId: app.corpId,
  };
  const botSecrets: CallbackSecrets | undefined = bot && {
    token: bot.token,
    encodingAesKey: bot.encodingAesKey,
    receiveId: "",
  };

  async function sendToMember(userId: string, message: OutboundMessage, taskId: string): Promise<SendResult> {
    const body = renderMessage(message, "app", taskId);
    let sent: { msgid?: string; responseCode?: string };
    try {
      sent = await api.sendAppMessage(userId, body);
    } catch (error) {
      // The task id comes from the idempotency key: "task id exists" on a card means an earlier attempt sent
      // it and its answer was lost (a crash, a timeout). Sent, then, not failed; only its ids are unknown.
      const alreadySent =
        body.msgtype === "template_card" &&
        error instanceof SendError &&
        error.platformCode === TASK_ID_EXISTS;
      if (!alreadySent) throw error;
      sent = {};
    }
    return {
      ...(sent.msgid && { messageId: sent.msgid }),
      handle: {
        channel: "app",
        userId,
        ...(body.msgtype === "template_card" && { taskId }),
        ...(sent.responseCode && { responseCode: sent.responseCode }),
      },
    };
  }

  /** Whether `send` would go through the self-built app (message/send, update_template_card). */
  const callsApp = (target: Target): boolean =>
    target.kind === "chat"
      ? target.chatKind !== "group"
      : target.kind !== "webhook" && target.kind !== "urgent" && target.handle.channel === "app";

  return {
    id: "wecom",
    limits: app ? { ...WECOM_LIMITS, account: app.corpId } : WECOM_LIMITS,

    async receive(request: WebhookRequest): Promise<WebhookOutcome> {
      const isBot = request.route === "bot";
      const secrets = request.route === "" ? appSecrets : isBot ? botSecrets : undefined;
      if (!secrets)
        throw new WebhookError("not_configured", `WeCom route "${request.route}" is not configured`);
      if (request.method === "GET")
        return { kind: "handshake", response: await answerUrlVerification(primitives, request, secrets) };
      if (request.method !== "POST") throw new WebhookError("malformed", `method ${request.method}`);
      const event = isBot
        ? decodeBotJson(await openBotCallback(primitives, request, secrets))
        : decodeAppXml(await openAppCallback(primitives, request, secrets));
      return event ? { kind: "event", event, ack: emptyOk() } : { kind: "ignored", response: emptyOk() };
    },

    async answerAction(action: InboundAction, result) {
      // The app's card is replaced through the outbox (update_template_card with the click's ResponseCode).
      if (action.message.channel !== "bot" || !result.card || !botSecrets) return null;
      const { taskId } = readHandle(action.message);
      if (!taskId) return null;
      // Without `userids` the card changes for everyone who sees it: our cards show shared state.
      const payload = {
        response_type: "update_template_card",
        template_card: renderReplacementCard(result.card, "bot", taskId),
      };
      return sealBotReply(primitives, botSecrets, payload, now());
    },

    // Only the app's sends carry its token; group-robot webhooks and response_url go without one.
    prepareSends: (sends) =>
      sends.some(({ target }) => callsApp(target)) ? api.prepare() : Promise.resolve(),

    async send(target: SendTarget, message: OutboundMessage, idempotencyKey: string): Promise<SendResult> {
      const taskId = await taskIdFor(idempotencyKey);
      switch (target.kind) {
        case "webhook":
          await api.sendWebhook(target.url, renderMessage(message, "webhook", taskId));
          return {};
        case "chat":
          if (target.chatKind === "group")
            throw new SendError("permanent", "wecom: a group is reached through its group-robot webhook");
          return sendToMember(target.chatId, message, taskId);
        case "reply": {
          const handle = readHandle(target.handle);
          if (handle.channel === "app") return sendToMember(handle.userId, message, taskId);
          await api.postResponseUrl(handle.responseUrl, renderMessage(message, "bot", taskId));
          return {};
        }
        case "update": {
          const handle = readHandle(target.handle);
          if (handle.channel === "bot") {
            // A robot card can only be replaced in the passive reply; later, response_url posts a new message.
            await api.postResponseUrl(handle.responseUrl, renderMessage(message, "bot", taskId));
            return {};
          }
          if (!handle.responseCode)
            throw new SendError("permanent", "wecom: no response code to update the card");
          await api.updateAppCard({
            userIds: [handle.userId],
            responseCode: handle.responseCode,
            ...(message.type === "card"
              ? { card: renderReplacementCard(message.card, "app", handle.taskId ?? taskId) }
              : { replaceName: message.text }),
          });
          return {};
        }
        case "urgent":
          throw new SendError("permanent", "wecom has no urgent notice");
      }
    },
  };
}

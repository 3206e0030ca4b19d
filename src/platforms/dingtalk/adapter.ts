// The DingTalk PlatformAdapter: robot messages and card callbacks in, robot messages and interactive cards out.

import type { OutboundMessage } from "../../chat/card.ts";
import type { InboundAction, Target } from "../../chat/events.ts";
import type { DingTalkConfig } from "../../config/parse-env.ts";
import { SendError, WebhookError } from "../errors.ts";
import type { CryptoPrimitives } from "../shared/crypto-primitives.ts";
import { webCryptoPrimitives } from "../shared/web-crypto.ts";
import type { PlatformAdapter, RateLimits, SendResult, WebhookOutcome, WebhookRequest } from "../types.ts";
import { createDingTalkApi } from "./api.ts";
import { decodeCardCallback, decodeRobotMessage, parseJsonBody } from "./decode.ts";
import { type DingTalkHandle, outTrackIdFor, readHandle } from "./handle.ts";
import { dingContent, renderCardCallbackAnswer, renderCardParams, renderRobotMessage } from "./render.ts";
import { verifyCardCallback, verifyRobotRequest } from "./verify.ts";

/**
 * 20 QPS per app and API (standard edition) for the server API; 20 messages a minute per robot and chat,
 * beyond which DingTalk throttles the robot for 10 minutes. Session-webhook replies call no server API: they
 * count under their group's 20 a minute only (spendsAppBudget).
 */
const DINGTALK_LIMITS: RateLimits = {
  app: { count: 20, perMs: 1000 },
  target: { count: 20, perMs: 60_000 },
};

/** Do not start a session-webhook post that could reach DingTalk after the webhook expired. */
const SESSION_WEBHOOK_MARGIN_MS = 60_000;

export interface DingTalkAdapterOptions {
  config: DingTalkConfig;
  fetch?: typeof globalThis.fetch;
  now: () => Date;
  /** The verifier's crypto; Web Crypto unless the runtime has a faster one. */
  crypto?: CryptoPrimitives;
}

/** DingTalk may read a robot route's answer as a synchronous reply; an empty body says "nothing to add". */
const emptyOk = () => new Response(null, { status: 200 });

/** How deliver sends one message (see routeOf). */
type DeliveryRoute =
  | { via: "card"; cardParamMap: Record<string, string> }
  | { via: "session"; url: string }
  | { via: "api" };

export function createDingTalkAdapter({
  config,
  fetch = globalThis.fetch.bind(globalThis),
  now,
  crypto: primitives = webCryptoPrimitives,
}: DingTalkAdapterOptions): PlatformAdapter {
  const api = createDingTalkApi({ config, fetch, now });

  async function receiveRobotMessage(request: WebhookRequest): Promise<WebhookOutcome> {
    const signature = await verifyRobotRequest(primitives, request.headers, config.clientSecret, request.now);
    const event = decodeRobotMessage(parseJsonBody(request.body));
    return event
      ? { kind: "event", event, ack: emptyOk(), signature: `robot:${signature}` }
      : { kind: "ignored", response: emptyOk() };
  }

  /** Cards only call back when they were built from our template, so without one the route does not exist. */
  async function receiveCardCallback(request: WebhookRequest): Promise<WebhookOutcome> {
    if (!config.cardTemplateId)
      throw new WebhookError("not_configured", "DINGTALK_CARD_TEMPLATE_ID is not set");
    const { timestamp, pair } = await verifyCardCallback(
      primitives,
      request.headers,
      config.cardCallbackSecret,
      request.now,
    );
    const event = decodeCardCallback(parseJsonBody(request.body), timestamp);
    // `{}` leaves the card as it is; the handler's answer (answerAction) replaces it when it comes in time.
    return event
      ? { kind: "event", event, ack: Response.json({}), signature: `card:${pair}` }
      : { kind: "ignored", response: Response.json({}) };
  }

  // The robot signature covers only the timestamp, not the body: a replayed signature with a forged body
  // must not make us post anywhere but DingTalk's own session endpoint.
  const oapiOrigin = new URL(config.oapiBase).origin;
  const isDingTalkSession = (url: string) => {
    try {
      const parsed = new URL(url);
      return parsed.origin === oapiOrigin && parsed.pathname === "/robot/sendBySession";
    } catch {
      return false;
    }
  };
  const sessionUsable = (handle: DingTalkHandle): handle is DingTalkHandle & { sessionWebhook: string } =>
    handle.sessionWebhook !== undefined &&
    isDingTalkSession(handle.sessionWebhook) &&
    (handle.sessionWebhookExpiredTime ?? 0) - now().getTime() > SESSION_WEBHOOK_MARGIN_MS;

  /**
   * How a message to the handle's chat goes out: a template card when one fits, else robot JSON, through the
   * session webhook while it lasts (no API call, which matters under the standard edition's monthly quota).
   */
  function routeOf(handle: DingTalkHandle, message: OutboundMessage): DeliveryRoute {
    const cardParamMap =
      message.type === "card" && config.cardTemplateId ? renderCardParams(message.card) : null;
    if (cardParamMap) return { via: "card", cardParamMap };
    if (sessionUsable(handle)) return { via: "session", url: handle.sessionWebhook };
    return { via: "api" };
  }

  /** A new message in the handle's chat, as routeOf decides. */
  async function deliver(handle: DingTalkHandle, message: OutboundMessage, key: string): Promise<SendResult> {
    const chat = { id: handle.chatId, kind: handle.chatKind };
    const route = routeOf(handle, message);
    if (route.via === "card") {
      const outTrackId = await outTrackIdFor(key, chat);
      await api.createAndDeliverCard({ outTrackId, chat, cardParamMap: route.cardParamMap });
      return { messageId: outTrackId, handle: { chatId: chat.id, chatKind: chat.kind, outTrackId } };
    }
    const { outTrackId: _replacedCard, ...chatHandle } = handle;
    const robotMessage = renderRobotMessage(message);
    if (route.via === "session") {
      await api.sendBySession(route.url, robotMessage);
      return { handle: chatHandle };
    }
    const messageId =
      chat.kind === "group"
        ? await api.sendToGroup(chat.id, robotMessage)
        : await api.sendToUser(chat.id, robotMessage);
    return messageId ? { messageId, handle: chatHandle } : { handle: chatHandle };
  }

  /** Whether `send` would call the server API (with the access token) for this message. */
  function callsApi(target: Target, message: OutboundMessage): boolean {
    if (target.kind === "webhook") return false;
    if (target.kind === "chat" || target.kind === "urgent") return true;
    try {
      // A card update goes through the API too when its new data fits the template (routeOf: "card").
      return routeOf(readHandle(target.handle), message).via !== "session";
    } catch {
      // Not a handle of ours: the send fails without calling anything.
      return false;
    }
  }

  return {
    id: "dingtalk",
    limits: { ...DINGTALK_LIMITS, account: config.clientId },
    spendsAppBudget: callsApi,

    receive(request) {
      if (request.route === "") return receiveRobotMessage(request);
      if (request.route === "cards") return receiveCardCallback(request);
      return Promise.reject(new WebhookError("not_configured", `no DingTalk route "${request.route}"`));
    },

    // A batch of session-webhook replies needs no token: none is fetched for it (the monthly API quota).
    prepareSends: (sends) =>
      sends.some(({ target, message }) => callsApi(target, message)) ? api.prepare() : Promise.resolve(),

    /**
     * Card callbacks take the new card data in their HTTP answer. Clicks on template-less buttons arrive as
     * robot messages, which cannot change the clicked message: null, so the update goes out as a new message.
     */
    async answerAction(action: InboundAction, result) {
      if (action.platform !== "dingtalk" || typeof action.message.outTrackId !== "string") return null;
      const answer = renderCardCallbackAnswer(result);
      return answer ? Response.json(answer) : null;
    },

    async send(target, message, idempotencyKey) {
      switch (target.kind) {
        case "chat":
          return deliver({ chatId: target.chatId, chatKind: target.chatKind }, message, idempotencyKey);
        case "reply":
          return deliver(readHandle(target.handle), message, idempotencyKey);
        case "update": {
          const handle = readHandle(target.handle);
          const cardParamMap =
            handle.outTrackId && message.type === "card" && config.cardTemplateId
              ? renderCardParams(message.card)
              : null;
          if (handle.outTrackId && cardParamMap) {
            await api.updateCard(handle.outTrackId, cardParamMap);
            return { messageId: handle.outTrackId, handle: target.handle };
          }
          // Robot messages cannot be edited: the new state goes to the same chat as a new message.
          return deliver(handle, message, idempotencyKey);
        }
        case "webhook":
          throw new SendError("permanent", "DingTalk groups are reached by chat id, not by webhook URL");
        case "urgent": {
          const openDingId = await api.sendDing(target.userIds, dingContent(message));
          return openDingId ? { messageId: openDingId } : {};
        }
      }
    },
  };
}

// The Lark/Feishu PlatformAdapter: webhook in (verify → decode), card-click answers, and sends out.

import type { ActionResult, OutboundMessage } from "../../chat/card.ts";
import type { InboundAction, ReplyHandle, SendTarget } from "../../chat/events.ts";
import type { LarkConfig } from "../../config/parse-env.ts";
import { SendError, WebhookError } from "../errors.ts";
import type { CryptoPrimitives } from "../shared/crypto-primitives.ts";
import { webCryptoPrimitives } from "../shared/web-crypto.ts";
import type { PlatformAdapter, RateLimits, SendResult, WebhookOutcome, WebhookRequest } from "../types.ts";
import { createLarkApi } from "./api.ts";
import { decodeLarkEnvelope } from "./decode.ts";
import { renderLarkCard, renderLarkMessage, textCard } from "./render.ts";
import { verifyLarkRequest } from "./verify.ts";

export interface LarkAdapterDeps {
  config: LarkConfig;
  fetch?: typeof globalThis.fetch;
  now: () => Date;
  /** The verifier's crypto; Web Crypto unless the runtime has a faster one. */
  crypto?: CryptoPrimitives;
}

/**
 * 5 QPS per chat (shared by every bot in it), and per app 50 a second and 1,000 a minute: the send message
 * API's frequency tier ("1000 次/分钟、50 次/秒"); urgent_app allows 50 QPS too.
 */
const LARK_LIMITS: RateLimits = {
  app: { count: 50, perMs: 1000 },
  appCaps: [{ count: 1000, perMs: 60_000 }],
  target: { count: 5, perMs: 1000 },
};

const json = (body: unknown): Response => Response.json(body);

function handleText(handle: ReplyHandle, key: string): string | undefined {
  const value = handle[key];
  return typeof value === "string" && value ? value : undefined;
}

export function createLarkAdapter({
  config,
  fetch = globalThis.fetch,
  now,
  crypto: primitives = webCryptoPrimitives,
}: LarkAdapterDeps): PlatformAdapter {
  const api = createLarkApi({ config, fetch, now });

  async function receive(request: WebhookRequest): Promise<WebhookOutcome> {
    if (request.route !== "") throw new WebhookError("malformed", `no Lark route "${request.route}"`);
    if (request.method !== "POST")
      throw new WebhookError("malformed", `Lark webhooks are POST, not ${request.method}`);
    const verified = await verifyLarkRequest(primitives, request, config);
    if (verified.kind === "challenge")
      return { kind: "handshake", response: json({ challenge: verified.challenge }) };
    const event = decodeLarkEnvelope(verified.envelope);
    // Lark wants a 200 with a JSON body for everything, `{}` when there is nothing to say.
    if (!event) return { kind: "ignored", response: json({}) };
    return { kind: "event", event, ack: json({}) };
  }

  async function answerAction(_action: InboundAction, result: ActionResult): Promise<Response> {
    const body: Record<string, unknown> = {};
    if (result.toast) body.toast = { type: result.toast.kind, content: result.toast.text };
    if (result.card) body.card = { type: "raw", data: renderLarkCard(result.card) };
    return json(body);
  }

  async function update(handle: ReplyHandle, message: OutboundMessage): Promise<SendResult> {
    const card = message.type === "card" ? renderLarkCard(message.card) : textCard(message.text);
    const messageId = handleText(handle, "messageId");
    if (messageId) {
      await api.patchCard(messageId, card);
      return { messageId, handle };
    }
    const cardToken = handleText(handle, "cardToken");
    if (cardToken) {
      await api.updateCardByToken(cardToken, card);
      return { handle };
    }
    throw new SendError("permanent", "Lark update target has neither a message id nor a card token");
  }

  async function send(
    target: SendTarget,
    message: OutboundMessage,
    idempotencyKey: string,
  ): Promise<SendResult> {
    switch (target.kind) {
      case "chat": {
        const messageId = await api.sendToChat(target.chatId, renderLarkMessage(message), idempotencyKey);
        return { messageId, handle: { messageId, chatId: target.chatId } };
      }
      case "reply": {
        const parent = handleText(target.handle, "messageId");
        if (!parent) throw new SendError("permanent", "Lark reply target has no message id");
        const messageId = await api.reply(parent, renderLarkMessage(message), idempotencyKey);
        const chatId = handleText(target.handle, "chatId");
        return { messageId, handle: chatId ? { messageId, chatId } : { messageId } };
      }
      case "update":
        return update(target.handle, message);
      case "webhook":
        throw new SendError("permanent", "Lark has no webhook targets in this bot");
      case "urgent":
        return urgent(target);
    }
  }

  /** Lark's in-app buzz about the message the outbox found for `follows`; refusing any user fails it. */
  async function urgent(target: Extract<SendTarget, { kind: "urgent" }>): Promise<SendResult> {
    if (!target.messageId)
      throw new SendError("permanent", "a Lark urgent notice needs the message it urges");
    const refused = await api.urgentApp(target.messageId, target.userIds);
    if (refused.length > 0)
      throw new SendError("permanent", `Lark refused to urge ${refused.join(", ")} (not in the chat?)`);
    return { messageId: target.messageId };
  }

  // Every send and card update carries the tenant token.
  const prepareSends = () => api.prepare();

  const limits = { ...LARK_LIMITS, account: config.appId };
  return { id: "lark", limits, receive, answerAction, prepareSends, send };
}

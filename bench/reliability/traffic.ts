// Mixed signed traffic over the three platforms (messages and card clicks), with a share of exact redeliveries.
import { createHash } from "node:crypto";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "../../test/helpers/dingtalk-signer.ts";
import { DINGTALK, LARK, WECOM } from "../../test/helpers/e2e-harness.ts";
import { larkCardAction, larkMessageEvent, signLarkRequest } from "../../test/helpers/lark-signer.ts";
import { appCallback, botCallback } from "../../test/helpers/wecom-signer.ts";
import type { SignedRequest } from "../stream.ts";
import type { Platforms } from "./platforms.ts";

export type EventKind =
  | "larkMessage"
  | "larkCard"
  | "dingtalkMessage"
  | "dingtalkCard"
  | "wecomApp"
  | "wecomBot";

/** What the event must leave in the database once processed. */
export type Effect = "order" | "complaint" | "help" | "card";

export interface TrafficEvent extends SignedRequest {
  path: string;
  /** Unique per distinct event and part of its platform ids, so its rows can be found: `<run>x<n>`. */
  token: string;
  kind: EventKind;
  effect: Effect;
  /** The inbox key the server derives from it. */
  dedupKey: string;
  /** For messages: the platform message id its audit rows carry. */
  messageId?: string;
  /** A byte-for-byte redelivery of an earlier event. */
  duplicate: boolean;
  /** A WeCom robot message: the path and query its reply goes to at the fake (its single-use response_url). */
  replyPath?: string;
  /** A WeCom app message: the person its reply goes to (the app sends to a person, not to a message). */
  sender?: string;
  /** A card click: the card it redraws, as the fake's update calls name it (Lark message id, DingTalk outTrackId). */
  cardId?: string;
  /** A Lark card click: the token a delayed update of its card may name instead of the message id. */
  cardToken?: string;
}

/**
 * Distinct events per kind, in a cycle. Card clicks are answered in the callback and send nothing; the
 * messages each send a reply, so their shares stay under each platform's app send limit at 300/s with a fifth
 * redelivered (240 distinct events a second): Lark 1,000 a minute (one in 16, 15 replies a second), DingTalk
 * 20/s (one in 16), WeCom 10,000 a minute; and the chats and people are enough for the per-destination limits.
 * A larger share of Lark messages would grow a backlog of replies that no sender can carry faster.
 */
const CYCLE: readonly EventKind[] = [
  "larkCard",
  "larkCard",
  "dingtalkCard",
  "larkMessage",
  "wecomBot",
  "dingtalkCard",
  "wecomApp",
  "larkCard",
  "dingtalkMessage",
  "wecomBot",
  "larkCard",
  "dingtalkCard",
  "wecomApp",
  "larkCard",
  "wecomBot",
  "dingtalkCard",
];
const COMMANDS: readonly Effect[] = ["order", "complaint", "help"];
/** Spread so that no destination goes over its own limit (DingTalk and WeCom: 20 a minute each). */
const CHATS = 600;
const PEOPLE = 600;
/** Redeliveries pick among this many recent distinct events. */
const RECENT = 200;

export interface TrafficOptions {
  runId: string;
  platforms: Platforms;
  /** Share of requests that redeliver an earlier event (0.2 = 20 %). */
  duplicateShare: number;
  /** Due date of the orders, YYYY-MM-DD (must not be in the past). */
  dueDate: string;
}

export interface Traffic {
  next(): TrafficEvent;
  /** Every distinct event made so far (the first delivery of each), in order. */
  distinct(): TrafficEvent[];
}

const seconds = () => String(Math.floor(Date.now() / 1000));

type SignedMessage = SignedRequest & { path: string; dedupKey: string; messageId: string };

/** A signed Lark group message saying `text`; its ids carry `token`. */
export function larkMessage(
  text: string,
  token: string,
  chatId: string,
  senderOpenId: string,
): SignedMessage {
  const payload = larkMessageEvent({
    token: LARK.verificationToken,
    text,
    messageId: `om_${token}`,
    eventId: `ev_${token}`,
    chatId,
    senderOpenId,
    createTime: String(Date.now()),
  });
  const signed = signLarkRequest(payload, {
    encryptKey: LARK.encryptKey,
    timestamp: seconds(),
    nonce: `n-${token}`,
  });
  return { ...signed, path: "/webhooks/lark", dedupKey: `lark:msg:om_${token}`, messageId: `om_${token}` };
}

/** A signed DingTalk robot group message saying `text`, with a session webhook at the proxy. */
export function dingtalkMessage(
  platforms: Platforms,
  text: string,
  token: string,
  conversationId: string,
  senderStaffId: string,
): SignedMessage {
  const now = Date.now();
  const body = dingtalkRobotMessage({
    text: ` ${text}`,
    msgId: `msg${token}`,
    createAt: now,
    overrides: {
      conversationId,
      senderStaffId,
      robotCode: DINGTALK.robotCode,
      sessionWebhook: platforms.sessionWebhookUrl(`s-${token}`),
      sessionWebhookExpiredTime: now + 5_400_000,
    },
  });
  return {
    path: "/webhooks/dingtalk",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
    dedupKey: `dingtalk:msg:msg${token}`,
    messageId: `msg${token}`,
  };
}

export function createTraffic({ runId, platforms, duplicateShare, dueDate }: TrafficOptions): Traffic {
  let sent = 0;
  const made: TrafficEvent[] = [];
  const recent: TrafficEvent[] = [];

  const commandText = (effect: Effect, token: string, n: number) => {
    if (effect === "order") return `/order new ACME-${n} X1 ${1 + (n % 50)} ${dueDate}`;
    if (effect === "complaint") return `/complaint new ACME-${n} two boxes wet ${token}`;
    return "/help";
  };

  function build(kind: EventKind, n: number): TrafficEvent {
    const token = `${runId}x${n}`;
    const chat = n % CHATS;
    const person = n % PEOPLE;
    const effect = kind.endsWith("Card") ? "card" : (COMMANDS[Math.floor(n / CYCLE.length) % 3] as Effect);
    const text = commandText(effect, token, n);
    const event = { token, kind, effect, duplicate: false };
    const message = (messageId: string, dedupKey: string) => ({ ...event, messageId, dedupKey });
    switch (kind) {
      case "larkMessage":
        return { ...event, ...larkMessage(text, token, `oc_rel_${chat}`, `ou_rel_${person}`) };
      case "larkCard": {
        const payload = larkCardAction({
          token: LARK.verificationToken,
          value: { action: "help.language", id: "", lang: "en", topic: "" },
          eventId: `ev_${token}`,
          cardToken: `c-${token}`,
          operatorOpenId: `ou_rel_${person}`,
          chatId: `oc_rel_${chat}`,
          messageId: `om_card_${chat}`,
        });
        const signed = signLarkRequest(payload, {
          encryptKey: LARK.encryptKey,
          timestamp: seconds(),
          nonce: `n-${token}`,
        });
        return {
          ...event,
          dedupKey: `lark:card:ev_${token}`,
          cardId: `om_card_${chat}`,
          cardToken: `c-${token}`,
          ...signed,
          path: "/webhooks/lark",
        };
      }
      case "dingtalkMessage":
        return {
          ...event,
          ...dingtalkMessage(platforms, text, token, `cidrel${chat}==`, `staff_rel_${person}`),
        };
      case "dingtalkCard": {
        const digest = createHash("sha256").update(token).digest("hex").slice(0, 24);
        const outTrackId = `${digest}.g.${Buffer.from(`cidrel${chat}==`).toString("base64url")}`;
        const userId = `staff_rel_${person}`;
        // The card the click is on exists at the fake, so that an update after a late answer can land.
        platforms.fakes.dingtalk.cards.set(outTrackId, {
          cardTemplateId: DINGTALK.cardTemplateId,
          openSpaceId: `dtv1.card//IM_GROUP.cidrel${chat}==`,
          cardParamMap: {},
        });
        const body = dingtalkCardCallback({
          outTrackId,
          userId,
          // A command's help card: the whole list does not fit DingTalk's card variables and goes out as an
          // actionCard, whose buttons are links, so no callback ever comes from it.
          params: {
            action: "help.language",
            value: JSON.stringify({ id: "", lang: "en", topic: "order" }),
          },
        });
        const timestamp = String(Date.now());
        return {
          ...event,
          dedupKey: `dingtalk:card:${outTrackId}:${userId}:${timestamp}`,
          cardId: outTrackId,
          path: "/webhooks/dingtalk/cards",
          body: JSON.stringify(body),
          headers: {
            "content-type": "application/json",
            ...signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret),
          },
        };
      }
      case "wecomApp": {
        const msgId = `${token}`;
        const xml =
          `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[wecom_rel_${person}]]></FromUserName>` +
          `<CreateTime>${seconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
          `<Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
        const signed = appCallback(
          { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, receiveId: WECOM.corpId },
          xml,
          { timestamp: seconds(), nonce: String(n) },
        );
        return {
          ...message(msgId, `wecom:msg:${msgId}`),
          sender: `wecom_rel_${person}`,
          ...signed,
          headers: { "content-type": "text/xml" },
        };
      }
      case "wecomBot": {
        const responseUrl = platforms.responseUrl();
        const payload = {
          msgid: `bot${token}`,
          aibotid: "AIBOTID",
          chatid: `wrkrel${chat}`,
          chattype: "group",
          from: { userid: `wecom_rel_${person}` },
          response_url: responseUrl,
          msgtype: "text",
          text: { content: text },
        };
        const signed = botCallback(
          { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" },
          payload,
          { timestamp: seconds(), nonce: String(n) },
        );
        return {
          ...message(`bot${token}`, `wecom:bot:bot${token}`),
          replyPath: new URL(responseUrl).pathname + new URL(responseUrl).search,
          ...signed,
          headers: { "content-type": "application/json" },
        };
      }
    }
  }

  return {
    next() {
      sent++;
      // Every 1/share-th request is a redelivery, of a recent event chosen by the sequence (deterministic).
      const redeliver =
        duplicateShare > 0 && recent.length > 0 && sent % Math.round(1 / duplicateShare) === 0;
      if (redeliver) {
        const earlier = recent[(sent * 7919) % recent.length] as TrafficEvent;
        return { ...earlier, duplicate: true };
      }
      const n = made.length;
      const event = build(CYCLE[n % CYCLE.length] as EventKind, n);
      made.push(event);
      recent[n % RECENT] = event;
      return event;
    },
    distinct: () => [...made],
  };
}

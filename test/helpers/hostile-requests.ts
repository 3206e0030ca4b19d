// Hostile webhook requests for every route: signed builders on the harness clock, the mutations, the payloads.
import { createHash } from "node:crypto";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "./dingtalk-signer.ts";
import { DINGTALK, type Fakes, type Harness, LARK, WECOM } from "./e2e-harness.ts";
import { larkEncrypt, larkMessageEvent } from "./lark-signer.ts";
import {
  appCallback,
  botCallback,
  nodeEncrypt,
  nodeSignature,
  verificationPath,
  type WeComSecrets,
} from "./wecom-signer.ts";

export const APP: WeComSecrets = {
  token: WECOM.token,
  encodingAesKey: WECOM.encodingAesKey,
  receiveId: WECOM.corpId,
};
export const BOT: WeComSecrets = {
  token: WECOM.botToken,
  encodingAesKey: WECOM.botEncodingAesKey,
  receiveId: "",
};
export const HOUR_S = 3600;

/** One request as the tests build it; `path` may carry a query. */
export interface Req {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

export const bytes = (text: string) => new TextEncoder().encode(text);
/** 0xff and 0xfe never occur in UTF-8; 0xc3 opens a sequence that is cut off. */
export const INVALID_UTF8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x7d]);
export const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
export const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
export const DEEP = 10_000;
export const deepXml = (levels: number) => `<xml>${"<a>".repeat(levels)}x${"</a>".repeat(levels)}</xml>`;
export const OVERSIZED = "x".repeat(1024 * 1024 + 1);

export const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`,
  ).join("") +
  "]><xml><Encrypt>&lol9;</Encrypt></xml>";
export const EXTERNAL_ENTITY =
  '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  "<xml><ToUserName>&xxe;</ToUserName><Encrypt>AAAA</Encrypt></xml>";

export const appXml = (content: string) =>
  `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>` +
  `<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
  `<MsgId>1234567</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;

/**
 * Signed requests for every route, at the time `now` reads (the harness clock) and with the fakes' URLs
 * (getters, so that a test file may build them once and recreate its harness per test).
 */
export function hostileRequests(now: () => Date, fakes: () => Fakes) {
  const seconds = (skewS = 0) => Math.floor(now().getTime() / 1000) + skewS;

  // ---- Lark: signature over timestamp + nonce + Encrypt Key + raw body.

  function larkSigned(body: string | Uint8Array<ArrayBuffer>, skewS = 0): Req {
    const timestamp = String(seconds(skewS));
    const nonce = "nonce-hostile";
    const signature = createHash("sha256")
      .update(timestamp + nonce + LARK.encryptKey, "utf8")
      .update(typeof body === "string" ? Buffer.from(body, "utf8") : body)
      .digest("hex");
    return {
      path: "/webhooks/lark",
      headers: {
        "content-type": "application/json",
        "x-lark-request-timestamp": timestamp,
        "x-lark-request-nonce": nonce,
        "x-lark-signature": signature,
      },
      body,
    };
  }

  const larkEncrypted = (plain: string, skewS = 0) =>
    larkSigned(JSON.stringify({ encrypt: larkEncrypt(plain, LARK.encryptKey) }), skewS);

  const larkHelp = () =>
    JSON.stringify(
      larkMessageEvent({ token: LARK.verificationToken, text: "/help", messageId: "om_hostile" }),
    );

  // ---- DingTalk: robot `timestamp` + `sign` (not covering the body); cards `x-ddpaas-signature`.

  function dingtalkSigned(body: string | Uint8Array<ArrayBuffer>, skewMs = 0): Req {
    return {
      path: "/webhooks/dingtalk",
      headers: {
        "content-type": "application/json",
        ...signDingTalk(now().getTime() + skewMs, DINGTALK.clientSecret),
      },
      body,
    };
  }

  function cardsSigned(body: string | Uint8Array<ArrayBuffer>, skewMs = 0): Req {
    return {
      path: "/webhooks/dingtalk/cards",
      headers: {
        "content-type": "application/json",
        ...signDingTalkCard(now().getTime() + skewMs, DINGTALK.cardCallbackSecret),
      },
      body,
    };
  }

  const dingtalkHelp = () =>
    JSON.stringify(
      dingtalkRobotMessage({
        text: "/help",
        msgId: "msgHostile==",
        createAt: now().getTime(),
        overrides: { sessionWebhook: fakes().dingtalk.sessionWebhookUrl() },
      }),
    );

  /** A click on a card of ours (out-track id format), with these button params. */
  const cardClick = (params: Record<string, unknown>) =>
    JSON.stringify(
      dingtalkCardCallback({
        outTrackId: `${"a".repeat(24)}.g.${Buffer.from("cidGroup==").toString("base64url")}`,
        params,
      }),
    );

  // ---- WeCom: msg_signature over token, timestamp, nonce and the encrypted field; body parsed first.

  function wecomApp(innerXml: string, skewS = 0): Req {
    const signed = appCallback(APP, innerXml, { timestamp: String(seconds(skewS)) });
    return { path: signed.path, headers: { "content-type": "text/xml" }, body: signed.body };
  }

  const wecomAppBody = (body: string | Uint8Array<ArrayBuffer>, query = ""): Req => ({
    path: `/webhooks/wecom${query}`,
    headers: { "content-type": "text/xml" },
    body,
  });

  const botText = (content: string) => ({
    msgid: "hostile-bot-msg",
    chatid: "wrGroup",
    chattype: "group",
    from: { userid: "lisi" },
    response_url: `${fakes().wecom.url}/cgi-bin/aibot/response?response_code=hostile`,
    msgtype: "text",
    text: { content },
  });

  function wecomBot(payload: unknown, skewS = 0): Req {
    const signed = botCallback(BOT, payload, { timestamp: String(seconds(skewS)) });
    return { path: signed.path, headers: { "content-type": "application/json" }, body: signed.body };
  }

  /** A bot POST whose encrypted field holds `plaintext` as it is (not necessarily JSON). */
  function wecomBotPlain(plaintext: string): Req {
    const timestamp = String(seconds());
    const encrypt = nodeEncrypt(BOT.encodingAesKey, plaintext, "");
    const query = new URLSearchParams({
      msg_signature: nodeSignature(BOT.token, timestamp, "n1", encrypt),
      timestamp,
      nonce: "n1",
    });
    return {
      path: `/webhooks/wecom/bot?${query}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ encrypt }),
    };
  }

  const wecomBotBody = (body: string | Uint8Array<ArrayBuffer>, query = ""): Req => ({
    path: `/webhooks/wecom/bot${query}`,
    headers: { "content-type": "application/json" },
    body,
  });

  /** A GET whose signature is right for an arbitrary echostr, to reach the decryption behind it. */
  function signedEchostr(path: string, secrets: WeComSecrets, echostr: string): Req {
    const timestamp = String(seconds());
    const query = new URLSearchParams({
      msg_signature: nodeSignature(secrets.token, timestamp, "n1", echostr),
      timestamp,
      nonce: "n1",
      echostr,
    });
    return { method: "GET", path: `${path}?${query}` };
  }

  function wecomGet(path: string, secrets: WeComSecrets, skewS = 0): Req {
    return {
      method: "GET",
      path: verificationPath(secrets, "echo-123", { path, timestamp: String(seconds(skewS)) }).path,
    };
  }

  return {
    larkSigned,
    larkEncrypted,
    larkHelp,
    dingtalkSigned,
    cardsSigned,
    dingtalkHelp,
    cardClick,
    wecomApp,
    wecomAppBody,
    botText,
    wecomBot,
    wecomBotPlain,
    wecomBotBody,
    signedEchostr,
    wecomGet,
  };
}

export type HostileRequests = ReturnType<typeof hostileRequests>;

// ---- Mutations shared by the cases and the properties.

export function withHeader(req: Req, name: string, value: string | undefined): Req {
  const headers = { ...req.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...req, headers };
}

export function withQuery(req: Req, name: string, value: string | undefined): Req {
  const url = new URL(req.path, "http://opsbot.test");
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return { ...req, path: `${url.pathname}${url.search}` };
}

export function withFlippedByte(req: Req, at: number, xor: number): Req {
  const body = typeof req.body === "string" ? bytes(req.body) : new Uint8Array(req.body ?? new Uint8Array());
  if (body.length === 0) return req;
  const index = at % body.length;
  body[index] = (body[index] as number) ^ xor;
  return { ...req, body };
}

/** A bad signature: the value it would have for another body. */
export const otherSignature = (length: number) => "0".repeat(length);

/** Sends one request to the harness's app; resolves with the status and the body as text. */
export async function sendRequest(h: Harness, req: Req): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method: req.method ?? "POST" };
  if (req.headers) init.headers = req.headers;
  if (req.body !== undefined && init.method !== "GET") init.body = req.body;
  const response = await h.send(req.path, init);
  return { status: response.status, text: await response.text() };
}

/** What is wrong with an answer to a refused or ignored request: a 5xx, a stack trace, or a 4xx without its code. */
export function answerProblem(answer: { status: number; text: string }): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (/\bat \S+ \(|\.ts:\d+|Error:|stack/i.test(answer.text)) return "internal detail in the answer";
  if (answer.status >= 400 && !/^\{"error":"[a-z_]+"\}$/.test(answer.text))
    return "a 4xx without its error code";
  return undefined;
}

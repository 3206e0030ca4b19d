import { describe, expect, it } from "vitest";
import { WebhookError } from "../../../../src/platforms/errors.ts";
import type { WebhookOutcome, WebhookRequest } from "../../../../src/platforms/types.ts";
import { createWeComAdapter } from "../../../../src/platforms/wecom/adapter.ts";
import { encodeButtonKey } from "../../../../src/platforms/wecom/button-key.ts";
import {
  appCallback,
  botCallback,
  nodeEncrypt,
  nodeSignature,
  verificationPath,
} from "../../../helpers/wecom-signer.ts";
import { appConfig, appSecrets, at, botConfig, botSecrets, webhookRequest } from "./fixtures.ts";
import { C1, C2 } from "./vectors.ts";

const NOW_S = "1767225600"; // 2026-01-01T00:00:00Z
const now = at(NOW_S);
const adapter = createWeComAdapter({ app: appConfig, bot: botConfig, now: () => now });

async function refusal(request: WebhookRequest, using = adapter): Promise<WebhookError> {
  const error = await using.receive(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookError);
  return error as WebhookError;
}

function eventOf(outcome: WebhookOutcome) {
  expect(outcome.kind).toBe("event");
  if (outcome.kind !== "event") throw new Error("not an event");
  return outcome.event;
}

const textXml = (content: string, msgId = "CAIQg/PKxgYY2sC9tpuAgAMg9/zKaw==") =>
  `<xml><ToUserName><![CDATA[${C1.corpId}]]></ToUserName><FromUserName><![CDATA[wangwei]]></FromUserName>` +
  `<CreateTime>${NOW_S}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
  `<MsgId>${msgId}</MsgId><AgentID>218</AgentID></xml>`;

describe("wecom GET URL verification", () => {
  it("answers the C1 echostr as sent on the wire (%2B, %2F, %3D)", async () => {
    const path = `/?msg_signature=${C1.verify.signature}&timestamp=${C1.verify.timestamp}&nonce=${C1.verify.nonce}&echostr=${C1.verify.wireEchostr}`;
    const outcome = await adapter.receive(
      webhookRequest({ method: "GET", path, now: at(C1.verify.timestamp, 500) }),
    );
    expect(outcome.kind).toBe("handshake");
    if (outcome.kind !== "handshake") return;
    expect(await outcome.response.text()).toBe(C1.verify.plaintext);
    expect(outcome.response.status).toBe(200);
    expect(outcome.response.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("restores a raw '+' that URL decoding turned into a space", async () => {
    expect(C1.verify.echostr).toContain("+");
    const path = `/?msg_signature=${C1.verify.signature}&timestamp=${C1.verify.timestamp}&nonce=${C1.verify.nonce}&echostr=${C1.verify.echostr}`;
    const outcome = await adapter.receive(
      webhookRequest({ method: "GET", path, now: at(C1.verify.timestamp) }),
    );
    if (outcome.kind !== "handshake") throw new Error("expected a handshake");
    expect(await outcome.response.text()).toBe(C1.verify.plaintext);
  });

  it("answers the C2 vector for an app configured with the C2 corp", async () => {
    const c2 = createWeComAdapter({
      app: { ...appConfig, corpId: C2.corpId, token: C2.token, encodingAesKey: C2.encodingAesKey },
      now: () => now,
    });
    const query = new URLSearchParams({
      msg_signature: C2.verify.signature,
      timestamp: C2.verify.timestamp,
      nonce: C2.verify.nonce,
      echostr: C2.verify.echostr,
    });
    const outcome = await c2.receive(
      webhookRequest({ method: "GET", path: `/?${query}`, now: at(C2.verify.timestamp) }),
    );
    if (outcome.kind !== "handshake") throw new Error("expected a handshake");
    expect(await outcome.response.text()).toBe(C2.verify.plaintext);
  });

  it("verifies the robot route with receiveid '' and refuses a corp-id echostr there", async () => {
    const { path } = verificationPath(botSecrets, "robot-echo-123", { timestamp: NOW_S, path: "/bot" });
    const outcome = await adapter.receive(webhookRequest({ route: "bot", method: "GET", path, now }));
    if (outcome.kind !== "handshake") throw new Error("expected a handshake");
    expect(await outcome.response.text()).toBe("robot-echo-123");

    const wrong = verificationPath({ ...botSecrets, receiveId: C1.corpId }, "x", { timestamp: NOW_S });
    const error = await refusal(webhookRequest({ route: "bot", method: "GET", path: wrong.path, now }));
    expect(error.code).toBe("bad_receiver");
  });

  it("fails closed: no parameters, no echostr, a wrong signature, a stale timestamp", async () => {
    expect((await refusal(webhookRequest({ method: "GET", path: "/", now }))).code).toBe("missing_signature");
    const good = verificationPath(appSecrets, "42", { timestamp: NOW_S });
    const withoutEcho = new URL(good.path, "https://x");
    withoutEcho.searchParams.delete("echostr");
    const noEcho = await refusal(webhookRequest({ method: "GET", path: withoutEcho.href, now }));
    expect(noEcho.code).toBe("bad_signature");
    const tampered = good.path.replace(/msg_signature=[0-9a-f]{4}/, "msg_signature=0000");
    expect((await refusal(webhookRequest({ method: "GET", path: tampered, now }))).code).toBe(
      "bad_signature",
    );
    const late = webhookRequest({ method: "GET", path: good.path, now: at(NOW_S, 2 * 3600_000) });
    expect((await refusal(late)).code).toBe("stale_timestamp");
  });
});

describe("wecom self-built app POST", () => {
  it("decrypts the C1 XML vector into a text message", async () => {
    const body = `<xml><ToUserName><![CDATA[${C1.corpId}]]></ToUserName><Encrypt><![CDATA[${C1.xml.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    const path = `/?msg_signature=${C1.xml.signature}&timestamp=${C1.xml.timestamp}&nonce=${C1.xml.nonce}`;
    const outcome = await adapter.receive(webhookRequest({ path, body, now: at(C1.xml.timestamp) }));
    expect(eventOf(outcome)).toEqual({
      kind: "message",
      platform: "wecom",
      dedupKey: "wecom:msg:4561255354251345929",
      chat: { id: "mycreate", kind: "direct" },
      sender: { id: "mycreate" },
      text: "hello",
      mentions: [],
      messageId: "4561255354251345929",
      reply: { channel: "app", userId: "mycreate" },
    });
    if (outcome.kind === "event") {
      expect(outcome.ack.status).toBe(200);
      expect(await outcome.ack.text()).toBe("");
    }
  });

  it("decrypts the C2 XML vector (UTF-8 content)", async () => {
    const c2 = createWeComAdapter({
      app: { ...appConfig, corpId: C2.corpId, token: C2.token, encodingAesKey: C2.encodingAesKey },
      now: () => now,
    });
    const body = `<xml><ToUserName><![CDATA[${C2.corpId}]]></ToUserName><Encrypt><![CDATA[${C2.xml.encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
    const path = `/?msg_signature=${C2.xml.signature}&timestamp=${C2.xml.timestamp}&nonce=${C2.xml.nonce}`;
    const event = eventOf(await c2.receive(webhookRequest({ path, body, now: at(C2.xml.timestamp) })));
    expect(event).toMatchObject({ kind: "message", text: "你好", dedupKey: "wecom:msg:1456453720" });
  });

  it("accepts a node-signed message with a base64-like MsgId, and a replay decodes to the same dedup key", async () => {
    const callback = appCallback(appSecrets, textXml("  /kpi today  "), { timestamp: NOW_S, path: "/" });
    const first = eventOf(await adapter.receive(webhookRequest({ ...callback, now })));
    const replay = eventOf(await adapter.receive(webhookRequest({ ...callback, now: at(NOW_S, 30_000) })));
    expect(first).toMatchObject({
      kind: "message",
      text: "/kpi today",
      messageId: "CAIQg/PKxgYY2sC9tpuAgAMg9/zKaw==",
    });
    expect(replay.dedupKey).toBe(first.dedupKey);
  });

  it("decodes a template_card_event click into an action", async () => {
    const key = encodeButtonKey("order.confirm", { order: "O-20261126-001" });
    const xml =
      `<xml><ToUserName><![CDATA[${C1.corpId}]]></ToUserName><FromUserName><![CDATA[wangwei]]></FromUserName>` +
      `<CreateTime>${NOW_S}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${key}]]></EventKey>` +
      "<TaskId><![CDATA[order-confirm-1]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>" +
      "<ResponseCode><![CDATA[rc-click-1]]></ResponseCode><AgentID>218</AgentID></xml>";
    const callback = appCallback(appSecrets, xml, { timestamp: NOW_S, path: "/" });
    expect(eventOf(await adapter.receive(webhookRequest({ ...callback, now })))).toEqual({
      kind: "action",
      platform: "wecom",
      dedupKey: `wecom:card:wangwei:${NOW_S}:${key}:order-confirm-1`,
      actionId: "order.confirm",
      value: { order: "O-20261126-001" },
      form: {},
      operator: { id: "wangwei" },
      chat: { id: "wangwei", kind: "direct" },
      message: { channel: "app", userId: "wangwei", taskId: "order-confirm-1", responseCode: "rc-click-1" },
    });
  });

  it("ignores events it does not handle with an empty 200", async () => {
    const xml = `<xml><ToUserName>${C1.corpId}</ToUserName><FromUserName>wangwei</FromUserName><CreateTime>${NOW_S}</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><AgentID>218</AgentID></xml>`;
    const outcome = await adapter.receive(
      webhookRequest({ ...appCallback(appSecrets, xml, { timestamp: NOW_S }), now }),
    );
    expect(outcome.kind).toBe("ignored");
    if (outcome.kind === "ignored")
      expect([outcome.response.status, await outcome.response.text()]).toEqual([200, ""]);
  });

  it("refuses a missing signature, a wrong signature, a wrong token and stale or future timestamps", async () => {
    const callback = appCallback(appSecrets, textXml("hi"), { timestamp: NOW_S });
    const unsigned = callback.path.replace(/msg_signature=[0-9a-f]+&/, "");
    expect((await refusal(webhookRequest({ path: unsigned, body: callback.body, now }))).code).toBe(
      "missing_signature",
    );
    const wrong = callback.path.replace(/msg_signature=[0-9a-f]{2}/, "msg_signature=zz");
    expect((await refusal(webhookRequest({ path: wrong, body: callback.body, now }))).code).toBe(
      "bad_signature",
    );
    const otherToken = appCallback({ ...appSecrets, token: "not-our-token" }, textXml("hi"), {
      timestamp: NOW_S,
    });
    expect((await refusal(webhookRequest({ ...otherToken, now }))).code).toBe("bad_signature");
    for (const offsetMs of [3601_000, -3601_000]) {
      const error = await refusal(webhookRequest({ ...callback, now: at(NOW_S, offsetMs) }));
      expect([error.code, error.status]).toEqual(["stale_timestamp", 401]);
    }
    eventOf(await adapter.receive(webhookRequest({ ...callback, now: at(NOW_S, -3599_000) })));
  });

  it("refuses a payload encrypted for another corp (receiveid)", async () => {
    const other = appCallback({ ...appSecrets, receiveId: "ww0000000000000000" }, textXml("hi"), {
      timestamp: NOW_S,
    });
    expect((await refusal(webhookRequest({ ...other, now }))).code).toBe("bad_receiver");
  });

  it("answers 400 for a body that cannot be parsed, before looking at the signature", async () => {
    for (const body of [
      "",
      "not xml",
      "<xml><Encrypt>abc</xml>",
      "<xml><ToUserName>x</ToUserName></xml>",
      "<x/>",
    ]) {
      const error = await refusal(webhookRequest({ path: "/", body, now }));
      expect([error.code, error.status]).toEqual(["malformed", 400]);
    }
    const notUtf8 = new Uint8Array([0x3c, 0x78, 0xff, 0xfe]);
    expect((await refusal(webhookRequest({ path: "/", body: notUtf8, now }))).code).toBe("malformed");
  });

  it("refuses DOCTYPE / ENTITY bodies (billion laughs) as malformed, outside and inside the envelope", async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' +
      "<xml><Encrypt>&lol2;</Encrypt></xml>";
    const outer = await refusal(
      webhookRequest({ path: "/?msg_signature=a&timestamp=1&nonce=2", body: laughs, now }),
    );
    expect([outer.code, outer.reason]).toEqual(["malformed", "XML declares a DTD"]);
    const external = '<!ENTITY xxe SYSTEM "file:///etc/passwd"><xml><Encrypt>&xxe;</Encrypt></xml>';
    expect((await refusal(webhookRequest({ path: "/", body: external, now }))).code).toBe("malformed");
    // Signed and encrypted, the inner XML is still refused.
    const inner = appCallback(appSecrets, `<!DOCTYPE x [<!ENTITY a "b">]>${textXml("&a;")}`, {
      timestamp: NOW_S,
    });
    expect((await refusal(webhookRequest({ ...inner, now }))).reason).toBe("XML declares a DTD");
  });

  it("keeps '<!DOCTYPE' typed by a user inside CDATA as text", async () => {
    const callback = appCallback(appSecrets, textXml("<!DOCTYPE html> &amp; <!ENTITY>"), {
      timestamp: NOW_S,
    });
    expect(eventOf(await adapter.receive(webhookRequest({ ...callback, now })))).toMatchObject({
      text: "<!DOCTYPE html> &amp; <!ENTITY>",
    });
  });

  it("answers 400 for a signed Encrypt that is not base64 or does not decrypt", async () => {
    for (const encrypt of ["***not-base64***", "QUJDRA=="]) {
      const signature = nodeSignature(appSecrets.token, NOW_S, "7", encrypt);
      const path = `/?msg_signature=${signature}&timestamp=${NOW_S}&nonce=7`;
      const body = `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
      const error = await refusal(webhookRequest({ path, body, now }));
      expect([error.code, error.status]).toEqual(["malformed", 400]);
    }
    const badPad = nodeEncrypt(appSecrets.encodingAesKey, textXml("x"), C1.corpId, undefined, 0);
    const signature = nodeSignature(appSecrets.token, NOW_S, "7", badPad);
    const body = `<xml><Encrypt><![CDATA[${badPad}]]></Encrypt></xml>`;
    const error = await refusal(
      webhookRequest({ path: `/?msg_signature=${signature}&timestamp=${NOW_S}&nonce=7`, body, now }),
    );
    expect(error.code).toBe("malformed");
  });
});

describe("wecom intelligent robot POST", () => {
  const message = {
    msgid: "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=",
    aibotid: "AIBOTID",
    chatid: "wrkSFfCgAAxxxx",
    chattype: "group",
    from: { userid: "lina" },
    response_url: "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1",
    msgtype: "text",
    text: { content: "@OpsBot /order list open" },
  };

  it("decodes a group text with the @mention stripped", async () => {
    const callback = botCallback(botSecrets, message, { timestamp: NOW_S, path: "/bot" });
    expect(eventOf(await adapter.receive(webhookRequest({ route: "bot", ...callback, now })))).toEqual({
      kind: "message",
      platform: "wecom",
      dedupKey: `wecom:bot:${message.msgid}`,
      chat: { id: "wrkSFfCgAAxxxx", kind: "group" },
      sender: { id: "lina" },
      text: "/order list open",
      mentions: [],
      messageId: message.msgid,
      reply: {
        channel: "bot",
        responseUrl: message.response_url,
        chatId: "wrkSFfCgAAxxxx",
        chatKind: "group",
        userId: "lina",
      },
    });
  });

  it("refuses an app-key payload on the robot route and robot payloads signed with another token", async () => {
    const appSigned = botCallback(appSecrets, message, { timestamp: NOW_S });
    expect((await refusal(webhookRequest({ route: "bot", ...appSigned, now }))).code).toBe("bad_signature");
    const corpReceiver = botCallback({ ...botSecrets, receiveId: "ww1" }, message, { timestamp: NOW_S });
    expect((await refusal(webhookRequest({ route: "bot", ...corpReceiver, now }))).code).toBe("bad_receiver");
  });

  it("answers 400 for bodies without an encrypt string and for undecodable payloads", async () => {
    for (const body of ["", "{", "[]", '{"encrypt":42}', '{"Encrypt":"abc"}']) {
      const error = await refusal(webhookRequest({ route: "bot", path: "/bot", body, now }));
      expect([error.code, error.status]).toEqual(["malformed", 400]);
    }
    const notJson = nodeEncrypt(botSecrets.encodingAesKey, "<xml/>", "");
    const signature = nodeSignature(botSecrets.token, NOW_S, "1", notJson);
    const request = webhookRequest({
      route: "bot",
      path: `/bot?msg_signature=${signature}&timestamp=${NOW_S}&nonce=1`,
      body: JSON.stringify({ encrypt: notJson }),
      now,
    });
    expect((await refusal(request)).code).toBe("malformed");
  });

  it("ignores enter_chat events", async () => {
    const enter = { ...message, msgtype: "event", event: { eventtype: "enter_chat" } };
    const outcome = await adapter.receive(
      webhookRequest({ route: "bot", ...botCallback(botSecrets, enter, { timestamp: NOW_S }), now }),
    );
    expect(outcome.kind).toBe("ignored");
  });
});

describe("wecom routes", () => {
  it("answers not_configured (404) for a route whose config is absent or unknown", async () => {
    const appOnly = createWeComAdapter({ app: appConfig, now: () => now });
    const botOnly = createWeComAdapter({ bot: botConfig, now: () => now });
    expect((await refusal(webhookRequest({ route: "bot", path: "/", now }), appOnly)).status).toBe(404);
    expect((await refusal(webhookRequest({ route: "", path: "/", now }), botOnly)).code).toBe(
      "not_configured",
    );
    expect((await refusal(webhookRequest({ route: "cards", path: "/", now }))).code).toBe("not_configured");
  });

  it("refuses methods other than GET and POST", async () => {
    expect((await refusal(webhookRequest({ method: "PUT", path: "/", now }))).code).toBe("malformed");
  });
});

// The Node entry's crypto primitives: they agree with Web Crypto's step for step, failures included, and with
// them injected every platform's webhook route verifies and opens requests without a single Web Crypto call.
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseEnv } from "../../../src/config/parse-env.ts";
import { createAdapters } from "../../../src/entry/compose/adapters.ts";
import { nodeCryptoPrimitives as node } from "../../../src/entry/node/node-crypto.ts";
import type { CryptoPrimitives } from "../../../src/platforms/shared/crypto-primitives.ts";
import { webCryptoPrimitives as web } from "../../../src/platforms/shared/web-crypto.ts";
import type { WebhookRequest } from "../../../src/platforms/types.ts";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "../../helpers/dingtalk-signer.ts";
import { LARK_SIGNED_AT, larkMessageEvent, signLarkRequest } from "../../helpers/lark-signer.ts";
import { appCallback, botCallback, verificationPath } from "../../helpers/wecom-signer.ts";
import { C1, C2 } from "../platforms/wecom/vectors.ts";

const bytes = (options?: { minLength?: number; maxLength?: number }) => fc.uint8Array(options);
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const iv16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const blocks = (min: number, max: number) =>
  fc.integer({ min, max }).chain((count) => fc.uint8Array({ minLength: count * 16, maxLength: count * 16 }));

/** What a step gives, or that it refused: the two sets must refuse the same inputs. */
async function outcome(step: () => unknown): Promise<{ value: number[] } | "refused"> {
  try {
    return { value: [...((await step()) as Uint8Array)] };
  } catch {
    return "refused";
  }
}

describe("node:crypto primitives agree with Web Crypto", () => {
  it("hash and MAC alike", async () => {
    await fc.assert(
      fc.asyncProperty(bytes(), bytes({ minLength: 1 }), async (data, key) => {
        expect([...(await node.sha1(data))]).toEqual([...(await web.sha1(data))]);
        expect([...(await node.sha256(data))]).toEqual([...(await web.sha256(data))]);
        expect([...(await node.hmacSha256(key, data))]).toEqual([...(await web.hmacSha256(key, data))]);
      }),
      { numRuns: 60 },
    );
  });

  it("encrypt whole blocks alike, and each opens what the other sealed", async () => {
    await fc.assert(
      fc.asyncProperty(key32, iv16, blocks(1, 6), async (key, iv, plain) => {
        const sealed = await node.aesCbcKey(key).encryptRaw(iv, plain);
        expect([...sealed]).toEqual([...(await web.aesCbcKey(key).encryptRaw(iv, plain))]);
        expect([...(await web.aesCbcKey(key).decryptRaw(iv, sealed))]).toEqual([...plain]);
        expect([...(await node.aesCbcKey(key).decryptRaw(iv, sealed))]).toEqual([...plain]);
      }),
      { numRuns: 60 },
    );
  });

  it("strip PKCS#7 padding alike and refuse the same bad padding", async () => {
    await fc.assert(
      fc.asyncProperty(
        key32,
        iv16,
        blocks(1, 4),
        fc.integer({ min: 0, max: 17 }),
        async (key, iv, body, padLength) => {
          // Any last-byte value, 0 and 17 included: most are bad padding, which both must refuse.
          const plain = new Uint8Array(body.length);
          plain.set(body);
          plain.fill(padLength, plain.length - Math.min(Math.max(padLength, 1), 16));
          const sealed = await node.aesCbcKey(key).encryptRaw(iv, plain);
          const opened = await outcome(() => node.aesCbcKey(key).decrypt(iv, sealed));
          expect(opened).toEqual(await outcome(() => web.aesCbcKey(key).decrypt(iv, sealed)));
          expect(opened === "refused").toBe(padLength < 1 || padLength > 16);
        },
      ),
      { numRuns: 80 },
    );
  });

  it.each<[string, (set: CryptoPrimitives) => unknown]>([
    ["a key that is not 32 bytes", (set) => set.aesCbcKey(new Uint8Array(16))],
    [
      "cipher text that is not whole blocks",
      (set) => set.aesCbcKey(new Uint8Array(32)).decrypt(new Uint8Array(16), new Uint8Array(20)),
    ],
    [
      "no cipher text at all",
      (set) => set.aesCbcKey(new Uint8Array(32)).decryptRaw(new Uint8Array(16), new Uint8Array(0)),
    ],
    [
      "plain text that is not whole blocks",
      (set) => set.aesCbcKey(new Uint8Array(32)).encryptRaw(new Uint8Array(16), new Uint8Array(15)),
    ],
  ])("both refuse %s", async (_case, step) => {
    expect(await outcome(() => step(node))).toBe("refused");
    expect(await outcome(() => step(web))).toBe("refused");
  });

  it("compare strings alike", async () => {
    await fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(node.timingSafeEqual(a, b)).toBe(a === b);
        expect(node.timingSafeEqual(a, a)).toBe(true);
        expect(web.timingSafeEqual(a, b)).toBe(a === b);
      }),
      { numRuns: 100 },
    );
  });
});

describe("the injected primitives are the only crypto of every webhook route", () => {
  afterEach(() => vi.restoreAllMocks());

  const NOW = LARK_SIGNED_AT;
  const SECONDS = String(NOW.getTime() / 1000);
  const LARK = { verificationToken: "vt-node", encryptKey: "ek-node" };
  const DINGTALK = { clientSecret: "dt-client-secret", cardSecret: "dt-card-secret" };
  const WECOM_APP = { token: C1.token, encodingAesKey: C1.encodingAesKey, receiveId: C1.corpId };
  const WECOM_BOT = { token: "bot-token", encodingAesKey: C2.encodingAesKey, receiveId: "" };
  const config = parseEnv({
    LARK_APP_ID: "cli_node",
    LARK_APP_SECRET: "lark-secret",
    LARK_VERIFICATION_TOKEN: LARK.verificationToken,
    LARK_ENCRYPT_KEY: LARK.encryptKey,
    DINGTALK_CLIENT_ID: "dt-client",
    DINGTALK_CLIENT_SECRET: DINGTALK.clientSecret,
    DINGTALK_ROBOT_CODE: "dt-robot",
    DINGTALK_CARD_TEMPLATE_ID: "dt-template",
    DINGTALK_CARD_CALLBACK_SECRET: DINGTALK.cardSecret,
    WECOM_CORP_ID: C1.corpId,
    WECOM_AGENT_ID: "218",
    WECOM_SECRET: "wecom-secret",
    WECOM_TOKEN: WECOM_APP.token,
    WECOM_ENCODING_AES_KEY: WECOM_APP.encodingAesKey,
    WECOM_BOT_TOKEN: WECOM_BOT.token,
    WECOM_BOT_ENCODING_AES_KEY: WECOM_BOT.encodingAesKey,
  });

  const request = (
    route: string,
    init: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
  ): WebhookRequest => ({
    route,
    method: init.method ?? "POST",
    url: new URL(init.path ?? "/", "https://ops.example.com"),
    headers: new Headers(init.headers),
    body: new TextEncoder().encode(init.body ?? ""),
    now: NOW,
  });

  const lark = signLarkRequest(larkMessageEvent({ token: LARK.verificationToken, text: "/help" }), {
    encryptKey: LARK.encryptKey,
  });
  const wecomText = `<xml><ToUserName><![CDATA[${C1.corpId}]]></ToUserName><FromUserName><![CDATA[wangwei]]></FromUserName><CreateTime>${SECONDS}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[/help]]></Content><MsgId>1</MsgId><AgentID>218</AgentID></xml>`;
  const wecomApp = appCallback(WECOM_APP, wecomText, { timestamp: SECONDS });
  const wecomBot = botCallback(
    WECOM_BOT,
    {
      msgid: "bot-1",
      aibotid: "bot",
      chattype: "single",
      from: { userid: "wangwei" },
      msgtype: "text",
      text: { content: "/help" },
    },
    { timestamp: SECONDS },
  );
  const wecomCheck = verificationPath(WECOM_APP, "echo-1", { timestamp: SECONDS });
  /** Each with the outcome it gets once verified; a request that fails verification throws instead. */
  const requests: [string, "lark" | "dingtalk" | "wecom", WebhookRequest, string][] = [
    ["Lark event", "lark", request("", lark), "event"],
    [
      "DingTalk robot message",
      "dingtalk",
      request("", {
        headers: signDingTalk(NOW.getTime(), DINGTALK.clientSecret),
        body: JSON.stringify(dingtalkRobotMessage({ createAt: NOW.getTime() })),
      }),
      "event",
    ],
    [
      "DingTalk card callback",
      "dingtalk",
      request("cards", {
        headers: signDingTalkCard(NOW.getTime(), DINGTALK.cardSecret),
        body: JSON.stringify(
          dingtalkCardCallback({ outTrackId: "track-1", params: { action: "help.language", id: "" } }),
        ),
      }),
      "ignored",
    ],
    ["WeCom app message", "wecom", request("", { path: wecomApp.path, body: wecomApp.body }), "event"],
    ["WeCom robot message", "wecom", request("bot", { path: wecomBot.path, body: wecomBot.body }), "ignored"],
    ["WeCom URL verification", "wecom", request("", { method: "GET", path: wecomCheck.path }), "handshake"],
  ];

  const webCryptoCalls = () => {
    const subtle = globalThis.crypto.subtle;
    return (["digest", "sign", "importKey", "encrypt", "decrypt"] as const).map((name) =>
      vi.spyOn(subtle, name),
    );
  };
  const called = (spies: ReturnType<typeof webCryptoCalls>) =>
    spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

  it.each(requests)("%s: verified with node:crypto only", async (_name, platform, webhook, kind) => {
    const spies = webCryptoCalls();
    const adapter = createAdapters(config, { now: () => NOW, crypto: node })[platform];
    expect((await adapter?.receive(webhook))?.kind).toBe(kind);
    expect(called(spies)).toBe(0);
  });

  it.each(requests)("%s: verified with Web Crypto by default", async (_name, platform, webhook, kind) => {
    const spies = webCryptoCalls();
    const adapter = createAdapters(config, { now: () => NOW })[platform];
    expect((await adapter?.receive(webhook))?.kind).toBe(kind);
    expect(called(spies)).toBeGreaterThan(0);
  });
});

// The fakes' optional send limits, answered as each platform answers: Lark's 429, DingTalk's 403 / 400 codes,
// WeCom's errcode 45009; the DingTalk and WeCom ones through the real adapters, which must read them as rate limits.
import { afterEach, describe, expect, it } from "vitest";
import type { SendTarget } from "../../../src/chat/events.ts";
import { createDingTalkAdapter } from "../../../src/platforms/dingtalk/adapter.ts";
import { SendError } from "../../../src/platforms/errors.ts";
import { createWeComAdapter } from "../../../src/platforms/wecom/adapter.ts";
import { type FakeDingTalk, startFakeDingTalk } from "../../fakes/dingtalk.ts";
import { type FakeLark, startFakeLark } from "../../fakes/lark.ts";
import { DINGTALK_RATE_LIMITS, LARK_RATE_LIMITS, WECOM_RATE_LIMITS } from "../../fakes/rate-limits.ts";
import { type FakeWeCom, startFakeWeCom } from "../../fakes/wecom.ts";

const APP = { appId: "cli_limits", appSecret: "limits-secret" };
let fake: FakeLark | undefined;
let clock = 0;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function started(rateLimits = LARK_RATE_LIMITS): Promise<FakeLark> {
  clock = 1_000_000;
  fake = await startFakeLark({ ...APP, rateLimits, now: () => clock });
  return fake;
}

async function send(server: FakeLark, chat: string): Promise<{ status: number; body: unknown }> {
  const token = await fetch(`${server.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app_id: APP.appId, app_secret: APP.appSecret }),
  }).then((response) => response.json() as Promise<{ tenant_access_token: string }>);
  const response = await fetch(`${server.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token.tenant_access_token}` },
    body: JSON.stringify({ receive_id: chat, msg_type: "text", content: JSON.stringify({ text: "hi" }) }),
  });
  return { status: response.status, body: await response.json() };
}

describe("fake Lark rate limits", () => {
  it("answers the 6th send to one chat within a second with 429 / 99991400, and accepts it a second later", async () => {
    const server = await started();
    for (let i = 0; i < 5; i++) expect((await send(server, "oc_one")).status).toBe(200);
    const refused = await send(server, "oc_one");
    expect(refused).toEqual({
      status: 429,
      body: { code: 99991400, msg: "request trigger frequency limit" },
    });
    expect((await send(server, "oc_other")).status).toBe(200);
    clock += 1000;
    expect((await send(server, "oc_one")).status).toBe(200);
    expect(server.delivered).toHaveLength(7);
    expect(server.requests.every((request) => request.at >= 1_000_000)).toBe(true);
  });

  it("counts 50 sends a second per app across chats", async () => {
    const server = await started();
    for (let i = 0; i < 50; i++) expect((await send(server, `oc_${i}`)).status).toBe(200);
    expect((await send(server, "oc_50")).status).toBe(429);
  });

  it("enforces nothing unless asked", async () => {
    const server = await started([]);
    for (let i = 0; i < 7; i++) expect((await send(server, "oc_one")).status).toBe(200);
  });
});

/** What a send through a real adapter threw, or undefined when it went through. */
async function failure(sending: Promise<unknown>): Promise<unknown> {
  return sending.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("fake DingTalk rate limits, as the DingTalk adapter reads them", () => {
  const DINGTALK = { clientId: "ding_limits", clientSecret: "limits-secret", robotCode: "ding_limits" };
  let dingtalk: FakeDingTalk | undefined;
  afterEach(async () => {
    await dingtalk?.close();
    dingtalk = undefined;
  });

  async function adapter() {
    clock = 1_000_000;
    dingtalk = await startFakeDingTalk({ ...DINGTALK, rateLimits: DINGTALK_RATE_LIMITS, now: () => clock });
    const apiBase = dingtalk.url;
    return createDingTalkAdapter({
      config: { ...DINGTALK, apiBase, oapiBase: apiBase },
      now: () => new Date(),
    });
  }
  const group = (chatId: string): SendTarget => ({
    kind: "chat",
    platform: "dingtalk",
    chatId,
    chatKind: "group",
  });
  const text = { type: "text", text: "hi" } as const;

  it("refuses the 21st call of an API within a second with 403 QpsLimitForAppkeyAndApi: rate limited", async () => {
    const ding = await adapter();
    for (let i = 0; i < 20; i++) await ding.send(group(`cid_${i}`), text, `k${i}`);
    const error = await failure(ding.send(group("cid_20"), text, "k20"));
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 1000,
      platformCode: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
    });
    expect(dingtalk?.requests.at(-1)).toMatchObject({ status: 403, rateLimited: true, delivered: false });
    clock += 1000;
    await ding.send(group("cid_20"), text, "k20");
  });

  it("refuses the 21st message to one group within a minute with send.too.fast: rate limited for a minute", async () => {
    const ding = await adapter();
    for (let i = 0; i < 20; i++) {
      await ding.send(group("cid_busy"), text, `k${i}`);
      clock += 1000;
    }
    expect(await failure(ding.send(group("cid_busy"), text, "k20"))).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 60_000,
      platformCode: "send.too.fast",
    });
    await ding.send(group("cid_other"), text, "k21");
    expect(dingtalk?.delivered).toHaveLength(21);
  });
});

describe("fake WeCom rate limits, as the WeCom adapter reads them", () => {
  const WECOM = { corpId: "ww_limits", secret: "limits-secret", agentId: "1000002" };
  let wecom: FakeWeCom | undefined;
  afterEach(async () => {
    await wecom?.close();
    wecom = undefined;
  });

  it("answers the 21st message to one group robot within a minute with errcode 45009: rate limited", async () => {
    clock = 1_000_000;
    wecom = await startFakeWeCom({
      ...WECOM,
      otherWebhookKeys: ["robot-other-0001"],
      rateLimits: WECOM_RATE_LIMITS,
      now: () => clock,
    });
    const app = {
      ...WECOM,
      token: "limitsToken",
      encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    };
    const adapter = createWeComAdapter({ app: { ...app, apiBase: wecom.url }, now: () => new Date() });
    const robot = (key: string): SendTarget => ({
      kind: "webhook",
      platform: "wecom",
      url: `${wecom?.url}/cgi-bin/webhook/send?key=${key}`,
    });
    const text = { type: "text", text: "hi" } as const;
    for (let i = 0; i < 20; i++) await adapter.send(robot(wecom.webhookKey), text, `k${i}`);
    expect(await failure(adapter.send(robot(wecom.webhookKey), text, "k20"))).toMatchObject({
      kind: "rate_limited",
      platformCode: 45009,
    });
    expect(wecom.requests.at(-1)).toMatchObject({ status: 200, rateLimited: true, delivered: false });
    await adapter.send(robot("robot-other-0001"), text, "k21");
    clock += 60_000;
    await adapter.send(robot(wecom.webhookKey), text, "k20");
    expect(wecom.delivered).toHaveLength(22);
  });
});

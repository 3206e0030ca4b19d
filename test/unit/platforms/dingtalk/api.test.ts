// The DingTalk send path over real HTTP against the fake: tokens, reply routes, cards and error mapping.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Card, OutboundMessage } from "../../../../src/chat/card.ts";
import type { InboundMessage, ReplyHandle, Target } from "../../../../src/chat/events.ts";
import { markup } from "../../../../src/chat/rich-text.ts";
import type { DingTalkConfig } from "../../../../src/config/parse-env.ts";
import { createDingTalkAdapter } from "../../../../src/platforms/dingtalk/adapter.ts";
import { CARD_CALLBACK_ROUTE_KEY, createDingTalkApi } from "../../../../src/platforms/dingtalk/api.ts";
import { decodeRobotMessage } from "../../../../src/platforms/dingtalk/decode.ts";
import { SendError } from "../../../../src/platforms/errors.ts";
import { type FakeDingTalk, startFakeDingTalk } from "../../../fakes/dingtalk.ts";
import { dingtalkRobotMessage } from "../../../helpers/dingtalk-signer.ts";

const CREDENTIALS = {
  clientId: "dingclient0001",
  clientSecret: "client-secret-0001",
  robotCode: "dingrobot0001",
};
const START = new Date("2026-11-26T02:00:00Z");
const GROUP_ID = "cidLY0TRpE+Ka//RsguNtQnHw==";
const TEXT: OutboundMessage = { type: "text", text: "已收到" };
const CARD: Card = {
  title: "确认订单 O-20261126-001",
  tone: "warning",
  fields: [{ label: "客户", value: "ACME" }],
  buttons: [{ label: "确认", action: "order.confirm", value: { id: "O-20261126-001" } }],
};

let fake: FakeDingTalk;
let clock: Date;

beforeAll(async () => {
  fake = await startFakeDingTalk(CREDENTIALS);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.revokeTokens();
  clock = START;
});

function config(extra: Partial<DingTalkConfig> = {}): DingTalkConfig {
  return { ...CREDENTIALS, apiBase: fake.url, oapiBase: fake.url, ...extra };
}

const adapterWith = (extra: Partial<DingTalkConfig> = {}) =>
  createDingTalkAdapter({ config: config(extra), now: () => clock });

/** A received robot message whose sessionWebhook points at the fake and expires 90 min after START. */
function received(options: { conversationType?: "1" | "2" } = {}): InboundMessage {
  const event = decodeRobotMessage(
    dingtalkRobotMessage({
      ...options,
      createAt: START.getTime(),
      overrides: { sessionWebhook: fake.sessionWebhookUrl() },
    }),
  );
  if (event?.kind !== "message") throw new Error("fixture is not a message");
  return event;
}

const paths = () => fake.requests.map((request) => `${request.method} ${request.path.split("?")[0]}`);
const tokenFetches = () => paths().filter((path) => path === "POST /v1.0/oauth2/accessToken").length;
const groupTarget = { kind: "chat", platform: "dingtalk", chatId: GROUP_ID, chatKind: "group" } as const;

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SendError)) throw new Error(`expected a SendError, got ${String(error)}`);
  return error;
}

describe("access token", () => {
  it("is fetched once and reused across sends", async () => {
    const adapter = adapterWith();
    await adapter.send(groupTarget, TEXT, "k1");
    await adapter.send(groupTarget, TEXT, "k2");
    expect(tokenFetches()).toBe(1);
    expect(fake.requests.filter((r) => r.path === "/v1.0/robot/groupMessages/send")).toHaveLength(2);
    expect(fake.requests[0]?.body).toEqual({
      appKey: CREDENTIALS.clientId,
      appSecret: CREDENTIALS.clientSecret,
    });
  });

  it("is fetched once for concurrent sends", async () => {
    const adapter = adapterWith();
    await Promise.all(["a", "b", "c"].map((key) => adapter.send(groupTarget, TEXT, key)));
    expect(tokenFetches()).toBe(1);
  });

  it("is refreshed before it expires", async () => {
    const adapter = adapterWith();
    await adapter.send(groupTarget, TEXT, "k1");
    clock = new Date(START.getTime() + 7200_000 - 4 * 60_000);
    await adapter.send(groupTarget, TEXT, "k2");
    expect(tokenFetches()).toBe(2);
  });

  it("is refreshed once when DingTalk rejects it, and the call retried", async () => {
    const adapter = adapterWith();
    await adapter.send(groupTarget, TEXT, "k1");
    fake.revokeTokens();
    await adapter.send(groupTarget, TEXT, "k2");
    expect(paths()).toEqual([
      "POST /v1.0/oauth2/accessToken",
      "POST /v1.0/robot/groupMessages/send",
      "POST /v1.0/robot/groupMessages/send",
      "POST /v1.0/oauth2/accessToken",
      "POST /v1.0/robot/groupMessages/send",
    ]);
    expect(fake.delivered).toHaveLength(2);
  });

  it("fails permanently on wrong credentials, without the secret in the message", async () => {
    const adapter = adapterWith({ clientSecret: "wrong-secret-value" });
    const error = await sendError(adapter.send(groupTarget, TEXT, "k"));
    expect(error).toMatchObject({ kind: "permanent", platformCode: "invalidClientIdOrSecret" });
    expect(error.message).not.toContain("wrong-secret-value");
  });
});

describe("robot messages", () => {
  it("sends to a group through groupMessages/send with msgParam as a JSON string", async () => {
    const result = await adapterWith().send(groupTarget, { type: "card", card: CARD }, "k");
    const [delivery] = fake.delivered;
    expect(delivery?.path).toBe("/v1.0/robot/groupMessages/send");
    expect(delivery?.body).toMatchObject({
      robotCode: CREDENTIALS.robotCode,
      openConversationId: GROUP_ID,
      msgKey: "sampleActionCard",
    });
    const { msgParam } = (delivery?.body ?? {}) as { msgParam: string };
    expect(JSON.parse(msgParam)).toMatchObject({
      title: CARD.title,
      singleTitle: "确认",
    });
    expect(result).toEqual({
      messageId: expect.stringMatching(/^pqk-\d+$/),
      handle: { chatId: GROUP_ID, chatKind: "group" },
    });
    expect(fake.requests.at(-1)?.headers["x-acs-dingtalk-access-token"]).toBe(
      `fake-token-${fake.tokensIssued()}`,
    );
  });

  it("sends to a person through oToMessages/batchSend", async () => {
    await adapterWith().send(
      { kind: "chat", platform: "dingtalk", chatId: "manager4511", chatKind: "direct" },
      TEXT,
      "k",
    );
    expect(fake.delivered[0]).toMatchObject({
      path: "/v1.0/robot/oToMessages/batchSend",
      body: { userIds: ["manager4511"], msgKey: "sampleText", msgParam: '{"content":"已收到"}' },
    });
  });

  it("replies through the message's sessionWebhook while it is valid, without a token", async () => {
    const message = received();
    clock = new Date(START.getTime() + 80 * 60_000);
    await adapterWith().send({ kind: "reply", platform: "dingtalk", handle: message.reply }, TEXT, "k");
    expect(paths()).toEqual(["POST /robot/sendBySession"]);
    expect(fake.delivered[0]?.body).toEqual({ msgtype: "text", text: { content: "已收到" } });
  });

  it("replies through groupMessages/send once the sessionWebhook has (nearly) expired", async () => {
    const message = received();
    clock = new Date(START.getTime() + 90 * 60_000 - 30_000);
    await adapterWith().send({ kind: "reply", platform: "dingtalk", handle: message.reply }, TEXT, "k");
    expect(fake.delivered.map((d) => d.path)).toEqual(["/v1.0/robot/groupMessages/send"]);
    expect(fake.delivered[0]?.body).toMatchObject({ openConversationId: GROUP_ID });
  });

  it("replies to an expired 1:1 message through batchSend to the sender", async () => {
    const message = received({ conversationType: "1" });
    clock = new Date(START.getTime() + 2 * 3600_000);
    await adapterWith().send({ kind: "reply", platform: "dingtalk", handle: message.reply }, TEXT, "k");
    expect(fake.delivered[0]).toMatchObject({
      path: "/v1.0/robot/oToMessages/batchSend",
      body: { userIds: ["manager4511"] },
    });
  });

  it("refuses a handle it did not write and webhook targets", async () => {
    const adapter = adapterWith();
    const foreign: ReplyHandle = { message_id: "om_123" };
    await expect(
      adapter.send({ kind: "reply", platform: "dingtalk", handle: foreign }, TEXT, "k"),
    ).rejects.toMatchObject({ kind: "permanent" });
    await expect(
      adapter.send({ kind: "webhook", platform: "dingtalk", url: `${fake.url}/robot/send` }, TEXT, "k"),
    ).rejects.toMatchObject({ kind: "permanent" });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("send errors", () => {
  it("maps 429 to rate_limited with Retry-After", async () => {
    fake.fail({
      count: 1,
      status: 429,
      headers: { "retry-after": "7" },
      body: { code: "Throttling", message: "" },
    });
    const error = await sendError(adapterWith().send(groupTarget, TEXT, "k"));
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000 });
  });

  it.each([
    ["Forbidden.AccessDenied.QpsLimitForApi", 1000],
    ["Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", 1000],
    ["send.too.fast", 60_000],
  ])("maps the platform code %s to rate_limited", async (code, retryAfterMs) => {
    fake.fail({ count: 1, status: 403, body: { code, message: "限流" } });
    const error = await sendError(adapterWith().send(groupTarget, TEXT, "k"));
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs, platformCode: code });
  });

  it("maps 5xx to transient", async () => {
    fake.fail({ count: 1, status: 500, body: { code: "ServiceUnavailable", message: "busy" } });
    expect(await sendError(adapterWith().send(groupTarget, TEXT, "k"))).toMatchObject({ kind: "transient" });
  });

  it("maps a network failure to transient", async () => {
    const adapter = createDingTalkAdapter({
      config: config(),
      fetch: () => Promise.reject(new TypeError("fetch failed")),
      now: () => clock,
    });
    expect(await sendError(adapter.send(groupTarget, TEXT, "k"))).toMatchObject({ kind: "transient" });
  });

  it("maps other 4xx to permanent and keeps the platform code", async () => {
    fake.fail({ count: 1, status: 400, body: { code: "group.disbanded", message: "群已解散" } });
    expect(await sendError(adapterWith().send(groupTarget, TEXT, "k"))).toMatchObject({
      kind: "permanent",
      platformCode: "group.disbanded",
    });
  });

  it("maps a session webhook's 130101 (20 a minute) to rate_limited", async () => {
    fake.fail({
      count: 1,
      status: 200,
      pathPrefix: "/robot/sendBySession",
      body: { errcode: 130101, errmsg: "send too fast, exceed 20 times per minute" },
    });
    const error = await sendError(
      adapterWith().send({ kind: "reply", platform: "dingtalk", handle: received().reply }, TEXT, "k"),
    );
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 60_000, platformCode: "130101" });
  });

  it("treats a robot the fake refuses (bad message) as permanent", async () => {
    const handle = { ...received().reply, sessionWebhook: `${fake.url}/robot/sendBySession?session=unknown` };
    const error = await sendError(
      adapterWith().send({ kind: "reply", platform: "dingtalk", handle }, TEXT, "k"),
    );
    expect(error).toMatchObject({ kind: "permanent", platformCode: "300001" });
  });
});

describe("interactive cards (template configured)", () => {
  const withTemplate = () =>
    adapterWith({ cardTemplateId: "tpl-0001.schema", cardCallbackSecret: "cb-secret" });

  it("creates and delivers a group card with string params, keyed by the idempotency key", async () => {
    const adapter = withTemplate();
    const first = await adapter.send(
      groupTarget,
      { type: "card", card: CARD },
      "order:O-20261126-001:confirm",
    );
    const again = await adapter.send(
      groupTarget,
      { type: "card", card: CARD },
      "order:O-20261126-001:confirm",
    );
    const outTrackId = first.messageId as string;
    expect(again.messageId).toBe(outTrackId);
    expect(first.handle).toEqual({ chatId: GROUP_ID, chatKind: "group", outTrackId });
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]?.body).toMatchObject({
      cardTemplateId: "tpl-0001.schema",
      outTrackId,
      callbackType: "HTTP",
      callbackRouteKey: CARD_CALLBACK_ROUTE_KEY,
      openSpaceId: `dtv1.card//IM_GROUP.${GROUP_ID}`,
      imGroupOpenDeliverModel: { robotCode: CREDENTIALS.robotCode },
    });
    expect(fake.cards.get(outTrackId)?.cardParamMap.title).toBe(CARD.title);
  });

  it("delivers a 1:1 card into the robot chat of the user", async () => {
    await withTemplate().send(
      { kind: "chat", platform: "dingtalk", chatId: "manager4511", chatKind: "direct" },
      { type: "card", card: CARD },
      "k",
    );
    expect(fake.delivered[0]?.body).toMatchObject({
      openSpaceId: "dtv1.card//IM_ROBOT.manager4511",
      imRobotOpenDeliverModel: { spaceType: "IM_ROBOT", robotCode: CREDENTIALS.robotCode },
    });
  });

  it("updates a delivered card in place through PUT /v1.0/card/instances", async () => {
    const adapter = withTemplate();
    const sent = await adapter.send(groupTarget, { type: "card", card: CARD }, "k1");
    const done: Card = { ...CARD, tone: "success", buttons: [], note: "王伟 已确认" };
    const handle = sent.handle as ReplyHandle;
    await adapter.send({ kind: "update", platform: "dingtalk", handle }, { type: "card", card: done }, "k2");
    expect(fake.delivered.at(-1)?.path).toBe("/v1.0/card/instances");
    expect(fake.cards.get(sent.messageId as string)?.cardParamMap).toMatchObject({
      tone: "success",
      note: "王伟 已确认",
      buttons: "[]",
    });
  });

  it("sends a card too large for the template as a robot message", async () => {
    const big: Card = {
      title: "订单列表",
      tone: "neutral",
      markdown: markup("O-20261126-001 逾期\n".repeat(100)),
    };
    await withTemplate().send(groupTarget, { type: "card", card: big }, "k");
    expect(fake.delivered.map((d) => d.path)).toEqual(["/v1.0/robot/groupMessages/send"]);
  });

  it("registers the signed callback route once asked", async () => {
    await createDingTalkApi({
      config: config({ cardTemplateId: "tpl", cardCallbackSecret: "cb-secret" }),
      fetch: globalThis.fetch,
      now: () => clock,
    }).registerCardCallback("https://bot.example.com/webhooks/dingtalk/cards");
    expect(fake.callbackRoutes.get(CARD_CALLBACK_ROUTE_KEY)).toEqual({
      callbackUrl: "https://bot.example.com/webhooks/dingtalk/cards",
      apiSecret: "cb-secret",
    });
  });
});

describe("updates without a template", () => {
  it("send the new state as a fresh message to the chat of the clicked message", async () => {
    const handle = received().reply;
    await adapterWith().send(
      { kind: "update", platform: "dingtalk", handle },
      { type: "card", card: CARD },
      "k",
    );
    expect(fake.delivered[0]?.path).toBe("/robot/sendBySession?session=session-1");
    expect(fake.delivered[0]?.body).toMatchObject({ msgtype: "actionCard" });
  });
});

describe("urgent notices (DING)", () => {
  const urgentTarget: Target = { kind: "urgent", platform: "dingtalk", userIds: ["boss1", "boss2"] };

  it("sends one in-app DING to every receiver with the card's title and fields as its text", async () => {
    const result = await adapterWith().send(urgentTarget, { type: "card", card: CARD }, "urgent:k");
    expect(result.messageId).toMatch(/^ding-/);
    expect(fake.delivered.map((d) => [d.path, d.body])).toEqual([
      [
        "/v1.0/robot/ding/send",
        {
          robotCode: CREDENTIALS.robotCode,
          remindType: 1,
          receiverUserIdList: ["boss1", "boss2"],
          content: "确认订单 O-20261126-001\n客户: ACME",
        },
      ],
    ]);
  });

  it("backs off on DingTalk's per-robot throttle and gives up on a missing DING quota", async () => {
    fake.fail({ count: 1, status: 400, body: { code: "toomuch.msg", message: "send too fast" } });
    const throttled = await adapterWith()
      .send(urgentTarget, TEXT, "urgent:k")
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(SendError);
    expect((throttled as SendError).kind).toBe("rate_limited");
    fake.fail({ count: 1, status: 400, body: { code: "ding.serverquota.insufficient", message: "quota" } });
    const noQuota = await adapterWith()
      .send(urgentTarget, TEXT, "urgent:k")
      .catch((error: unknown) => error);
    expect((noQuota as SendError).kind).toBe("permanent");
  });
});

// The DingTalk adapter's webhook side: routes, verification before parsing, outcomes and card-click answers.
import { describe, expect, it } from "vitest";
import type { InboundAction } from "../../../../src/chat/events.ts";
import type { DingTalkConfig } from "../../../../src/config/parse-env.ts";
import { actionText } from "../../../../src/platforms/dingtalk/action-link.ts";
import { createDingTalkAdapter } from "../../../../src/platforms/dingtalk/adapter.ts";
import { outTrackIdFor } from "../../../../src/platforms/dingtalk/handle.ts";
import type { WebhookOutcome } from "../../../../src/platforms/types.ts";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  dingtalkWebhookRequest,
  signDingTalk,
  signDingTalkCard,
} from "../../../helpers/dingtalk-signer.ts";

const NOW = new Date("2026-11-26T02:00:30Z");
const BASE: DingTalkConfig = {
  clientId: "dingclient0001",
  clientSecret: "client-secret-0001",
  robotCode: "dingrobot0001",
  apiBase: "http://127.0.0.1:9",
  oapiBase: "http://127.0.0.1:9",
};
const WITH_CARDS: DingTalkConfig = {
  ...BASE,
  cardTemplateId: "tpl-0001.schema",
  cardCallbackSecret: "cb-secret",
};
const GROUP = { id: "cidLY0TRpE+Ka//RsguNtQnHw==", kind: "group" as const };

const adapterFor = (config: DingTalkConfig) =>
  createDingTalkAdapter({
    config,
    fetch: () => Promise.reject(new Error("the webhook side must not call DingTalk")),
    now: () => NOW,
  });

const robotRequest = (body: unknown, headers = signDingTalk(NOW.getTime() - 1000, BASE.clientSecret)) =>
  dingtalkWebhookRequest({ body, headers, now: NOW });

async function cardRequest(params: Record<string, unknown>, headers?: Record<string, string>) {
  const outTrackId = await outTrackIdFor("order:O-20261126-001:confirm", GROUP);
  const body = dingtalkCardCallback({ outTrackId, params });
  return dingtalkWebhookRequest({
    route: "cards",
    body,
    headers: headers ?? signDingTalkCard(NOW.getTime(), "cb-secret"),
    now: NOW,
  });
}

function eventOf(outcome: WebhookOutcome) {
  if (outcome.kind !== "event") throw new Error(`expected an event, got ${outcome.kind}`);
  return outcome;
}

describe("robot message route", () => {
  it("verifies, decodes and acks a signed message with an empty 200", async () => {
    const outcome = eventOf(
      await adapterFor(BASE).receive(robotRequest(dingtalkRobotMessage({ text: "/kpi" }))),
    );
    expect(outcome.event).toMatchObject({
      kind: "message",
      text: "/kpi",
      dedupKey: "dingtalk:msg:msgA1b2C3d4E5==",
    });
    expect(outcome.ack.status).toBe(200);
    expect(await outcome.ack.text()).toBe("");
  });

  it("accepts a replayed request and decodes it to the same dedup key (the inbox drops it)", async () => {
    const adapter = adapterFor(BASE);
    const request = () => robotRequest(dingtalkRobotMessage({ text: "/order done O-20261126-001" }));
    const first = eventOf(await adapter.receive(request()));
    const second = eventOf(await adapter.receive(request()));
    expect(second.event.dedupKey).toBe(first.event.dedupKey);
  });

  it("verifies before parsing: an unsigned garbage body is 401, a signed one 400", async () => {
    const adapter = adapterFor(BASE);
    await expect(adapter.receive(robotRequest("{not json", {}))).rejects.toMatchObject({ status: 401 });
    await expect(adapter.receive(robotRequest("{not json"))).rejects.toMatchObject({
      code: "malformed",
      status: 400,
    });
  });

  it.each([
    ["stale", signDingTalk(NOW.getTime() - 3_600_001, BASE.clientSecret)],
    ["wrong secret", signDingTalk(NOW.getTime(), "another-app-secret")],
    ["missing sign", { timestamp: String(NOW.getTime()) }],
  ])("refuses a %s request with 401", async (_name, headers) => {
    await expect(
      adapterFor(BASE).receive(robotRequest(dingtalkRobotMessage(), headers)),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it("ignores an over-quota notice with 200", async () => {
    const body = dingtalkRobotMessage({ overrides: { text: undefined, errorMessage: "over quota" } });
    const outcome = await adapterFor(BASE).receive(robotRequest(body));
    expect(outcome.kind).toBe("ignored");
  });

  it("turns a template-less button click into an action whose answer is sent later", async () => {
    const adapter = adapterFor(BASE);
    const text = actionText("order.confirm", { id: "O-20261126-001" });
    const outcome = eventOf(await adapter.receive(robotRequest(dingtalkRobotMessage({ text }))));
    expect(outcome.event).toMatchObject({ kind: "action", actionId: "order.confirm" });
    expect(
      await adapter.answerAction(outcome.event as InboundAction, { toast: { kind: "success", text: "ok" } }),
    ).toBeNull();
  });
});

describe("card callback route", () => {
  it("does not exist without a card template", async () => {
    await expect(
      adapterFor(BASE).receive(await cardRequest({ action: "order.confirm" })),
    ).rejects.toMatchObject({
      code: "not_configured",
      status: 404,
    });
  });

  it("refuses every callback when the template is set but no callback secret is", async () => {
    const adapter = adapterFor({ ...BASE, cardTemplateId: "tpl-0001.schema" });
    await expect(adapter.receive(await cardRequest({ action: "order.confirm" }))).rejects.toMatchObject({
      code: "missing_signature",
      status: 401,
    });
  });

  it("decodes a signed click into an action and answers it with the new card data", async () => {
    const adapter = adapterFor(WITH_CARDS);
    const request = await cardRequest({ action: "order.confirm", value: '{"id":"O-20261126-001"}' });
    const outcome = eventOf(await adapter.receive(request));
    expect(outcome.event).toMatchObject({
      kind: "action",
      actionId: "order.confirm",
      value: { id: "O-20261126-001" },
      chat: GROUP,
      dedupKey: expect.stringMatching(new RegExp(`:manager4511:${NOW.getTime()}$`)),
    });
    expect(await outcome.ack.json()).toEqual({});

    const answer = await adapter.answerAction(outcome.event as InboundAction, {
      card: { title: "订单已确认", tone: "success", note: "王伟 10:02" },
      toast: { kind: "success", text: "已确认" },
    });
    expect(answer?.headers.get("content-type")).toContain("application/json");
    expect(await answer?.json()).toMatchObject({
      cardData: { cardParamMap: { title: "订单已确认", tone: "success", buttons: "[]" } },
      userPrivateData: { cardParamMap: { toast: "已确认" } },
    });
  });

  it.each([
    ["stale", signDingTalkCard(NOW.getTime() - 3_600_001, "cb-secret")],
    ["wrong secret", signDingTalkCard(NOW.getTime(), "not-the-secret")],
    ["unsigned", {}],
  ])("refuses a %s callback with 401", async (_name, headers) => {
    await expect(
      adapterFor(WITH_CARDS).receive(await cardRequest({ action: "order.confirm" }, headers)),
    ).rejects.toMatchObject({ status: 401 });
  });

  it("ignores a signed callback for a card it did not create", async () => {
    const request = dingtalkWebhookRequest({
      route: "cards",
      body: dingtalkCardCallback({ outTrackId: "someone-elses-card" }),
      headers: signDingTalkCard(NOW.getTime(), "cb-secret"),
      now: NOW,
    });
    expect((await adapterFor(WITH_CARDS).receive(request)).kind).toBe("ignored");
  });
});

it("has no other routes", async () => {
  const request = dingtalkWebhookRequest({ route: "bot", body: {}, now: NOW });
  await expect(adapterFor(WITH_CARDS).receive(request)).rejects.toMatchObject({ code: "not_configured" });
});

it("declares DingTalk's limits: 20 QPS per app, 20 messages a minute per chat", () => {
  expect(adapterFor(BASE).limits).toEqual({
    app: { count: 20, perMs: 1000 },
    target: { count: 20, perMs: 60_000 },
    account: BASE.clientId,
  });
});

describe("prepareSends", () => {
  const text = { type: "text", text: "x" } as const;
  const sessionReply = {
    kind: "reply",
    platform: "dingtalk",
    handle: {
      chatId: GROUP.id,
      chatKind: "group",
      sessionWebhook: `${BASE.oapiBase}/robot/sendBySession?session=s1`,
      sessionWebhookExpiredTime: NOW.getTime() + 3_600_000,
    },
  } as const;
  const toGroup = { kind: "chat", platform: "dingtalk", chatId: GROUP.id, chatKind: "group" } as const;

  function withTokenCalls(config: DingTalkConfig) {
    const calls: string[] = [];
    const adapter = createDingTalkAdapter({
      config,
      fetch: async (input) => {
        calls.push(new URL(String(input)).pathname);
        return Response.json({ accessToken: "token-1", expireIn: 7200 });
      },
      now: () => NOW,
    });
    return { adapter, calls };
  }

  it("fetches the access token before API sends, once while it is fresh", async () => {
    const { adapter, calls } = withTokenCalls(BASE);
    await adapter.prepareSends([
      { target: sessionReply, message: text },
      { target: toGroup, message: text },
    ]);
    await adapter.prepareSends([{ target: toGroup, message: text }]);
    expect(calls).toEqual(["/v1.0/oauth2/accessToken"]);
  });

  it("fetches nothing for session-webhook replies (no API call from the monthly quota)", async () => {
    const { adapter, calls } = withTokenCalls(BASE);
    await adapter.prepareSends([{ target: sessionReply, message: text }]);
    expect(calls).toEqual([]);
    // A template card is delivered through the card API even as a reply.
    const withCards = withTokenCalls(WITH_CARDS);
    const card = { type: "card", card: { title: "KPI", tone: "info" } } as const;
    await withCards.adapter.prepareSends([{ target: sessionReply, message: card }]);
    expect(withCards.calls).toEqual(["/v1.0/oauth2/accessToken"]);
  });

  it("counts a session-webhook reply under its group's budget only, an API send under the app's too", () => {
    const { adapter } = withTokenCalls(BASE);
    expect(adapter.spendsAppBudget?.(sessionReply, text)).toBe(false);
    expect(adapter.spendsAppBudget?.(toGroup, text)).toBe(true);
    const card = { type: "card", card: { title: "KPI", tone: "info" } } as const;
    expect(withTokenCalls(WITH_CARDS).adapter.spendsAppBudget?.(sessionReply, card)).toBe(true);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Card } from "../../../../src/chat/card.ts";
import type { InboundAction, Target } from "../../../../src/chat/events.ts";
import { SendError } from "../../../../src/platforms/errors.ts";
import type { PlatformAdapter } from "../../../../src/platforms/types.ts";
import { createWeComAdapter } from "../../../../src/platforms/wecom/adapter.ts";
import { type FakeWeCom, startFakeWeCom } from "../../../fakes/wecom.ts";
import { nodeDecrypt, nodeSignature } from "../../../helpers/wecom-signer.ts";
import { appConfig, botConfig } from "./fixtures.ts";

const T0 = new Date("2026-11-26T01:00:00Z");
let clock = T0;
let fake: FakeWeCom;
let adapter: PlatformAdapter;

const card: Card = {
  title: "Confirm order",
  tone: "info",
  fields: [{ label: "Customer", value: "Acme" }],
  buttons: [{ label: "Confirm", action: "order.confirm", value: { order: "O-1" }, style: "primary" }],
};
const toMember: Target = { kind: "chat", platform: "wecom", chatId: "wangwei", chatKind: "direct" };

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SendError);
  return error as SendError;
}

beforeAll(async () => {
  fake = await startFakeWeCom({
    corpId: appConfig.corpId,
    secret: appConfig.secret,
    agentId: appConfig.agentId,
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  clock = T0;
  fake.reset();
  adapter = createWeComAdapter({
    app: { ...appConfig, apiBase: fake.url },
    bot: { ...botConfig, apiBase: fake.url },
    now: () => clock,
  });
});

const paths = () => fake.requests.map((request) => request.path.replace(/\?.*/, ""));

describe("wecom app messages", () => {
  it("sends text to a member with the agent id as a number, fetching the token once", async () => {
    const issued = fake.tokensIssued;
    const result = await adapter.send(toMember, { type: "text", text: "hello" }, "reply:1");
    await adapter.send(toMember, { type: "text", text: "again" }, "reply:2");
    expect(fake.tokensIssued - issued).toBe(1);
    expect(paths()).toEqual(["/cgi-bin/gettoken", "/cgi-bin/message/send", "/cgi-bin/message/send"]);
    expect(fake.delivered[0]?.body).toEqual({
      touser: "wangwei",
      agentid: 218,
      msgtype: "text",
      text: { content: "hello" },
    });
    expect(result).toEqual({ messageId: expect.any(String), handle: { channel: "app", userId: "wangwei" } });
  });

  it("refreshes the token before it expires", async () => {
    await adapter.send(toMember, { type: "text", text: "a" }, "k:1");
    clock = new Date(T0.getTime() + (7200 - 299) * 1000);
    await adapter.send(toMember, { type: "text", text: "b" }, "k:2");
    expect(paths().filter((path) => path === "/cgi-bin/gettoken")).toHaveLength(2);
  });

  it("refreshes once on 42001 and 40014, then retries the call", async () => {
    await adapter.send(toMember, { type: "text", text: "a" }, "k:1");
    fake.expireTokens(); // the cached token now answers 42001
    await adapter.send(toMember, { type: "text", text: "b" }, "k:2");
    fake.fail({ count: 1, status: 200, body: { errcode: 40014, errmsg: "invalid access_token" } });
    await adapter.send(toMember, { type: "text", text: "c" }, "k:3");
    expect(paths()).toEqual([
      "/cgi-bin/gettoken",
      "/cgi-bin/message/send",
      "/cgi-bin/message/send", // 42001
      "/cgi-bin/gettoken",
      "/cgi-bin/message/send",
      "/cgi-bin/message/send", // 40014
      "/cgi-bin/gettoken",
      "/cgi-bin/message/send",
    ]);
    expect(fake.delivered).toHaveLength(3);
  });

  it("gives up after one refresh when the token keeps being refused", async () => {
    fake.fail({ count: 2, status: 200, body: { errcode: 40014, errmsg: "invalid access_token" } });
    const error = await sendError(adapter.send(toMember, { type: "text", text: "a" }, "k:1"));
    expect([error.kind, error.platformCode]).toEqual(["permanent", 40014]);
  });

  it("fails permanently on a wrong secret without leaking it", async () => {
    const wrong = createWeComAdapter({
      app: { ...appConfig, apiBase: fake.url, secret: "nope" },
      now: () => clock,
    });
    const error = await sendError(wrong.send(toMember, { type: "text", text: "a" }, "k"));
    expect([error.kind, error.platformCode]).toEqual(["permanent", 40001]);
    expect(error.message).not.toContain("nope");
  });

  it("maps 45009 / 45033 / HTTP 429 to rate_limited, 5xx / -1 / network errors to transient", async () => {
    const cases: [Parameters<FakeWeCom["fail"]>[0], string, number | undefined][] = [
      [
        { count: 1, status: 200, body: { errcode: 45009, errmsg: "api freq out of limit" } },
        "rate_limited",
        60_000,
      ],
      [
        { count: 1, status: 200, body: { errcode: 45033, errmsg: "api concurrent out of limit" } },
        "rate_limited",
        60_000,
      ],
      [{ count: 1, status: 429, headers: { "retry-after": "7" } }, "rate_limited", 7000],
      [{ count: 1, status: 502 }, "transient", undefined],
      [{ count: 1, status: 200, body: { errcode: -1, errmsg: "system busy" } }, "transient", undefined],
      [
        { count: 1, status: 200, body: { errcode: 81013, errmsg: "user & party & tag all invalid" } },
        "permanent",
        undefined,
      ],
    ];
    for (const [outage, kind, retryAfterMs] of cases) {
      fake.fail(outage);
      const error = await sendError(adapter.send(toMember, { type: "text", text: "x" }, "k"));
      expect([error.kind, error.retryAfterMs]).toEqual([kind, retryAfterMs]);
    }
    const offline = createWeComAdapter({
      app: appConfig,
      fetch: () => Promise.reject(new TypeError("fetch failed")),
      now: () => clock,
    });
    expect((await sendError(offline.send(toMember, { type: "text", text: "x" }, "k"))).kind).toBe(
      "transient",
    );
  });

  it("sends a card as template_card and updates it with the response code, once", async () => {
    const sent = await adapter.send(toMember, { type: "card", card }, "order:O-1:confirm");
    expect(fake.delivered[0]?.body).toMatchObject({
      msgtype: "template_card",
      template_card: { card_type: "button_interaction", task_id: expect.any(String) },
    });
    const sentBody = fake.delivered[0]?.body as { template_card?: { task_id?: string } } | undefined;
    const taskId = sentBody?.template_card?.task_id;
    expect(sent.handle).toEqual({
      channel: "app",
      userId: "wangwei",
      taskId,
      responseCode: expect.any(String),
    });

    const done: Card = { title: "Order confirmed", tone: "success" };
    const update: Target = { kind: "update", platform: "wecom", handle: sent.handle ?? {} };
    await adapter.send(update, { type: "card", card: done }, "order:O-1:confirmed");
    expect(fake.delivered[1]).toEqual({
      path: expect.stringMatching(/^\/cgi-bin\/message\/update_template_card\?access_token=/),
      body: expect.objectContaining({
        userids: ["wangwei"],
        agentid: 218,
        response_code: sent.handle?.responseCode,
        template_card: expect.objectContaining({ task_id: taskId, card_type: "button_interaction" }),
      }),
    });
    // A response code is single use.
    const again = await sendError(adapter.send(update, { type: "text", text: "Done" }, "order:O-1:again"));
    expect(again.kind).toBe("permanent");
  });

  it("greys the clicked button with replace_name for a text update", async () => {
    const handle = { channel: "app", userId: "wangwei", taskId: "t-1", responseCode: "rc-click-7" };
    await adapter.send(
      { kind: "update", platform: "wecom", handle },
      { type: "text", text: "Confirmed" },
      "u",
    );
    expect(fake.delivered[0]?.body).toMatchObject({
      response_code: "rc-click-7",
      button: { replace_name: "Confirmed" },
    });
  });

  it("takes a card resent under its idempotency key (task_id exists, 42014) as sent by the first attempt", async () => {
    await adapter.send(toMember, { type: "card", card }, "digest:wangwei:2026-11-26");
    // The first answer was lost (a crash before the outbox marked it sent): the retry must not fail the row.
    const again = await adapter.send(toMember, { type: "card", card }, "digest:wangwei:2026-11-26");
    expect(again).toEqual({ handle: { channel: "app", userId: "wangwei", taskId: expect.any(String) } });
    expect(fake.delivered).toHaveLength(1);
    // Another 42014 cause (a text has no task id) stays a permanent error.
    fake.fail({ count: 1, status: 200, body: { errcode: 42014, errmsg: "taskid has existed" } });
    const error = await sendError(adapter.send(toMember, { type: "text", text: "hi" }, "reply:9"));
    expect([error.kind, error.platformCode]).toEqual(["permanent", 42014]);
  });

  it("refuses group chats, which only a group-robot webhook reaches", async () => {
    const group: Target = { kind: "chat", platform: "wecom", chatId: "wrk123", chatKind: "group" };
    expect((await sendError(adapter.send(group, { type: "text", text: "x" }, "k"))).kind).toBe("permanent");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("wecom prepareSends", () => {
  const webhook: Target = { kind: "webhook", platform: "wecom", chatId: "wr_robot_group" };
  const text = { type: "text", text: "x" } as const;

  it("fetches the app's token before app sends, once while it is fresh", async () => {
    await adapter.prepareSends([
      { target: webhook, message: text },
      { target: toMember, message: text },
    ]);
    await adapter.prepareSends([{ target: toMember, message: text }]);
    await adapter.send(toMember, text, "reply:1");
    expect(paths()).toEqual(["/cgi-bin/gettoken", "/cgi-bin/message/send"]);
  });

  it("fetches nothing for group-robot webhooks, nor without an app", async () => {
    await adapter.prepareSends([{ target: webhook, message: text }]);
    const botOnly = createWeComAdapter({ bot: { ...botConfig, apiBase: fake.url }, now: () => clock });
    await botOnly.prepareSends([{ target: toMember, message: text }]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("wecom group webhook", () => {
  it("posts markdown to the webhook given as a full URL or a bare key", async () => {
    const url = `${fake.url}/cgi-bin/webhook/send?key=${fake.webhookKey}`;
    await adapter.send({ kind: "webhook", platform: "wecom", url }, { type: "card", card }, "digest:1");
    await adapter.send(
      { kind: "webhook", platform: "wecom", url: fake.webhookKey },
      { type: "text", text: "x" },
      "k",
    );
    expect(fake.delivered.map((delivery) => (delivery.body as { msgtype: string }).msgtype)).toEqual([
      "markdown",
      "text",
    ]);
    expect(fake.delivered[0]?.path).toBe(`/cgi-bin/webhook/send?key=${fake.webhookKey}`);
  });

  it("refuses webhook URLs that point anywhere but the API base (no SSRF), without calling them", async () => {
    for (const url of [
      `https://evil.example/cgi-bin/webhook/send?key=${fake.webhookKey}`,
      `${fake.url}/cgi-bin/message/send?key=${fake.webhookKey}`,
      `${fake.url.replace("127.0.0.1", "localhost")}/cgi-bin/webhook/send?key=${fake.webhookKey}`,
      "file:///etc/passwd",
      "not a url",
    ]) {
      const error = await sendError(
        adapter.send({ kind: "webhook", platform: "wecom", url }, { type: "text", text: "x" }, "k"),
      );
      expect(error.kind).toBe("permanent");
      expect(error.message).not.toContain(fake.webhookKey);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("maps 93000 (webhook invalid) to permanent and 45009 to rate_limited", async () => {
    const gone = `${fake.url}/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000`;
    const error = await sendError(
      adapter.send({ kind: "webhook", platform: "wecom", url: gone }, { type: "text", text: "x" }, "k"),
    );
    expect([error.kind, error.platformCode]).toEqual(["permanent", 93000]);
    fake.fail({ count: 1, status: 200, body: { errcode: 45009, errmsg: "api freq out of limit" } });
    const limited = await sendError(
      adapter.send(
        { kind: "webhook", platform: "wecom", url: fake.webhookKey },
        { type: "text", text: "x" },
        "k",
      ),
    );
    expect([limited.kind, limited.retryAfterMs]).toEqual(["rate_limited", 60_000]);
  });
});

describe("wecom intelligent robot", () => {
  const botHandle = (responseUrl: string) => ({
    channel: "bot",
    responseUrl,
    chatId: "wrk123",
    chatKind: "group",
    userId: "lina",
    taskId: "task-7",
  });

  it("replies once through the response_url, as markdown or template_card", async () => {
    const responseUrl = fake.responseUrl();
    const reply: Target = { kind: "reply", platform: "wecom", handle: botHandle(responseUrl) };
    // A text is text: on this markdown-only channel its asterisks are defused, never bold.
    await adapter.send(reply, { type: "text", text: "**3** open orders" }, "reply:bot:1");
    expect(fake.delivered[0]).toEqual({
      path: expect.stringMatching(/^\/cgi-bin\/aibot\/response\?response_code=/),
      body: { msgtype: "markdown", markdown: { content: "\u200B*\u200B*\u200B3*\u200B*\u200B open orders" } },
    });
    const reused = await sendError(adapter.send(reply, { type: "card", card }, "reply:bot:2"));
    expect(reused.kind).toBe("permanent");
    const fresh: Target = { kind: "reply", platform: "wecom", handle: botHandle(fake.responseUrl()) };
    await adapter.send(fresh, { type: "card", card }, "reply:bot:3");
    expect(fake.delivered[1]?.body).toMatchObject({ msgtype: "template_card" });
  });

  it("refuses a response_url on another host", async () => {
    const reply: Target = {
      kind: "reply",
      platform: "wecom",
      handle: botHandle("https://evil.example/cgi-bin/aibot/response?response_code=x"),
    };
    expect((await sendError(adapter.send(reply, { type: "text", text: "x" }, "k"))).kind).toBe("permanent");
    expect(fake.requests).toHaveLength(0);
  });

  const click = (channel: "app" | "bot"): InboundAction => ({
    kind: "action",
    platform: "wecom",
    dedupKey: "wecom:bot:m1",
    actionId: "order.confirm",
    value: { order: "O-1" },
    form: {},
    operator: { id: "lina" },
    chat: { id: "wrk123", kind: "group" },
    message:
      channel === "bot"
        ? botHandle(fake.responseUrl())
        : { channel: "app", userId: "lina", taskId: "t", responseCode: "r" },
  });

  it("answers a robot card click with an encrypted update_template_card passive reply", async () => {
    const response = await adapter.answerAction(click("bot"), {
      card: { title: "Order confirmed", tone: "success" },
    });
    if (!response) throw new Error("expected a passive reply");
    const sealed = (await response.json()) as {
      encrypt: string;
      msgsignature: string;
      timestamp: string;
      nonce: string;
    };
    expect(sealed.timestamp).toBe(String(T0.getTime() / 1000));
    expect(sealed.msgsignature).toBe(
      nodeSignature(botConfig.token, sealed.timestamp, sealed.nonce, sealed.encrypt),
    );
    const { message, receiveId } = nodeDecrypt(botConfig.encodingAesKey, sealed.encrypt);
    expect(receiveId).toBe("");
    expect(JSON.parse(message)).toEqual({
      response_type: "update_template_card",
      template_card: expect.objectContaining({
        card_type: "button_interaction",
        main_title: { title: "Order confirmed" },
        task_id: "task-7",
      }),
    });
  });

  it("leaves app clicks and card-less results to the outbox", async () => {
    expect(await adapter.answerAction(click("app"), { card })).toBeNull();
    expect(await adapter.answerAction(click("bot"), { toast: { kind: "info", text: "ok" } })).toBeNull();
  });
});

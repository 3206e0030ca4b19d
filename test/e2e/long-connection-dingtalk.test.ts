// DingTalk Stream end to end: the real `dingtalk-stream` client in the real Node server, against a fake gateway.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk.ts";
import {
  DINGTALK_TOPICS,
  type FakeDingTalkGateway,
  startFakeDingTalkGateway,
} from "../fakes/dingtalk-gateway.ts";
import { dingtalkCardCallback, dingtalkRobotMessage } from "../helpers/dingtalk-signer.ts";
import { type LongConnectionServer, startLongConnectionServer } from "../helpers/long-connection-server.ts";

const APP = {
  clientId: "ding-stream-client",
  clientSecret: "dingtalk-stream-secret",
  robotCode: "ding-stream-robot",
  cardTemplateId: "stream-template.schema",
};

let gateway: FakeDingTalkGateway;
let dingtalk: FakeDingTalk;
let bot: LongConnectionServer;

// One server for the file (starting one migrates a database); each test uses its own message ids, in order.
beforeAll(async () => {
  gateway = await startFakeDingTalkGateway(APP);
  dingtalk = await startFakeDingTalk({ ...APP, gateway });
  bot = await startLongConnectionServer(
    {
      DINGTALK_CLIENT_ID: APP.clientId,
      DINGTALK_CLIENT_SECRET: APP.clientSecret,
      DINGTALK_ROBOT_CODE: APP.robotCode,
      DINGTALK_CARD_TEMPLATE_ID: APP.cardTemplateId,
      DINGTALK_API_BASE: dingtalk.url,
      DINGTALK_OAPI_BASE: dingtalk.url,
      DINGTALK_TRANSPORT: "stream",
    },
    { secrets: [APP.clientSecret] },
  );
  await gateway.connected();
});
afterAll(async () => {
  await bot.close();
  await Promise.all([gateway.close(), dingtalk.close()]);
});

const robotMessage = (text: string, msgId: string, conversationId = "cidStreamOps==") =>
  dingtalkRobotMessage({
    text,
    msgId,
    overrides: { conversationId, sessionWebhook: dingtalk.sessionWebhookUrl(`s-${msgId}`) },
  });

const sessionReplies = (msgId: string) =>
  dingtalk.delivered.filter(
    (delivery) => delivery.path === `/robot/sendBySession?session=s-${encodeURIComponent(msgId)}`,
  );

type Button = { text: string; action: string; value: string };
const buttonsOf = (params: Record<string, string> | undefined): Button[] =>
  JSON.parse(params?.buttons ?? "[]") as Button[];

describe("DingTalk Stream", () => {
  it("subscribes to robot messages and card callbacks, and replies to a message through the outbox", async () => {
    expect(gateway.subscriptions[0]).toEqual([
      { type: "CALLBACK", topic: DINGTALK_TOPICS.robot },
      { type: "CALLBACK", topic: DINGTALK_TOPICS.card },
    ]);
    const health = await fetch(`${bot.server.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", db: "ok", connections: { dingtalk: "connected" } });

    expect(await gateway.push(DINGTALK_TOPICS.robot, robotMessage("/foo", "msgStreamOne"))).toEqual({
      response: {},
    });
    await vi.waitFor(() => expect(sessionReplies("msgStreamOne")).toHaveLength(1), { interval: 20 });
    expect(JSON.stringify(sessionReplies("msgStreamOne")[0]?.body)).toContain("/foo");
    expect(bot.logLines.join("\n")).toContain('"transports":{"dingtalk":"stream"}');
  });

  it("answers a card click with the new card data in the ack; the card was sent for Stream callbacks", async () => {
    await gateway.push(DINGTALK_TOPICS.robot, robotMessage("/帮助 帮助", "msgStreamCard"));
    await vi.waitFor(
      () =>
        expect(
          dingtalk.delivered.filter((d) => d.path === "/v1.0/card/instances/createAndDeliver"),
        ).toHaveLength(1),
      { interval: 20 },
    );
    const delivery = dingtalk.delivered.find((d) => d.path === "/v1.0/card/instances/createAndDeliver")
      ?.body as {
      outTrackId: string;
      callbackType: string;
      callbackRouteKey?: string;
    };
    expect(delivery.callbackType).toBe("STREAM");
    expect(delivery.callbackRouteKey).toBeUndefined();
    const [english] = buttonsOf(dingtalk.cards.get(delivery.outTrackId)?.cardParamMap);

    const ack = (await gateway.push(
      DINGTALK_TOPICS.card,
      dingtalkCardCallback({
        outTrackId: delivery.outTrackId,
        params: { action: english?.action, value: english?.value },
      }),
    )) as { response: { cardData?: { cardParamMap: Record<string, string> } } };
    expect(ack.response.cardData?.cardParamMap.title).toBe("/help · /帮助");
    // The ack carried the card: no update went out.
    expect(dingtalk.delivered.filter((d) => d.path === "/v1.0/card/instances")).toHaveLength(0);
  });

  it("logs bad frames and goes on", async () => {
    gateway.sendRaw("{not json");
    gateway.sendRaw(JSON.stringify({ type: "CALLBACK" }));
    // No message id to acknowledge it under: taken, logged, not a crash.
    gateway.sendRaw(
      JSON.stringify({
        type: "CALLBACK",
        headers: { topic: DINGTALK_TOPICS.robot },
        data: JSON.stringify(robotMessage("/foo", "msgStreamNoId")),
      }),
    );
    expect(await gateway.push(DINGTALK_TOPICS.robot, "not an object")).toEqual({ response: {} });
    // Not a message the bot handles: acknowledged, ignored.
    expect(await gateway.push(DINGTALK_TOPICS.robot, { msgtype: "text" })).toEqual({ response: {} });

    await gateway.push(DINGTALK_TOPICS.robot, robotMessage("/foo", "msgStreamAfterBad"));
    await vi.waitFor(() => expect(sessionReplies("msgStreamAfterBad")).toHaveLength(1), { interval: 20 });
    const logs = bot.logLines.join("\n");
    expect(logs.match(/"event":"dingtalk.stream.bad_frame"/g)).toHaveLength(3);
    expect(logs.match(/"event":"dingtalk.stream.bad_event"/g)).toHaveLength(1);
  });

  it("loses nothing and answers nothing twice when the connection drops in the middle of a burst", async () => {
    const ids = Array.from({ length: 30 }, (_, n) => `msgStreamBurst${n}`);
    const pushOne = (id: string, n: number) =>
      gateway.push(DINGTALK_TOPICS.robot, robotMessage("/foo", id, `cidBurst${n}==`));
    const first = ids.slice(0, 15).map(pushOne);
    await Promise.all(first.slice(0, 5));
    const rest = ids.slice(15).map((id, n) => pushOne(id, n + 15));
    gateway.drop();
    await Promise.all([...first, ...rest]);
    expect(gateway.counts.redelivered).toBeGreaterThan(0);
    expect(gateway.counts.connections).toBeGreaterThan(1);

    await vi.waitFor(() => expect(ids.every((id) => sessionReplies(id).length > 0)).toBe(true), {
      timeout: 20_000,
      interval: 50,
    });
    // Counted at the fake DingTalk: one reply to each message, none twice.
    expect(ids.map((id) => sessionReplies(id).length)).toEqual(ids.map(() => 1));
    const rows = await bot.stopAndRead();
    const keys = rows.inbox.map((row) => row.dedupKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => key.includes("Burst")).sort()).toEqual(
      ids.map((id) => `dingtalk:msg:${id}`).sort(),
    );
    expect(rows.inbox.every((row) => row.status === "done")).toBe(true);
    const sent = rows.outbox.filter((row) => row.idempotencyKey.includes("Burst"));
    expect(sent.map((row) => [row.status, row.attempts])).toEqual(ids.map(() => ["sent", 1]));
  });
});

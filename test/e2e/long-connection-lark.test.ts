// Lark over its long connection, end to end: the real SDK WSClient in the real Node server, against a fake gateway.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeLark, startFakeLark } from "../fakes/lark.ts";
import { encodeFrame } from "../fakes/lark-frame.ts";
import { type FakeLarkGateway, startFakeLarkGateway } from "../fakes/lark-gateway.ts";
import { larkCardAction, larkMessageEvent } from "../helpers/lark-signer.ts";
import { type LongConnectionServer, startLongConnectionServer } from "../helpers/long-connection-server.ts";

type Json = Record<string, unknown>;

/** The SDK connects only with an app id of this shape. */
const APP = { appId: "cli_a1b2c3d4e5f60718", appSecret: "lark-ws-app-secret", token: "lark-ws-verify-token" };

let gateway: FakeLarkGateway;
let lark: FakeLark;
let bot: LongConnectionServer;

// One server for the file (starting one migrates a database); each test uses its own message ids, in order.
beforeAll(async () => {
  gateway = await startFakeLarkGateway(APP);
  lark = await startFakeLark({ appId: APP.appId, appSecret: APP.appSecret, gateway });
  bot = await startLongConnectionServer(
    {
      LARK_APP_ID: APP.appId,
      LARK_APP_SECRET: APP.appSecret,
      LARK_VERIFICATION_TOKEN: APP.token,
      LARK_API_BASE: lark.url,
      LARK_TRANSPORT: "ws",
    },
    { secrets: [APP.appSecret] },
  );
  await gateway.connected();
});
afterAll(async () => {
  await bot.close();
  await Promise.all([gateway.close(), lark.close()]);
});

const message = (text: string, messageId: string, chatId = "oc_ws_ops") =>
  larkMessageEvent({ token: APP.token, text, messageId, chatId });

const health = async () => {
  const response = await fetch(`${bot.server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Json };
};

const repliesTo = (messageId: string) =>
  lark.delivered.filter((delivery) => delivery.path === `/open-apis/im/v1/messages/${messageId}/reply`);

const contentOf = (delivery: { body: unknown } | undefined) =>
  JSON.parse((delivery?.body as { content: string } | undefined)?.content ?? "{}") as Json;

const titleOf = (card: Json) => (card.header as { title: { content: string } }).title.content;

function buttonValues(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(buttonValues);
  if (typeof node !== "object" || node === null) return [];
  const element = node as Json;
  if (element.tag === "button") return [(element.behaviors as { value: Json }[])[0]?.value ?? {}];
  return Object.values(element).flatMap(buttonValues);
}

describe("Lark long connection", () => {
  it("reports itself connected, takes a message like a webhook one and replies through the outbox", async () => {
    expect(await health()).toEqual({
      status: 200,
      body: { status: "ok", db: "ok", connections: { lark: "connected" } },
    });
    const ack = await gateway.push(message("/help", "om_ws_help"));
    expect(ack).toEqual({ code: 200 });
    await vi.waitFor(() => expect(repliesTo("om_ws_help")).toHaveLength(1), { interval: 20 });
    expect(titleOf(contentOf(repliesTo("om_ws_help")[0]))).toBe("Commands");
    expect(bot.logLines.join("\n")).toContain('"transports":{"lark":"ws"}');
    expect(bot.logLines.join("\n")).not.toContain(APP.appSecret);
  });

  it("answers a card click with the new card in the frame's ack", async () => {
    await gateway.push(message("/帮助", "om_ws_card"));
    await vi.waitFor(() => expect(repliesTo("om_ws_card")).toHaveLength(1), { interval: 20 });
    const chinese = contentOf(repliesTo("om_ws_card")[0]);
    expect(titleOf(chinese)).toBe("命令列表");
    const [english] = buttonValues(chinese);

    const ack = await gateway.push(
      larkCardAction({ token: APP.token, value: english, eventId: "ev_ws_click", chatId: "oc_ws_ops" }),
    );
    expect(ack.code).toBe(200);
    const answer = ack.data as { card?: { type: string; data: Json } };
    expect(answer.card?.type).toBe("raw");
    expect(titleOf(answer.card?.data as Json)).toBe("Commands");
    // The answer carried the card: nothing more went to Lark.
    expect(lark.delivered.filter((delivery) => !delivery.path.includes("om_ws_help"))).toHaveLength(1);
  });

  it("logs bad frames and goes on", async () => {
    gateway.sendRaw(Uint8Array.from([0xff, 0xff, 0xff]));
    gateway.sendRaw(
      encodeFrame({
        SeqID: 1,
        LogID: 1,
        service: 7,
        method: 1,
        headers: [
          { key: "type", value: "event" },
          { key: "message_id", value: "bad_json" },
          { key: "sum", value: "1" },
          { key: "seq", value: "0" },
        ],
        payload: new TextEncoder().encode("{not json"),
      }),
    );
    const malformed = await gateway.push({
      schema: "2.0",
      header: { event_id: "ev_bad", event_type: "im.message.receive_v1" },
      event: { message: "missing everything" },
    });
    expect(malformed.code).toBe(200);
    expect(await gateway.push([1, 2, 3])).toEqual({ code: 200 });

    await gateway.push(message("/help", "om_ws_after_bad"));
    await vi.waitFor(() => expect(repliesTo("om_ws_after_bad")).toHaveLength(1), { interval: 20 });
    const logs = bot.logLines.join("\n");
    expect(logs).toContain('"event":"lark.ws.bad_event"');
    expect(logs).toMatch(/"event":"lark.ws.sdk".*failed to handle inbound frame/);
    expect(logs).toMatch(/"event":"lark.ws.sdk".*failed to merge event fragments/);
  });

  it("is down in /healthz (503) after a minute without a connection, and connected again after", async () => {
    gateway.refuseConnections(true);
    gateway.drop();
    await vi.waitFor(
      () =>
        expect(
          lark.requests.filter(
            (request) => request.path.startsWith("/callback/ws/endpoint") && request.status === 500,
          ),
        ).not.toHaveLength(0),
      { interval: 20 },
    );
    expect(await health()).toMatchObject({ status: 200, body: { connections: { lark: "connecting" } } });
    bot.advance(61_000);
    expect(await health()).toEqual({
      status: 503,
      body: { status: "error", db: "ok", connections: { lark: "down" } },
    });

    gateway.refuseConnections(false);
    await gateway.connected();
    await vi.waitFor(async () => expect((await health()).status).toBe(200), { interval: 20 });
    expect((await health()).body.connections).toEqual({ lark: "connected" });
  });
  it("loses nothing and answers nothing twice when the connection drops in the middle of a burst", async () => {
    const ids = Array.from({ length: 40 }, (_, n) => `om_ws_burst_${n}`);
    const first = ids.slice(0, 20).map((id, n) => gateway.push(message("/help", id, `oc_ws_${n % 8}`)));
    // Some acknowledged, then the rest sent and the connection cut before any of them can be.
    await Promise.all(first.slice(0, 5));
    const rest = ids.slice(20).map((id, n) => gateway.push(message("/help", id, `oc_ws_${n % 8}`)));
    gateway.drop();
    const acks = await Promise.all([...first, ...rest]);
    expect(acks.every((ack) => ack.code === 200)).toBe(true);
    expect(gateway.counts.redelivered).toBeGreaterThan(0);
    expect(gateway.counts.connections).toBeGreaterThan(1);

    const burstPaths = () =>
      lark.delivered.map((delivery) => delivery.path).filter((path) => path.includes("burst"));
    await vi.waitFor(() => expect(burstPaths().length).toBeGreaterThanOrEqual(ids.length), {
      timeout: 20_000,
      interval: 50,
    });
    // Counted at the fake Lark: one reply to each message, none twice.
    expect(burstPaths().sort()).toEqual(ids.map((id) => `/open-apis/im/v1/messages/${id}/reply`).sort());
    // And in the tables: every event of the file stored once and done, every reply sent once.
    const rows = await bot.stopAndRead();
    const keys = rows.inbox.map((row) => row.dedupKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => key.includes("burst")).sort()).toEqual(
      ids.map((id) => `lark:msg:${id}`).sort(),
    );
    expect(rows.inbox.every((row) => row.status === "done")).toBe(true);
    const sent = rows.outbox.filter((row) => row.idempotencyKey.includes("burst"));
    expect(sent.map((row) => [row.status, row.attempts])).toEqual(ids.map(() => ["sent", 1]));
  });
});

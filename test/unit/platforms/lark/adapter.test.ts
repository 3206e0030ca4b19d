// createLarkAdapter end to end: signed webhook requests in, card answers, and sends to the fake Lark.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Card } from "../../../../src/chat/card.ts";
import type { InboundAction } from "../../../../src/chat/events.ts";
import type { LarkConfig } from "../../../../src/config/parse-env.ts";
import { SendError, WebhookError } from "../../../../src/platforms/errors.ts";
import { createLarkAdapter } from "../../../../src/platforms/lark/adapter.ts";
import { renderLarkCard } from "../../../../src/platforms/lark/render.ts";
import type { PlatformAdapter } from "../../../../src/platforms/types.ts";
import { type FakeLark, startFakeLark } from "../../../fakes/lark.ts";
import {
  LARK_SIGNED_AT,
  larkCardAction,
  larkMessageEvent,
  larkUrlVerification,
  signLarkRequest,
} from "../../../helpers/lark-signer.ts";
import { webhookRequest } from "./request.ts";

const APP = { appId: "cli_a1b2c3d4e5f60718", appSecret: "app-secret-1" };
const KEY = "enc-key-1";
const TOKEN = "vt-1";
const card: Card = {
  title: "Order O-20261126-001",
  tone: "success",
  fields: [{ label: "Status", value: "Confirmed" }],
  buttons: [{ label: "Done", action: "order.done", value: { id: "O-20261126-001" } }],
};

let fake: FakeLark;
let adapter: PlatformAdapter;
let config: LarkConfig;

beforeAll(async () => {
  fake = await startFakeLark(APP);
  config = { ...APP, verificationToken: TOKEN, encryptKey: KEY, apiBase: fake.url };
  adapter = createLarkAdapter({ config, now: () => LARK_SIGNED_AT });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const signed = (payload: unknown) => webhookRequest(signLarkRequest(payload, { encryptKey: KEY }));

describe("receive", () => {
  it("turns a signed message into an event acked with 200 {}", async () => {
    const outcome = await adapter.receive(
      signed(larkMessageEvent({ token: TOKEN, text: "/help", messageId: "om_in_1", chatId: "oc_ops" })),
    );
    expect(outcome.kind).toBe("event");
    if (outcome.kind !== "event") return;
    expect(outcome.event).toMatchObject({ kind: "message", dedupKey: "lark:msg:om_in_1", text: "/help" });
    expect(outcome.ack.status).toBe(200);
    expect(await outcome.ack.json()).toEqual({});
  });

  it("turns a signed card click into an action event", async () => {
    const outcome = await adapter.receive(
      signed(larkCardAction({ token: TOKEN, eventId: "ev_c1", value: { action: "order.done", id: "O-1" } })),
    );
    expect(outcome).toMatchObject({ kind: "event", event: { kind: "action", actionId: "order.done" } });
  });

  it("answers url_verification with the challenge and nothing to store", async () => {
    const request = webhookRequest(
      signLarkRequest(larkUrlVerification(TOKEN, "ch-9"), { encryptKey: KEY, unsigned: true }),
    );
    const outcome = await adapter.receive(request);
    expect(outcome.kind).toBe("handshake");
    if (outcome.kind !== "handshake") return;
    expect(outcome.response.status).toBe(200);
    expect(await outcome.response.json()).toEqual({ challenge: "ch-9" });
  });

  it("acknowledges other verified events with 200 {} and no event", async () => {
    const other = {
      schema: "2.0",
      header: { event_id: "e", event_type: "im.chat.updated_v1", token: TOKEN },
    };
    const outcome = await adapter.receive(signed(other));
    expect(outcome.kind).toBe("ignored");
    if (outcome.kind !== "ignored") return;
    expect(await outcome.response.json()).toEqual({});
  });

  it("refuses sub-routes and other methods", async () => {
    const message = larkMessageEvent({ token: TOKEN, text: "/help" });
    for (const overrides of [{ route: "cards" }, { method: "GET" }]) {
      const request = webhookRequest(signLarkRequest(message, { encryptKey: KEY }), overrides);
      const error = await adapter.receive(request).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(WebhookError);
      expect((error as WebhookError).code).toBe("malformed");
    }
  });

  it("refuses an unsigned event (fails closed)", async () => {
    const request = webhookRequest(
      signLarkRequest(larkMessageEvent({ token: TOKEN, text: "/help" }), { encryptKey: KEY, unsigned: true }),
    );
    await expect(adapter.receive(request)).rejects.toMatchObject({ code: "missing_signature", status: 401 });
  });
});

describe("answerAction", () => {
  const action = {} as InboundAction;

  it("answers with a toast and the replacement 2.0 card", async () => {
    const response = await adapter.answerAction(action, { toast: { kind: "success", text: "Done" }, card });
    expect(response?.status).toBe(200);
    expect(await response?.json()).toEqual({
      toast: { type: "success", content: "Done" },
      card: { type: "raw", data: renderLarkCard(card) },
    });
  });

  it("answers {} when there is nothing to show", async () => {
    expect(await (await adapter.answerAction(action, {}))?.json()).toEqual({});
  });
});

describe("send", () => {
  it("sends a card to a chat and returns a handle for later updates", async () => {
    const result = await adapter.send(
      { kind: "chat", platform: "lark", chatId: "oc_ops", chatKind: "group" },
      { type: "card", card },
      "card:oc_ops:1",
    );
    expect(result.messageId).toMatch(/^om_/);
    expect(result.handle).toEqual({ messageId: result.messageId, chatId: "oc_ops" });
    const sent = fake.delivered.at(-1)?.body as { msg_type: string; content: string };
    expect(sent.msg_type).toBe("interactive");
    expect(JSON.parse(sent.content)).toEqual(renderLarkCard(card));
  });

  it("replies to the message a handle points at", async () => {
    const result = await adapter.send(
      { kind: "reply", platform: "lark", handle: { messageId: "om_in_1", chatId: "oc_ops" } },
      { type: "text", text: "Unknown command" },
      "reply:om_in_1",
    );
    expect(fake.delivered.at(-1)?.path).toBe("/open-apis/im/v1/messages/om_in_1/reply");
    expect(result.handle).toEqual({ messageId: result.messageId, chatId: "oc_ops" });
  });

  it("updates a card in place by PATCHing its message id", async () => {
    const sent = await adapter.send(
      { kind: "chat", platform: "lark", chatId: "oc_ops", chatKind: "group" },
      { type: "card", card },
      "card:oc_ops:2",
    );
    const done: Card = { ...card, tone: "neutral", buttons: [], note: "Completed" };
    await adapter.send(
      { kind: "update", platform: "lark", handle: { messageId: sent.messageId, cardToken: "c-1" } },
      { type: "card", card: done },
      "update:1",
    );
    const patch = fake.delivered.at(-1);
    expect(patch?.path).toBe(`/open-apis/im/v1/messages/${sent.messageId}`);
    expect(JSON.parse((patch?.body as { content: string } | undefined)?.content ?? "")).toEqual(
      renderLarkCard(done),
    );
  });

  it("replaces a card with text as a 2.0 card", async () => {
    await adapter.send(
      { kind: "update", platform: "lark", handle: { messageId: "om_elsewhere" } },
      { type: "text", text: "Cancelled" },
      "update:2",
    );
    expect(fake.delivered.at(-1)?.path).toBe("/open-apis/im/v1/messages/om_elsewhere");
  });

  it("uses the callback token when the handle has no message id", async () => {
    await adapter.send(
      { kind: "update", platform: "lark", handle: { cardToken: "c-only" } },
      { type: "card", card },
      "update:3",
    );
    expect(fake.delivered.at(-1)?.path).toBe("/open-apis/interactive/v1/card/update");
  });

  it("refuses targets it cannot reach as permanent", async () => {
    for (const target of [
      { kind: "webhook", platform: "lark", url: "https://example.com/hook" },
      { kind: "reply", platform: "lark", handle: {} },
      { kind: "update", platform: "lark", handle: {} },
    ] as const) {
      const error = await adapter
        .send(target, { type: "text", text: "x" }, "k")
        .catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(SendError);
      expect((error as SendError).kind).toBe("permanent");
    }
    expect(fake.delivered).toHaveLength(0);
  });

  it("declares Lark's limits: 5 per second per chat, 50 per second and 1,000 a minute per app", () => {
    expect(adapter.limits).toEqual({
      app: { count: 50, perMs: 1000 },
      appCaps: [{ count: 1000, perMs: 60_000 }],
      target: { count: 5, perMs: 1000 },
      account: config.appId,
    });
  });
});

describe("prepareSends", () => {
  it("fetches the tenant token before the sends, once while it is fresh", async () => {
    const fresh = createLarkAdapter({ config, now: () => LARK_SIGNED_AT });
    const target = { kind: "chat", platform: "lark", chatId: "oc_ops", chatKind: "group" } as const;
    const message = { type: "text", text: "x" } as const;
    await fresh.prepareSends([{ target, message }]);
    await fresh.prepareSends([{ target, message }]);
    await fresh.send(target, message, "prepared:1");
    expect(fake.requests.map((request) => request.path.replace(/\?.*/, ""))).toEqual([
      "/open-apis/auth/v3/tenant_access_token/internal",
      "/open-apis/im/v1/messages",
    ]);
  });
});

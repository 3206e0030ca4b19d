import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { createDispatcher, type EventHandler } from "../../../src/bot/dispatch.ts";
import type { InboundAction, InboundMessage } from "../../../src/chat/events.ts";
import { openPostgres } from "../../../src/db/postgres.ts";
import { inbox as inboxTable } from "../../../src/db/schema/index.ts";
import { createBackgroundTracker } from "../../../src/entry/compose/background-tracker.ts";
import { createInbox, LEASE_MS } from "../../../src/inbox/inbox.ts";
import { createLogger, silentLogger } from "../../../src/log.ts";
import { createLarkAdapter } from "../../../src/platforms/lark/adapter.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import {
  LARK_SIGNED_AT,
  larkCardAction,
  larkEncrypt,
  larkMessageEvent,
  signLarkRequest,
} from "../../helpers/lark-signer.ts";

const LARK = {
  appId: "cli_test",
  appSecret: "lark-app-secret-value",
  verificationToken: "lark-verification-token",
  encryptKey: "lark-encrypt-key-value",
  apiBase: "http://127.0.0.1:9",
};

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

function setup(
  options: {
    actionDeadlineMs?: number;
    slowAction?: Promise<void>;
    /** How many follow-ups fail before one is stored, as a process dying before it stored the update. */
    failingFollowUps?: number;
    processing?: { idle: number; busy: number; maxWaiting: number };
  } = {},
) {
  const clock = { at: LARK_SIGNED_AT };
  const now = () => clock.at;
  let failingFollowUps = options.failingFollowUps ?? 0;
  const lines: string[] = [];
  const log = createLogger({ write: (line) => lines.push(line), secrets: [LARK.appSecret, LARK.encryptKey] });
  const tracker = createBackgroundTracker(log);
  const messages: InboundMessage[] = [];
  const actions: InboundAction[] = [];
  const followUps: InboundAction[] = [];
  const handler: EventHandler = {
    message: async (event) => {
      messages.push(event);
      return { settled: Promise.resolve() };
    },
    action: async (event) => {
      actions.push(event);
      await options.slowAction;
      return { toast: { kind: "success", text: "done" }, card: { title: "Confirmed", tone: "success" } };
    },
    actionFollowUp: async (event) => {
      if (failingFollowUps-- > 0) throw new Error("the process died before the update was stored");
      followUps.push(event);
      return { settled: Promise.resolve() };
    },
  };
  const inbox = createInbox({ database, now, log });
  const dispatch = createDispatcher({
    inbox,
    handler,
    background: tracker.track,
    log,
    ...(options.actionDeadlineMs !== undefined ? { actionDeadlineMs: options.actionDeadlineMs } : {}),
    ...(options.processing ? { processing: options.processing } : {}),
  });
  const app = createApp({
    database,
    adapters: { lark: createLarkAdapter({ config: LARK, now }) },
    dispatch,
    now,
    log,
  });
  return { app, dispatch, tracker, clock, messages, actions, followUps, lines };
}

const signedMessage = (messageId: string, text = "/help") =>
  signLarkRequest(larkMessageEvent({ token: LARK.verificationToken, text, messageId }), {
    encryptKey: LARK.encryptKey,
  });

const post = (path: string, request: { body: string; headers: Record<string, string> }) => ({
  path,
  init: { method: "POST", body: request.body, headers: request.headers },
});

describe("GET /healthz", () => {
  it("answers ok when the database answers", async () => {
    const { app } = setup();
    const response = await app.request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 when the database does not", async () => {
    const unreachable = openPostgres("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    const tracker = createBackgroundTracker(silentLogger);
    const inbox = createInbox({ database: unreachable, now: () => LARK_SIGNED_AT, log: silentLogger });
    const dispatch = createDispatcher({
      inbox,
      handler: {
        message: async () => ({ settled: Promise.resolve() }),
        action: async () => ({}),
        actionFollowUp: async () => ({ settled: Promise.resolve() }),
      },
      background: tracker.track,
      log: silentLogger,
    });
    const app = createApp({
      database: unreachable,
      adapters: {},
      dispatch,
      now: () => LARK_SIGNED_AT,
      log: silentLogger,
    });
    const response = await app.request("/healthz");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "error", db: "unavailable" });
    await unreachable.close();
  });
});

describe("webhook routes", () => {
  it("stores a verified message, acks it, and hands it to the bot in the background", async () => {
    const { app, tracker, messages } = setup();
    const { path, init } = post("/webhooks/lark", signedMessage("om_1"));
    const response = await app.request(path, init);
    expect(response.status).toBe(200);
    await tracker.drain();
    expect(messages.map((m) => m.messageId)).toEqual(["om_1"]);
    const rows = await database.db.select().from(inboxTable);
    expect(rows.map((row) => [row.dedupKey, row.status])).toEqual([["lark:msg:om_1", "done"]]);
  });

  it("keeps a backlog beyond its in-memory room in the inbox and processes every message of it once", async () => {
    const { app, tracker, messages } = setup({ processing: { idle: 1, busy: 1, maxWaiting: 2 } });
    const ids = Array.from({ length: 12 }, (_, i) => `om_backlog_${i}`);
    const answers = await Promise.all(
      ids.map((id) => {
        const { path, init } = post("/webhooks/lark", signedMessage(id));
        return app.request(path, init);
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
    await tracker.drain();
    expect(messages.map((m) => m.messageId).sort()).toEqual([...ids].sort());
    const rows = await database.db.select().from(inboxTable);
    expect(rows.filter((row) => row.status === "done")).toHaveLength(12);
  });

  it("starts no processing while a request is being answered, and runs what waited once none is", async () => {
    const { app, dispatch, tracker, messages } = setup();
    let answered = () => {};
    const otherRequest = dispatch.answering(
      () =>
        new Promise<void>((resolve) => {
          answered = resolve;
        }),
    );
    const { path, init } = post("/webhooks/lark", signedMessage("om_waits"));
    expect((await app.request(path, init)).status).toBe(200);
    await tracker.drain();
    expect(messages).toEqual([]);
    // Stored claimed by this process, for its work to start without a claim of its own; not started yet.
    const [stored] = await database.db.select().from(inboxTable);
    expect(stored).toMatchObject({ status: "processing", attempts: 1, finishedAt: null });
    answered();
    await otherRequest;
    await tracker.drain();
    expect(messages.map((m) => m.messageId)).toEqual(["om_waits"]);
  });

  it("acks every request of a burst before it processes any of them, then processes each once", async () => {
    const { app, tracker, messages } = setup();
    const order: string[] = [];
    const ids = Array.from({ length: 8 }, (_, i) => `om_burst_${i}`);
    await Promise.all(
      ids.map(async (id) => {
        const { path, init } = post("/webhooks/lark", signedMessage(id));
        expect((await app.request(path, init)).status).toBe(200);
        order.push("acked");
        // Whatever was processed by the time this ack came back.
        order.push(...messages.splice(0).map(() => "processed"));
      }),
    );
    await tracker.drain();
    const processed = messages.map((m) => m.messageId);
    expect(order).toEqual(ids.map(() => "acked"));
    expect(processed.sort()).toEqual([...ids].sort());
  });

  it("processes an event delivered 3 times in a row and 3 times at once exactly once", async () => {
    const { app, tracker, messages } = setup();
    for (let i = 0; i < 3; i++) {
      const { path, init } = post("/webhooks/lark", signedMessage("om_seq"));
      expect((await app.request(path, init)).status).toBe(200);
    }
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => {
        const { path, init } = post("/webhooks/lark", signedMessage("om_par"));
        return app.request(path, init);
      }),
    );
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    await tracker.drain();
    expect(messages.map((m) => m.messageId).sort()).toEqual(["om_par", "om_seq"]);
    expect(await database.db.select().from(inboxTable)).toHaveLength(2);
  });

  it("refuses a bad signature with 401, writes nothing and logs one line without secrets", async () => {
    const { app, messages, lines } = setup();
    const signed = signedMessage("om_bad");
    signed.headers["x-lark-signature"] = "0".repeat(64);
    const { path, init } = post("/webhooks/lark", signed);
    const response = await app.request(path, init);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.ts/);
    expect(JSON.parse(text)).toEqual({ error: "bad_signature" });
    expect(messages).toEqual([]);
    expect(await database.db.select().from(inboxTable)).toHaveLength(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"event":"webhook.rejected"');
    expect(lines.join("\n")).not.toContain(LARK.encryptKey);
  });

  it("answers 400 to a body sealed with another key, and the log line says why it did not decrypt", async () => {
    const { app, messages, lines } = setup();
    const plain = JSON.stringify(
      larkMessageEvent({ token: LARK.verificationToken, text: "/help", messageId: "om_other_key" }),
    );
    const body = JSON.stringify({ encrypt: larkEncrypt(plain, "another-apps-encrypt-key") });
    const { path, init } = post(
      "/webhooks/lark",
      signLarkRequest(body, { encryptKey: LARK.encryptKey, encrypt: false }),
    );
    const response = await app.request(path, init);
    expect(response.status).toBe(400);
    expect(messages).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      event: "webhook.rejected",
      code: "malformed",
      reason: "encrypt does not decrypt",
      cause: { name: "OperationError" },
    });
    expect(lines[0]).not.toContain(plain.slice(0, 20));
  });

  it("refuses a request with no signature headers with 401", async () => {
    const { app } = setup();
    const signed = signedMessage("om_unsigned");
    const headers = { "content-type": "application/json" };
    const response = await app.request("/webhooks/lark", { method: "POST", body: signed.body, headers });
    expect(response.status).toBe(401);
    expect(await database.db.select().from(inboxTable)).toHaveLength(0);
  });

  it("answers 413 to a body over 1 MiB and stores nothing", async () => {
    const { app } = setup();
    const body = JSON.stringify({ encrypt: "A".repeat(1024 * 1024 + 10) });
    const response = await app.request("/webhooks/lark", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "content-length": String(body.length) },
    });
    expect(response.status).toBe(413);
    expect(await database.db.select().from(inboxTable)).toHaveLength(0);
  });

  it("answers 404 to an unknown platform, an unknown sub-route and a platform that is not configured", async () => {
    const { app } = setup();
    for (const path of [
      "/webhooks/slack",
      "/webhooks/lark/cards",
      "/webhooks/dingtalk",
      "/webhooks/wecom/bot",
    ]) {
      const response = await app.request(path, { method: "POST", body: "{}" });
      expect(response.status, path).toBe(404);
    }
  });

  it("answers a card click with the updated card from the handler", async () => {
    const { app, actions } = setup();
    const click = larkCardAction({
      token: LARK.verificationToken,
      value: { action: "demo.confirm", id: "1" },
    });
    const { path, init } = post("/webhooks/lark", signLarkRequest(click, { encryptKey: LARK.encryptKey }));
    const response = await app.request(path, init);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      toast: { content: string };
      card: { data: { header: unknown } };
    };
    expect(body.toast.content).toBe("done");
    expect(JSON.stringify(body.card.data.header)).toContain("Confirmed");
    expect(actions.map((a) => a.actionId)).toEqual(["demo.confirm"]);
  });

  it("answers a redelivered click with the same card again, without running it twice", async () => {
    const { app, actions } = setup();
    const click = larkCardAction({
      token: LARK.verificationToken,
      value: { action: "demo.confirm", id: "3" },
    });
    // The platform sends a click again, byte for byte, when the first answer never reached it.
    const request = signLarkRequest(click, { encryptKey: LARK.encryptKey });
    const first = await app.request(
      post("/webhooks/lark", request).path,
      post("/webhooks/lark", request).init,
    );
    const again = await app.request(
      post("/webhooks/lark", request).path,
      post("/webhooks/lark", request).init,
    );
    expect(again.status).toBe(200);
    const shown = await first.json();
    expect(JSON.stringify(shown)).toContain("Confirmed");
    expect(await again.json()).toEqual(shown);
    expect(actions.map((a) => a.actionId)).toEqual(["demo.confirm"]);
  });

  it("acks a slow card click within the deadline and shows the result afterwards", async () => {
    let release = () => {};
    const slowAction = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { app, tracker, followUps } = setup({ actionDeadlineMs: 0, slowAction });
    const click = larkCardAction({
      token: LARK.verificationToken,
      value: { action: "demo.confirm", id: "2" },
    });
    const { path, init } = post("/webhooks/lark", signLarkRequest(click, { encryptKey: LARK.encryptKey }));
    const response = await app.request(path, init);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(followUps).toHaveLength(0);
    release();
    await tracker.drain();
    expect(followUps.map((a) => a.actionId)).toEqual(["demo.confirm"]);
  });

  it("leaves a late click open until its card update is stored, so a process dying in between leaves it to the sweep", async () => {
    let release = () => {};
    const slowAction = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { app, dispatch, tracker, clock, followUps } = setup({
      actionDeadlineMs: 0,
      slowAction,
      failingFollowUps: 1,
    });
    const click = larkCardAction({
      token: LARK.verificationToken,
      value: { action: "demo.confirm", id: "4" },
    });
    const { path, init } = post("/webhooks/lark", signLarkRequest(click, { encryptKey: LARK.encryptKey }));
    const response = await app.request(path, init);
    expect(await response.json()).toEqual({});
    release();
    await tracker.drain();
    expect(followUps).toHaveLength(0);
    const [open] = await database.db.select().from(inboxTable);
    expect(open?.status).toBe("pending");

    clock.at = new Date(LARK_SIGNED_AT.getTime() + LEASE_MS + 1);
    expect(await dispatch.sweep()).toEqual({ done: 1, failed: 0 });
    expect(followUps.map((a) => a.actionId)).toEqual(["demo.confirm"]);
    const [finished] = await database.db.select().from(inboxTable);
    expect(finished?.status).toBe("done");
  });
});

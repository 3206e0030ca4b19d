// The outbox against a real database and the fake Lark over HTTP: once per key, retries, give-ups, leases.
import { type AddressInfo, createServer } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outbox } from "../../../src/db/schema/index.ts";
import { createLogger } from "../../../src/log.ts";
import { LEASE_MS, type Outbox, type OutboxItem } from "../../../src/outbox/outbox.ts";
import { GIVE_UP_AFTER_MS } from "../../../src/outbox/retry-policy.ts";
import { createLarkAdapter } from "../../../src/platforms/lark/adapter.ts";
import type { PlatformAdapter } from "../../../src/platforms/types.ts";
import { type FakeLark, startFakeLark } from "../../fakes/lark.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import {
  deliveredKeys,
  drainUntilSettled,
  type FakeTime,
  fakeTime,
  LARK_APP,
  larkAdapter,
  messageCalls,
  outboxWith,
  recording,
  rows,
  textTo,
} from "./harness.ts";

let database: TestDatabase;
let fake: FakeLark;
let time: FakeTime;
let lark: PlatformAdapter;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());
// A fresh fake per test: its reset() keeps queued outages, and some tests leave some unused.
beforeEach(async () => {
  await truncateAll(database);
  fake = await startFakeLark(LARK_APP);
  time = fakeTime();
  lark = larkAdapter(fake, time);
});
afterEach(() => fake.close());

describe("enqueue", () => {
  it("stores a key once and delivers it once, however often it is enqueued and sent", async () => {
    const box = outboxWith(database, time, { lark });
    expect(await box.enqueue([textTo("oc_a", "digest:oc_a:2026-11-26")])).toEqual(["digest:oc_a:2026-11-26"]);
    expect(await box.enqueue([textTo("oc_a", "digest:oc_a:2026-11-26", "again")])).toEqual([]);
    expect(await rows(database)).toHaveLength(1);

    expect(await box.drain()).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    expect(await box.deliver(["digest:oc_a:2026-11-26"])).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
      deferred: 0,
    });
    expect(await box.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });
    expect(deliveredKeys(fake)).toEqual(["digest:oc_a:2026-11-26"]);
    expect(fake.delivered[0]?.body).toMatchObject({
      content: JSON.stringify({ text: "digest:oc_a:2026-11-26" }),
    });
  });

  it("writes in the caller's transaction: rolled back with it, kept with it", async () => {
    const box = outboxWith(database, time, { lark });
    await expect(
      database.db.transaction(async (tx) => {
        await box.enqueue([textTo("oc_a", "rolled-back")], tx);
        throw new Error("state change failed");
      }),
    ).rejects.toThrow("state change failed");
    await database.db.transaction(async (tx) => {
      await box.enqueue([textTo("oc_a", "committed")], tx);
    });
    expect((await rows(database)).map((row) => row.idempotencyKey)).toEqual(["committed"]);
  });
});

describe("deliver", () => {
  it("keeps why a send could not reach Lark: the network error's causes on the row and on the log line", async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = createLarkAdapter({
      config: { ...LARK_APP, verificationToken: "vt-outbox", apiBase: `http://127.0.0.1:${port}` },
      now: time.now,
    });
    const box = outboxWith(database, time, { lark: unreachable }, log);
    await box.enqueue([textTo("oc_a", "unreachable")]);
    expect(await box.drain()).toMatchObject({ sent: 0, retried: 1 });
    const [row] = await rows(database);
    expect(row?.lastError).toMatch(
      /^transient: Lark .*network error.* ← TypeError: fetch failed ← Error: connect ECONNREFUSED/,
    );
    const retry = lines.map((line) => JSON.parse(line)).find((line) => line.event === "outbox.retry");
    expect(retry?.error).toMatchObject({
      name: "SendError",
      cause: { name: "TypeError", message: "fetch failed", cause: { code: "ECONNREFUSED" } },
    });
  });

  it("sends a direct reply at once and keeps what Lark returned for later updates", async () => {
    const box = outboxWith(database, time, { lark });
    const key = "reply:lark:msg:om_user_1";
    await database.db.transaction(async (tx) => {
      await box.enqueue(
        [
          {
            idempotencyKey: key,
            target: { kind: "reply", platform: "lark", handle: { messageId: "om_user_1", chatId: "oc_ops" } },
            message: { type: "text", text: "Order O-20261126-001 confirmed" },
          },
        ],
        tx,
      );
    });
    const asked = time.now().getTime();
    expect(await box.deliver([key])).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    expect(time.now().getTime() - asked).toBeLessThan(1000);
    expect(fake.delivered.map((entry) => entry.path)).toEqual(["/open-apis/im/v1/messages/om_user_1/reply"]);
    const sent = await box.findSent(key);
    expect(sent?.messageId).toMatch(/^om_/);
    expect(sent?.handle).toEqual({ messageId: sent?.messageId, chatId: "oc_ops" });
    expect(await box.findSent("never-enqueued")).toBeNull();
  });
});

describe("releaseLeases", () => {
  it("hands every row a dead sender held back to the table, due at once, and leaves sent rows alone", async () => {
    const box = outboxWith(database, time, { lark });
    await (await box.sendNow([textTo("oc_a", "reply:sent")])).settled;
    await box.enqueue([textTo("oc_a", "digest:held")]);
    // Claimed as a sender claims (see store.claim), by a sender that then died.
    const held = new Date(time.now().getTime() + LEASE_MS);
    await database.db
      .update(outbox)
      .set({ status: "sending", leaseUntil: held, nextAttemptAt: held })
      .where(eq(outbox.idempotencyKey, "digest:held"));
    expect(await box.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });

    expect(await box.releaseLeases()).toBe(1);
    expect(await box.drain()).toMatchObject({ sent: 1 });
    expect(deliveredKeys(fake)).toEqual(["reply:sent", "digest:held"]);
  });
});

describe("sendNow", () => {
  /** Stores the items, then waits until each has an outcome. */
  const sendNow = async (box: Outbox, items: OutboxItem[]) => (await box.sendNow(items)).settled;

  it("writes a new reply already claimed and sends it once; the same key again sends nothing", async () => {
    const box = outboxWith(database, time, { lark });
    const reply = textTo("oc_a", "reply:lark:msg:om_1");
    expect(await sendNow(box, [reply])).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    expect(await sendNow(box, [reply])).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });
    expect(await box.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });
    expect(deliveredKeys(fake)).toEqual(["reply:lark:msg:om_1"]);
    expect((await rows(database)).map((row) => [row.idempotencyKey, row.status])).toEqual([
      ["reply:lark:msg:om_1", "sent"],
    ]);
  });

  it("delivers a key that is already stored and due, as deliver would", async () => {
    const box = outboxWith(database, time, { lark });
    await box.enqueue([textTo("oc_a", "reply:lark:msg:om_2")]);
    expect(await sendNow(box, [textTo("oc_a", "reply:lark:msg:om_2", "written again")])).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
      deferred: 0,
    });
    expect(fake.delivered[0]?.body).toMatchObject({
      content: JSON.stringify({ text: "reply:lark:msg:om_2" }),
    });
  });

  it("leaves a failed first send to the drain, like any other row", async () => {
    const box = outboxWith(database, time, { lark });
    fake.fail({ count: 1, status: 503 });
    expect(await sendNow(box, [textTo("oc_a", "reply:lark:msg:om_3")])).toMatchObject({
      sent: 0,
      retried: 1,
    });
    await drainUntilSettled(database, box, time);
    expect(deliveredKeys(fake)).toEqual(["reply:lark:msg:om_3"]);
  });

  it("resolves once the reply is stored, while its send still waits for the platform", async () => {
    let answer!: () => void;
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const watched = recording(lark, time, () => held);
    const box = outboxWith(database, time, { lark: watched.adapter });

    const sending = await box.sendNow([textTo("oc_a", "reply:lark:msg:om_4")]);

    // The caller may mark its event done now: the row is stored and claimed by this sender.
    expect((await rows(database)).map((row) => [row.idempotencyKey, row.status])).toEqual([
      ["reply:lark:msg:om_4", "sending"],
    ]);
    expect(fake.delivered).toHaveLength(0);
    answer();
    expect(await sending.settled).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    expect(deliveredKeys(fake)).toEqual(["reply:lark:msg:om_4"]);
  });
});

describe("drain", () => {
  it("never sends a message twice when two instances drain the same table at once", async () => {
    const keys = Array.from({ length: 240 }, (_, i) => `digest:oc_${i % 60}:${i}`);
    const first = outboxWith(database, time, { lark: larkAdapter(fake, time) });
    const second = outboxWith(database, time, { lark: larkAdapter(fake, time) });
    await first.enqueue(keys.map((key) => textTo(key.split(":")[1] as string, key)));

    const [a, b] = await Promise.all([first.drain(), second.drain()]);

    expect(a.sent + b.sent).toBe(keys.length);
    expect(deliveredKeys(fake).sort()).toEqual([...keys].sort());
    expect(messageCalls(fake)).toHaveLength(keys.length);
    const stored = await rows(database);
    expect(stored.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
  });

  it("claims nothing more once its signal is aborted: claimed rows go out, the rest stay due in the table", async () => {
    const keys = Array.from({ length: 240 }, (_, i) => `digest:oc_${i % 60}:${i}`);
    const adapter = larkAdapter(fake, time);
    const stop = new AbortController();
    // The server is told to stop while the first batch is going out.
    const stopping: PlatformAdapter = {
      ...adapter,
      send: (...args) => {
        stop.abort();
        return adapter.send(...args);
      },
    };
    const box = outboxWith(database, time, { lark: stopping });
    await box.enqueue(keys.map((key) => textTo(key.split(":")[1] as string, key)));

    const counts = await box.drain({ signal: stop.signal });

    const stored = await rows(database);
    const sent = stored.filter((row) => row.status === "sent");
    expect(counts.sent).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(100);
    expect(stored.filter((row) => row.status === "pending")).toHaveLength(keys.length - sent.length);
    expect(messageCalls(fake)).toHaveLength(sent.length);
  });

  it("delays through a 429 and 500 outage and then delivers every message once, attempts recorded", async () => {
    const box = outboxWith(database, time, { lark });
    const items = [
      textTo("oc_a", "a-1"),
      textTo("oc_b", "b-1"),
      textTo("oc_a", "a-2"),
      textTo("oc_b", "b-2"),
    ];
    await box.enqueue(items);
    fake.fail({
      count: 2,
      status: 429,
      headers: { "x-ogw-ratelimit-reset": "2" },
      body: { code: 99991400, msg: "request trigger frequency limit" },
    });
    fake.fail({ count: 5, status: 500, body: { code: 1, msg: "internal error" } });

    const started = time.now().getTime();
    expect(await box.drain()).toEqual({ sent: 0, retried: 2, failed: 0, deferred: 2 });
    const afterFirst = await rows(database);
    for (const row of afterFirst.filter((r) => r.idempotencyKey.endsWith("-1"))) {
      expect(row).toMatchObject({ status: "pending", attempts: 1 });
      expect(row.lastError).toContain("rate_limited");
      expect(row.lastError).toContain("99991400");
      // Lark's x-ogw-ratelimit-reset, honoured to the millisecond from when the answer came.
      expect(row.nextAttemptAt.getTime() - started).toBeGreaterThanOrEqual(2000);
      expect(row.nextAttemptAt.getTime() - started).toBeLessThan(2100);
    }
    // The second message of each chat waits behind the first: not attempted, due with it.
    for (const row of afterFirst.filter((r) => r.idempotencyKey.endsWith("-2")))
      expect(row).toMatchObject({ status: "pending", attempts: 0 });

    await drainUntilSettled(database, box, time);

    expect(deliveredKeys(fake).sort()).toEqual(["a-1", "a-2", "b-1", "b-2"]);
    // In order per chat.
    const order = deliveredKeys(fake);
    expect(order.indexOf("a-1")).toBeLessThan(order.indexOf("a-2"));
    expect(order.indexOf("b-1")).toBeLessThan(order.indexOf("b-2"));
    const stored = await rows(database);
    expect(stored.every((row) => row.status === "sent")).toBe(true);
    // Every call the fake answered is one recorded attempt: 2 × 429 + 5 × 500 + 4 deliveries.
    expect(stored.reduce((sum, row) => sum + row.attempts, 0)).toBe(messageCalls(fake).length);
    expect(messageCalls(fake)).toHaveLength(11);
    expect(stored.some((row) => row.lastError?.includes("HTTP 500"))).toBe(true);
  });

  it("keeps a chat's messages in order when the first one needs a retry", async () => {
    const box = outboxWith(database, time, { lark });
    await box.enqueue([textTo("oc_a", "first"), textTo("oc_a", "second"), textTo("oc_a", "third")]);
    fake.fail({ count: 1, status: 503 });
    expect(await box.drain()).toEqual({ sent: 0, retried: 1, failed: 0, deferred: 2 });
    // Due now, but behind "first", which waits for its retry.
    await box.enqueue([textTo("oc_a", "fourth"), textTo("oc_b", "elsewhere")]);
    expect(await box.drain()).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    await drainUntilSettled(database, box, time);
    expect(deliveredKeys(fake)).toEqual(["elsewhere", "first", "second", "third", "fourth"]);
    expect((await rows(database)).map((row) => row.attempts)).toEqual([2, 1, 1, 1, 1]);
  });

  it("backs off exponentially (2 s, 4 s, … capped at 10 min) and gives up after a day", async () => {
    const watched = recording(lark, time);
    const box = outboxWith(database, time, { lark: watched.adapter });
    await box.enqueue([textTo("oc_a", "doomed")]);
    fake.fail({ count: 10_000, status: 502 });
    await drainUntilSettled(database, box, time, 500);

    // random() is 0.5 here, so the jitter factor is exactly 1.
    const gaps = watched.sends.slice(1).map((send, i) => send.at - (watched.sends[i]?.at ?? 0));
    expect(gaps.slice(0, 10)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 600].map((s) => s * 1000));
    expect(gaps.slice(10).every((gap) => gap === 600_000)).toBe(true);

    const [row] = await rows(database);
    expect(row?.status).toBe("failed");
    expect(row?.lastError).toMatch(/^gave up after 24 h; last error: transient: Lark send failed: HTTP 502/);
    expect(row?.attempts).toBe(messageCalls(fake).length);
    const times = messageCalls(fake).length;
    expect(times).toBeGreaterThan(140);
    expect(times).toBeLessThan(160);
    expect((row?.finishedAt?.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0)).toBeGreaterThanOrEqual(
      GIVE_UP_AFTER_MS,
    );
    expect(fake.delivered).toHaveLength(0);
  });

  it("fails a permanent error at once with the platform's reason and never retries it", async () => {
    const box = outboxWith(database, time, { lark });
    await box.enqueue([textTo("oc_gone", "to-a-chat-the-bot-left")]);
    fake.fail({ count: 1, status: 400, body: { code: 230002, msg: "The bot is not in the chat." } });

    expect(await box.drain()).toEqual({ sent: 0, retried: 0, failed: 1, deferred: 0 });
    time.advance(60 * 60_000);
    expect(await box.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });

    const [row] = await rows(database);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row?.lastError).toContain("permanent");
    expect(row?.lastError).toContain("[platform code 230002]");
    expect(row?.lastError).toContain("The bot is not in the chat.");
    expect(messageCalls(fake)).toHaveLength(1);
  });

  it("fails a message for a platform without an adapter, saying so, without sending anything", async () => {
    const box = outboxWith(database, time, { lark });
    await box.enqueue([
      {
        idempotencyKey: "ding:1",
        target: { kind: "chat", platform: "dingtalk", chatId: "cid_1", chatKind: "group" },
        message: { type: "text", text: "hello" },
      },
    ]);
    expect(await box.drain()).toEqual({ sent: 0, retried: 0, failed: 1, deferred: 0 });
    const [row] = await rows(database);
    expect(row).toMatchObject({ status: "failed", attempts: 0 });
    expect(row?.lastError).toBe('no adapter configured for platform "dingtalk"');
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a row left 'sending' by a crashed sender once its lease has run out, and only once", async () => {
    let crashed!: () => void;
    const sendStarted = new Promise<void>((resolve) => {
      crashed = resolve;
    });
    let resume!: () => void;
    const hang = new Promise<void>((resolve) => {
      resume = resolve;
    });
    // The first sender freezes inside its send, as if its process had stopped there.
    const frozen = recording(larkAdapter(fake, time), time, async () => {
      crashed();
      await hang;
    });
    const dying = outboxWith(database, time, { lark: frozen.adapter });
    await dying.enqueue([textTo("oc_a", "survivor")]);
    const abandoned = dying.deliver(["survivor"]);
    await sendStarted;
    expect((await rows(database))[0]).toMatchObject({ status: "sending" });

    const next = outboxWith(database, time, { lark: larkAdapter(fake, time) });
    expect(await next.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });
    time.advance(LEASE_MS - 1);
    expect(await next.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });
    time.advance(1);
    expect(await next.drain()).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    const taken = (await rows(database))[0];
    expect(taken).toMatchObject({ status: "sent", attempts: 1 });

    // The frozen sender wakes up later: Lark's uuid dedup absorbs its call, and its lease no longer counts.
    time.advance(5_000);
    resume();
    await abandoned;
    expect(deliveredKeys(fake)).toEqual(["survivor"]);
    const [after] = await database.db.select().from(outbox).where(eq(outbox.idempotencyKey, "survivor"));
    expect(after).toEqual(taken);
  });
});

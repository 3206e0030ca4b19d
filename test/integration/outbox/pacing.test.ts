// Pacing up front: the outbox spaces sends to Lark's limits (5 QPS per chat, 50/s per app) on the fake clock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.ts";
import type { PlatformAdapter } from "../../../src/platforms/types.ts";
import { type FakeLark, startFakeLark } from "../../fakes/lark.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import {
  deliveredKeys,
  type FakeTime,
  fakeTime,
  LARK_APP,
  larkAdapter,
  outboxWith,
  recording,
  type SendRecord,
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
beforeEach(async () => {
  await truncateAll(database);
  fake = await startFakeLark(LARK_APP);
  time = fakeTime();
  lark = larkAdapter(fake, time);
});
afterEach(() => fake.close());

const gapsOf = (sends: SendRecord[]) => sends.slice(1).map((send, i) => send.at - (sends[i]?.at ?? 0));

/** The most sends that started within any `windowMs` (half-open windows, as a platform counts them). */
function busiestWindow(sends: SendRecord[], windowMs: number): number {
  const times = sends.map((send) => send.at).sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe("pacing to Lark's limits", () => {
  it("spaces 20 messages to one chat at least 200 ms apart", async () => {
    const watched = recording(lark, time);
    const box = outboxWith(database, time, { lark: watched.adapter });
    const keys = Array.from({ length: 20 }, (_, i) => `burst:${i}`);
    await box.enqueue(keys.map((key) => textTo("oc_busy", key)));

    expect(await box.drain()).toEqual({ sent: 20, retried: 0, failed: 0, deferred: 0 });

    expect(deliveredKeys(fake)).toEqual(keys);
    const gaps = gapsOf(watched.sends);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    expect(busiestWindow(watched.sends, 1000)).toBeLessThanOrEqual(5);
  });

  it("keeps a fan-out to many chats within 50 per second app-wide", async () => {
    const watched = recording(lark, time);
    const box = outboxWith(database, time, { lark: watched.adapter });
    const count = 300;
    await box.enqueue(Array.from({ length: count }, (_, i) => textTo(`oc_${i}`, `digest:oc_${i}`)));

    expect(await box.drain()).toEqual({ sent: count, retried: 0, failed: 0, deferred: 0 });

    expect(fake.delivered).toHaveLength(count);
    expect(busiestWindow(watched.sends, 1000)).toBeLessThanOrEqual(50);
  });

  it("does not let one busy chat hold up the others", async () => {
    const watched = recording(lark, time);
    const box = outboxWith(database, time, { lark: watched.adapter });
    const busy = Array.from({ length: 10 }, (_, i) => textTo("oc_busy", `busy:${i}`));
    const others = Array.from({ length: 90 }, (_, i) => textTo(`oc_${i}`, `other:${i}`));
    // The busy chat's rows come first: sending in id order would make everyone wait 10 × 200 ms for it.
    await box.enqueue([...busy, ...others]);

    expect(await box.drain()).toEqual({ sent: 100, retried: 0, failed: 0, deferred: 0 });

    const toBusy = watched.sends.filter((send) => send.key.startsWith("busy:"));
    expect(toBusy.map((send) => send.key)).toEqual(busy.map((item) => item.idempotencyKey));
    expect(Math.min(...gapsOf(toBusy))).toBeGreaterThanOrEqual(200);
    expect(busiestWindow(watched.sends, 1000)).toBeLessThanOrEqual(50);
    // The others go out while the busy chat waits its 200 ms between messages: in id order its ten rows
    // would be the first ten sends.
    const busyAmongFirstTen = watched.sends.slice(0, 10).filter((send) => send.key.startsWith("busy:"));
    expect(busyAmongFirstTen.length).toBeLessThanOrEqual(2);
  });

  it("puts a direct reply ahead of a running fan-out: it is the next send to start", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let saturated!: () => void;
    const allInFlight = new Promise<void>((resolve) => {
      saturated = resolve;
    });
    let held = 0;
    // Digest sends hang until released, so the fan-out is mid-flight when the reply arrives.
    const watched = recording(lark, time, async (key) => {
      if (!key.startsWith("digest:")) return;
      if (++held === 32) saturated();
      await released;
    });
    // The fan-out goes on once the reply is queued in the outbox.
    const log = createLogger({
      minLevel: "debug",
      write: (line) => {
        if (line.includes('"event":"outbox.delivering"')) release();
      },
    });
    const box = outboxWith(database, time, { lark: watched.adapter }, log);
    await box.enqueue(Array.from({ length: 200 }, (_, i) => textTo(`oc_${i}`, `digest:oc_${i}`)));
    const fanOut = box.drain();
    await allInFlight;

    await box.enqueue([
      {
        idempotencyKey: "reply:om_cmd",
        target: { kind: "reply", platform: "lark", handle: { messageId: "om_cmd", chatId: "oc_ops" } },
        message: { type: "text", text: "Done." },
      },
    ]);
    expect(await box.deliver(["reply:om_cmd"])).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });
    expect(await fanOut).toEqual({ sent: 200, retried: 0, failed: 0, deferred: 0 });

    expect(watched.sends.findIndex((send) => send.key === "reply:om_cmd")).toBe(32);
    expect(busiestWindow(watched.sends, 1000)).toBeLessThanOrEqual(50);
  });
});

describe("a fan-out that begins with a token fetch", () => {
  it.each(["drain", "deliver"] as const)(
    "has the expired token before the first send starts, so the sends do not wait for it together (%s)",
    async (path) => {
      /** Tokens the fake had issued when each send started (spent its budgets). */
      const tokensAtStart: number[] = [];
      const watched = recording(lark, time, async () => {
        tokensAtStart.push(fake.tokensIssued.length);
      });
      const box = outboxWith(database, time, { lark: watched.adapter });
      // Yesterday's digest fetched the token; overnight it expired.
      await box.enqueue([textTo("oc_yesterday", "digest:yesterday")]);
      await box.drain();
      expect(fake.tokensIssued).toHaveLength(1);
      time.advance(16 * 60 * 60_000);
      tokensAtStart.length = 0;
      const count = 150;
      const keys = await box.enqueue(
        Array.from({ length: count }, (_, i) => textTo(`oc_${i}`, `digest:oc_${i}`)),
      );

      expect(await (path === "drain" ? box.drain() : box.deliver(keys))).toEqual({
        sent: count,
        retried: 0,
        failed: 0,
        deferred: 0,
      });

      // One fetch for the morning, and not one send spent its budgets while it was on its way: had they, the
      // first of them would all have left together once it came, over Lark's 50 a second.
      expect(fake.tokensIssued).toHaveLength(2);
      expect(tokensAtStart).toEqual(Array(count).fill(2));
      expect(busiestWindow(watched.sends.slice(1), 1000)).toBeLessThanOrEqual(50);
    },
  );

  it("still sends when the token cannot be fetched beforehand: the sends fetch it themselves", async () => {
    // The first token fetch fails; the sends' own fetch then gets one.
    fake.fail({ count: 1, status: 500, pathPrefix: "/open-apis/auth/" });
    const lines: string[] = [];
    const log = createLogger({ minLevel: "warn", write: (line) => lines.push(line) });
    const box = outboxWith(database, time, { lark }, log);
    await box.enqueue([textTo("oc_a", "digest:oc_a"), textTo("oc_b", "digest:oc_b")]);

    expect(await box.drain()).toEqual({ sent: 2, retried: 0, failed: 0, deferred: 0 });

    expect(fake.tokensIssued).toHaveLength(1);
    expect(lines.some((line) => line.includes('"event":"outbox.prepare_failed"'))).toBe(true);
  });
});

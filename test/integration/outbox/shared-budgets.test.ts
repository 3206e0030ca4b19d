// Two senders on one database (two servers, or a server and the job) stay together within Lark's limits, as the fake counts them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.ts";
import { sendBudgets } from "../../../src/db/schema/index.ts";
import type { PlatformAdapter } from "../../../src/platforms/types.ts";
import { type FakeLark, startFakeLark } from "../../fakes/lark.ts";
import { LARK_RATE_LIMITS } from "../../fakes/rate-limits.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import {
  deliveredKeys,
  drainUntilSettled,
  type FakeTime,
  LARK_APP,
  larkAdapter,
  messageCalls,
  outboxWith,
  START,
  textTo,
} from "./harness.ts";

/**
 * A fake clock for two senders at once: a sleep moves it only once no database statement and no send of
 * either is under way, and only to the earliest end of the sleeps under way. A send then reaches the fake at the instant its budgets were claimed, as it does within
 * a millisecond on a real clock; were the clock moved meanwhile by the other sender's sleep, the fake would
 * count the send late, in a window the budgets never counted it in.
 */
interface QuietTime extends FakeTime {
  track<T>(work: PromiseLike<T>): Promise<T>;
}

function quietTime(start = START): QuietTime {
  let ms = start.getTime();
  let busy = 0;
  /** Sleeps not over yet; the earliest ends first, so that no sender's sleep carries the other past its start. */
  const sleepers: { wakeAt: number; wake: () => void }[] = [];
  let ticking = false;
  const quiet = async () => {
    // Macrotask turns: a sender between reading the clock and its next statement is a chain of microtasks.
    do await new Promise((resolve) => setImmediate(resolve));
    while (busy > 0);
  };
  async function tick() {
    ticking = true;
    while (sleepers.length > 0) {
      await quiet();
      sleepers.sort((a, b) => a.wakeAt - b.wakeAt);
      const first = sleepers.shift();
      if (!first) break;
      ms = Math.max(ms, first.wakeAt);
      first.wake();
    }
    ticking = false;
  }
  return {
    now: () => new Date(ms),
    sleep(wait) {
      const wakeAt = ms + Math.max(0, Math.ceil(wait));
      return new Promise<void>((wake) => {
        sleepers.push({ wakeAt, wake });
        if (!ticking) void tick();
      });
    },
    advanceTo: (at) => {
      ms = Math.max(ms, at.getTime());
    },
    advance: (wait) => {
      ms += wait;
    },
    track(work) {
      busy++;
      return Promise.resolve(work).finally(() => {
        busy--;
      });
    },
  };
}

/** The database as one sender sees it, its raw statements (the budget claims) tracked by the clock. */
function trackedDatabase(database: Database, time: QuietTime): Database {
  const db = new Proxy(database.db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== "execute" || typeof value !== "function") return value;
      return (...args: unknown[]) => time.track(value.apply(target, args));
    },
  });
  return { ...database, db };
}

/** One sender's own Lark adapter (its own token), its sends tracked by the clock. */
function trackedLark(fake: FakeLark, time: QuietTime): PlatformAdapter {
  const adapter = larkAdapter(fake, time);
  return { ...adapter, send: (target, message, key) => time.track(adapter.send(target, message, key)) };
}

let database: TestDatabase;
let fake: FakeLark;
let time: QuietTime;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());
beforeEach(async () => {
  await truncateAll(database);
  time = quietTime();
  fake = await startFakeLark({
    ...LARK_APP,
    rateLimits: LARK_RATE_LIMITS,
    now: () => time.now().getTime(),
  });
});
afterEach(() => fake.close());

const senders = () =>
  [0, 1].map(() => outboxWith(trackedDatabase(database, time), time, { lark: trackedLark(fake, time) })) as [
    ReturnType<typeof outboxWith>,
    ReturnType<typeof outboxWith>,
  ];

/** The most requests the fake saw within any `windowMs` (half-open, as it counts them). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const callsTo = (chatId: string) =>
  messageCalls(fake).filter((call) => (call.body as { receive_id?: string }).receive_id === chatId);

/** What the fake counted: refused calls, and the busiest windows of one chat and of the app. */
function countedAtTheFake(chatId: string) {
  const sends = messageCalls(fake);
  return {
    refused: sends.filter((call) => call.rateLimited).length,
    chatPerSecond: busiestWindow(
      callsTo(chatId).map((call) => call.at),
      1000,
    ),
    appPerSecond: busiestWindow(
      sends.map((call) => call.at),
      1000,
    ),
  };
}

// Two senders polling for a quiet moment before each step of the clock: slower than one sender alone.
describe("budgets shared through the database", { timeout: 120_000 }, () => {
  it("keeps two servers answering in one chat within its 5 a second together", async () => {
    const [first, second] = senders();
    const replies = (prefix: string) =>
      Array.from({ length: 12 }, (_, i) => textTo("oc_shared", `${prefix}:${i}`));

    // Each server alone paces to 5 a second; without the shared budget the chat would get 10.
    const [a, b] = await Promise.all([first.sendNow(replies("a")), second.sendNow(replies("b"))]);
    const counts = await Promise.all([a.settled, b.settled]);
    await drainUntilSettled(database, first, time);

    expect(counts.every((count) => count.sent > 0)).toBe(true);
    expect(new Set(deliveredKeys(fake)).size).toBe(24);
    expect(deliveredKeys(fake)).toHaveLength(24);
    expect(countedAtTheFake("oc_shared")).toEqual({ refused: 0, chatPerSecond: 5, appPerSecond: 5 });
  });

  it("keeps two servers' fan-outs within the app's 50 a second together", async () => {
    const [first, second] = senders();
    const fanOut = (prefix: string) =>
      Array.from({ length: 60 }, (_, i) => textTo(`oc_${prefix}_${i}`, `${prefix}:${i}`));

    const [a, b] = await Promise.all([first.sendNow(fanOut("a")), second.sendNow(fanOut("b"))]);
    const counts = await Promise.all([a.settled, b.settled]);
    await drainUntilSettled(database, first, time);

    expect(counts.every((count) => count.sent > 0)).toBe(true);
    expect(deliveredKeys(fake)).toHaveLength(120);
    const { refused, appPerSecond } = countedAtTheFake("none");
    expect(refused).toBe(0);
    expect(appPerSecond).toBeLessThanOrEqual(50);
  });

  it("keeps the job's digest and a server's replies in the same chat within the chat's limit", async () => {
    const [job, server] = senders();
    await job.enqueue([
      ...Array.from({ length: 8 }, (_, i) => textTo("oc_shared", `digest:${i}`)),
      ...Array.from({ length: 60 }, (_, i) => textTo(`oc_${i}`, `digest:oc_${i}`)),
    ]);

    const replies = Array.from({ length: 8 }, (_, i) => textTo("oc_shared", `reply:${i}`));
    const [drained, sending] = await Promise.all([job.drain(), server.sendNow(replies)]);
    const answered = await sending.settled;
    await drainUntilSettled(database, job, time);

    expect(drained.sent).toBeGreaterThan(0);
    expect(answered.sent).toBeGreaterThan(0);
    expect(deliveredKeys(fake)).toHaveLength(76);
    const counted = countedAtTheFake("oc_shared");
    expect(counted.refused).toBe(0);
    expect(counted.chatPerSecond).toBeLessThanOrEqual(5);
    expect(counted.appPerSecond).toBeLessThanOrEqual(50);
  });

  it("stores a budget as the starts of its last sends, one row per app limit and destination", async () => {
    const [first] = senders();
    await (await first.sendNow([textTo("oc_one", "one:0"), textTo("oc_one", "one:1")])).settled;

    const stored = await database.db.select().from(sendBudgets).orderBy(sendBudgets.budget);
    expect(stored.map((row) => [row.budget, row.starts.length])).toEqual([
      ["lark chat:oc_one", 2],
      [`lark:${LARK_APP.appId} app 1000/60000`, 2],
      [`lark:${LARK_APP.appId} app 50/1000`, 2],
    ]);
  });
});

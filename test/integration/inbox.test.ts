import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDispatcher, type EventHandler } from "../../src/bot/dispatch.ts";
import type { InboundAction } from "../../src/chat/events.ts";
import { directoryVersion, inbox as inboxTable } from "../../src/db/schema/index.ts";
import { createInbox, LEASE_MS, MAX_ATTEMPTS } from "../../src/inbox/inbox.ts";
import { silentLogger } from "../../src/log.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import { inboundMessage } from "../helpers/inbound-message.ts";
import { manualClock } from "../helpers/manual-clock.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

const message = (dedupKey: string) => inboundMessage("om_1", { dedupKey });

describe("inbox", () => {
  it("stores an event once, however often and however concurrently it is delivered", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const first = await inbox.accept(message("lark:msg:1"));
    const again = await inbox.accept(message("lark:msg:1"));
    const concurrent = await Promise.all([1, 2, 3].map(() => inbox.accept(message("lark:msg:2"))));
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ id: first.id, inserted: false });
    expect(concurrent.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(concurrent.map((r) => r.id)).size).toBe(1);
    expect(await database.db.select().from(inboxTable)).toHaveLength(2);
  });

  it("stores a burst of 300 concurrent deliveries (each event three times) as 100 rows, one insert each", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const keys = Array.from({ length: 100 }, (_, i) => `lark:msg:burst-${i}`);
    const results = await Promise.all([...keys, ...keys, ...keys].map((key) => inbox.accept(message(key))));
    expect(results.filter((r) => r.inserted)).toHaveLength(100);
    for (const key of keys) {
      const mine = results.filter((_, i) => i % 100 === keys.indexOf(key));
      expect(new Set(mine.map((r) => r.id)).size).toBe(1);
      expect(mine.filter((r) => r.inserted)).toHaveLength(1);
    }
    expect(await database.db.select().from(inboxTable)).toHaveLength(100);
  });

  it("runs the work once when two processors race for the same event", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const { id } = await inbox.accept(message("lark:msg:3"));
    let runs = 0;
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        inbox.process(id, async () => {
          runs++;
          return "ok";
        }),
      ),
    );
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.status === "done")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "busy")).toHaveLength(2);
    const [row] = await database.db.select().from(inboxTable).where(eq(inboxTable.id, id));
    expect(row?.status).toBe("done");
  });

  it("leaves an event whose work never finished to the sweep once its lease runs out", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const { id } = await inbox.accept(message("lark:msg:4"));
    expect(await inbox.due(10)).toEqual([]);
    clock.advance(LEASE_MS + 1);
    expect(await inbox.due(10)).toEqual([id]);
    const outcome = await inbox.process(id, async () => "swept");
    expect(outcome).toEqual({ status: "done", value: "swept" });
    expect(await inbox.due(10)).toEqual([]);
  });

  it("stores an event claimed for its own process: its work runs without a claim, nobody else's claim takes it", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    await database.db.update(directoryVersion).set({ version: 7 });
    const accepted = await inbox.accept(message("lark:msg:claimed"), { claim: true });
    expect(accepted.claimed).toMatchObject({ directoryVersion: 7, claimedAt: clock.now() });
    const [stored] = await database.db.select().from(inboxTable).where(eq(inboxTable.id, accepted.id));
    expect(stored).toMatchObject({ status: "processing", attempts: 1 });
    // Another processor (the read-back of another instance, the sweep) finds it held.
    let runs = 0;
    expect(await inbox.process(accepted.id, async () => runs++)).toEqual({ status: "busy" });
    expect(await inbox.due(10)).toEqual([]);
    const seen: { text: string; attempt: number; version: number | null }[] = [];
    const outcome = await inbox.process(
      accepted.id,
      async (event, attempt, claim) => {
        seen.push({
          text: event.kind === "message" ? event.text : "",
          attempt,
          version: claim.directoryVersion,
        });
      },
      accepted.claimed,
    );
    expect(outcome.status).toBe("done");
    expect(runs).toBe(0);
    expect(seen).toEqual([{ text: "/help", attempt: 1, version: 7 }]);
    const [done] = await database.db.select().from(inboxTable).where(eq(inboxTable.id, accepted.id));
    expect(done?.status).toBe("done");
    // A redelivery is stored nowhere and claims nothing.
    expect(await inbox.accept(message("lark:msg:claimed"), { claim: true })).toEqual({
      id: accepted.id,
      inserted: false,
    });
  });

  it("leaves a claimed event whose turn comes after half its lease to the sweep, which runs it once", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const accepted = await inbox.accept(message("lark:msg:late"), { claim: true });
    clock.advance(LEASE_MS / 2 + 1);
    let runs = 0;
    const work = async (_event: unknown, attempt: number) => {
      runs++;
      return attempt;
    };
    expect(await inbox.process(accepted.id, work, accepted.claimed)).toEqual({ status: "busy" });
    expect(runs).toBe(0);
    expect(await inbox.due(10)).toEqual([]);
    clock.advance(LEASE_MS / 2);
    expect(await inbox.due(10)).toEqual([accepted.id]);
    expect(await inbox.process(accepted.id, work)).toEqual({ status: "done", value: 2 });
    expect(runs).toBe(1);
  });

  it("hands back every unfinished event at once to a sole owner starting up, done ones untouched", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const fresh = await inbox.accept(message("lark:msg:fresh"));
    const held = await inbox.accept(message("lark:msg:held"));
    const finished = await inbox.accept(message("lark:msg:finished"));
    await inbox.process(finished.id, async () => "done");
    // A claim that a process which then died made: its lease would run another minute.
    await database.db
      .update(inboxTable)
      .set({ status: "processing", attempts: 1 })
      .where(eq(inboxTable.id, held.id));
    expect(await inbox.due(10)).toEqual([]);

    expect(await inbox.releaseLeases()).toBe(2);
    expect((await inbox.due(10)).sort()).toEqual([fresh.id, held.id].sort());
    expect(await inbox.process(held.id, async () => "finished by the new owner")).toEqual({
      status: "done",
      value: "finished by the new owner",
    });
  });

  it("sweeps every event a crash left behind in one go, not one batch of 100 a minute", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const keys = Array.from({ length: 250 }, (_, i) => `lark:msg:crash-${i}`);
    await Promise.all(keys.map((key) => inbox.accept(message(key))));
    clock.advance(LEASE_MS + 1);
    let handled = 0;
    const handler = {
      message: async () => {
        handled++;
        return { settled: Promise.resolve() };
      },
    } as unknown as EventHandler;
    const dispatch = createDispatcher({ inbox, handler, background: () => {}, log: silentLogger });
    expect(await dispatch.sweep()).toEqual({ done: 250, failed: 0 });
    expect(handled).toBe(250);
    expect(await inbox.due(1000)).toEqual([]);
  });

  it("retries a failing event after its lease and parks it as dead after the last attempt", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const { id } = await inbox.accept(message("lark:msg:5"));
    const fail = async () => {
      throw new Error("platform said no");
    };
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await inbox.process(id, fail)).toMatchObject({ status: "failed", dead: false });
      // Not before the lease: a crash loop must not spin.
      expect(await inbox.process(id, fail)).toEqual({ status: "busy" });
      clock.advance(LEASE_MS + 1);
      expect(await inbox.due(10)).toEqual([id]);
    }
    expect(await inbox.process(id, fail)).toMatchObject({ status: "failed", dead: true });
    const [row] = await database.db.select().from(inboxTable).where(eq(inboxTable.id, id));
    expect(row).toMatchObject({
      status: "dead",
      attempts: MAX_ATTEMPTS,
      lastError: "Error: platform said no",
    });
    clock.advance(LEASE_MS + 1);
    expect(await inbox.due(10)).toEqual([]);
  });

  it("reads back the messages nobody has started, oldest first: no card clicks, retries or finished ones", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const first = await inbox.accept(message("lark:msg:first"));
    clock.advance(1000);
    const started = await inbox.accept(message("lark:msg:started"));
    const click: InboundAction = {
      kind: "action",
      platform: "lark",
      dedupKey: "lark:card:1",
      actionId: "help.language",
      value: {},
      form: {},
      operator: { id: "ou_1", name: "Wang" },
      chat: { id: "oc_1", kind: "group" },
      message: { messageId: "om_1" },
    };
    const clickRow = await inbox.accept(click);
    clock.advance(1000);
    const second = await inbox.accept(message("lark:msg:second"));
    await inbox.process(started.id, async () => {});
    expect(clickRow.inserted).toBe(true);
    expect(await inbox.unstarted(10)).toEqual([first.id, second.id]);
    expect(await inbox.unstarted(1)).toEqual([first.id]);
  });

  it("prunes only finished rows older than the cut-off", async () => {
    const clock = manualClock("2026-11-26T01:00:00Z");
    const inbox = createInbox({ database, now: clock.now, log: silentLogger });
    const old = await inbox.accept(message("lark:msg:6"));
    await inbox.process(old.id, async () => "done");
    await inbox.accept(message("lark:msg:7"));
    clock.advance(31 * 86_400_000);
    const fresh = await inbox.accept(message("lark:msg:8"));
    await inbox.process(fresh.id, async () => "done");
    expect(await inbox.prune(new Date(clock.now().getTime() - 30 * 86_400_000))).toBe(1);
    expect(await database.db.select().from(inboxTable)).toHaveLength(2);
  });
});

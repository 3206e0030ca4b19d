// Shared set-up of the outbox tests: a fake clock moved by the outbox's own sleeps, the real Lark adapter on
// the fake Lark, and a record of when (on the fake clock) each send started.
import { asc } from "drizzle-orm";
import type { PlatformId } from "../../../src/chat/events.ts";
import type { Database } from "../../../src/db/database.ts";
import { outbox } from "../../../src/db/schema/index.ts";
import { type Logger, silentLogger } from "../../../src/log.ts";
import { createOutbox, type Outbox, type OutboxItem } from "../../../src/outbox/outbox.ts";
import { createLarkAdapter } from "../../../src/platforms/lark/adapter.ts";
import type { PlatformAdapter } from "../../../src/platforms/types.ts";
import type { FakeLark } from "../../fakes/lark.ts";

export const LARK_APP = { appId: "cli_outbox_test_01", appSecret: "outbox-secret-1" };
export const START = new Date("2026-11-26T01:00:00.000Z");

export interface FakeTime {
  now: () => Date;
  /** What the outbox gets as `sleep`: time passes at once, in whole milliseconds. */
  sleep: (ms: number) => Promise<void>;
  advanceTo(at: Date): void;
  advance(ms: number): void;
}

export function fakeTime(start = START): FakeTime {
  let ms = start.getTime();
  return {
    now: () => new Date(ms),
    sleep: async (wait) => {
      ms += Math.max(0, Math.ceil(wait));
    },
    advanceTo: (at) => {
      ms = Math.max(ms, at.getTime());
    },
    advance: (wait) => {
      ms += wait;
    },
  };
}

export interface SendRecord {
  /** Fake-clock time the send started. */
  at: number;
  key: string;
  target: string;
}

/** Wraps an adapter to note each send's start on the fake clock; `gate` may hold a send back. */
export function recording(
  adapter: PlatformAdapter,
  time: FakeTime,
  gate?: (key: string) => Promise<void>,
): { adapter: PlatformAdapter; sends: SendRecord[] } {
  const sends: SendRecord[] = [];
  return {
    sends,
    adapter: {
      ...adapter,
      async send(target, message, key) {
        sends.push({ at: time.now().getTime(), key, target: JSON.stringify(target) });
        await gate?.(key);
        return adapter.send(target, message, key);
      },
    },
  };
}

export function larkAdapter(fake: FakeLark, time: FakeTime): PlatformAdapter {
  return createLarkAdapter({
    config: { ...LARK_APP, verificationToken: "vt-outbox", apiBase: fake.url },
    now: time.now,
  });
}

export function outboxWith(
  database: Database,
  time: FakeTime,
  adapters: Partial<Record<PlatformId, PlatformAdapter>>,
  log: Logger = silentLogger,
): Outbox {
  return createOutbox({ database, adapters, now: time.now, log, sleep: time.sleep, random: () => 0.5 });
}

export const textTo = (chatId: string, key: string, text = key): OutboxItem => ({
  idempotencyKey: key,
  target: { kind: "chat", platform: "lark", chatId, chatKind: "group" },
  message: { type: "text", text },
});

export const rows = (database: Database) => database.db.select().from(outbox).orderBy(asc(outbox.id));

/** The `uuid` of every message the fake Lark delivered, in order: the idempotency keys as Lark saw them. */
export const deliveredKeys = (fake: FakeLark): string[] =>
  fake.delivered.map((entry) => (entry.body as { uuid: string }).uuid);

/** Message calls the fake answered, successful or not (token fetches excluded). */
export const messageCalls = (fake: FakeLark) =>
  fake.requests.filter((request) => request.path.startsWith("/open-apis/im/"));

/**
 * Drains until nothing is open, moving the clock to the next due row between drains; returns how many drains
 * it took. Fails the test when rows are still open after `limit` rounds.
 */
export async function drainUntilSettled(
  database: Database,
  box: Outbox,
  time: FakeTime,
  limit = 50,
): Promise<number> {
  for (let round = 1; round <= limit; round++) {
    await box.drain();
    const open = (await rows(database)).filter((row) => row.status === "pending" || row.status === "sending");
    if (open.length === 0) return round;
    // Rows due already but not claimed wait behind a row of their destination that is not due yet.
    const later = open.map((row) => row.nextAttemptAt.getTime()).filter((at) => at > time.now().getTime());
    if (later.length === 0) throw new Error("open rows are due but no drain takes them");
    time.advanceTo(new Date(Math.min(...later)));
  }
  throw new Error(`outbox still has open rows after ${limit} drains`);
}

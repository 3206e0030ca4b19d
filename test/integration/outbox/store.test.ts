// The outbox table's records of sends, written several at a time: each row only by the holder of its lease.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outbox } from "../../../src/db/schema/index.ts";
import { createOutboxStore } from "../../../src/outbox/store.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());
beforeEach(() => truncateAll(database));

const at = new Date("2026-11-26T01:00:00Z");
const leaseUntil = new Date("2026-11-26T01:02:00Z");

const reply = (key: string) => ({
  idempotencyKey: key,
  platform: "lark",
  targetKey: `chat:oc_${key}`,
  target: {
    kind: "chat" as const,
    platform: "lark" as const,
    chatId: `oc_${key}`,
    chatKind: "group" as const,
  },
  message: { type: "text" as const, text: key },
});

describe("outbox store", () => {
  it("writes rows claimed and hands back the new ones as stored, a key given twice once, from its first row", async () => {
    const store = createOutboxStore(database.db);
    await store.insert([reply("stored")], at);
    const twice = { ...reply("new"), message: { type: "text" as const, text: "the second" } };
    const claimed = await store.insertClaimed(
      [reply("stored"), reply("new"), twice, reply("after")],
      at,
      leaseUntil,
    );
    const stored = await database.db.select().from(outbox).orderBy(outbox.id);
    const asStored = stored
      .filter((row) => row.idempotencyKey !== "stored")
      .map(
        ({ id, idempotencyKey, platform, targetKey, target, message, attempts, createdAt, leaseUntil }) => ({
          id,
          idempotencyKey,
          platform,
          targetKey,
          target,
          message,
          attempts,
          createdAt,
          leaseUntil,
        }),
      );
    expect(claimed).toEqual(asStored);
    expect(claimed.map((row) => [row.idempotencyKey, row.message])).toEqual([
      ["new", reply("new").message],
      ["after", reply("after").message],
    ]);
    expect(stored.map((row) => [row.idempotencyKey, row.status])).toEqual([
      ["stored", "pending"],
      ["new", "sending"],
      ["after", "sending"],
    ]);
  });

  it("records sends that end together in one go, each only where its sender still holds the lease", async () => {
    const store = createOutboxStore(database.db);
    const [alone, held, lost] = await store.insertClaimed(
      [reply("alone"), reply("held"), reply("lost")],
      at,
      leaseUntil,
    );
    if (!alone || !held || !lost) throw new Error("three rows were claimed");
    // Another sender re-claimed one row after this sender's lease ran out.
    const theirs = new Date("2026-11-26T01:05:00Z");
    await database.db.update(outbox).set({ leaseUntil: theirs }).where(eq(outbox.id, lost.id));

    const sentAt = new Date("2026-11-26T01:00:01Z");
    // The first goes out at once; the two that end while it is written go together in the next statement.
    const written = await Promise.all(
      [alone, held, lost].map((row) => store.markSent(row, { messageId: `m_${row.idempotencyKey}` }, sentAt)),
    );
    expect(written).toEqual([true, true, false]);

    const stored = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(
      stored.map(({ idempotencyKey, status, attempts, leaseUntil, result, finishedAt }) => ({
        idempotencyKey,
        status,
        attempts,
        leaseUntil,
        result,
        finishedAt,
      })),
    ).toEqual([
      {
        idempotencyKey: "alone",
        status: "sent",
        attempts: 1,
        leaseUntil: null,
        result: { messageId: "m_alone" },
        finishedAt: sentAt,
      },
      {
        idempotencyKey: "held",
        status: "sent",
        attempts: 1,
        leaseUntil: null,
        result: { messageId: "m_held" },
        finishedAt: sentAt,
      },
      {
        idempotencyKey: "lost",
        status: "sending",
        attempts: 0,
        leaseUntil: theirs,
        result: null,
        finishedAt: null,
      },
    ]);
  });
});

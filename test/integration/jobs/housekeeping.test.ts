// The housekeeping job: what it prunes and keeps, and on the embedded database the space of pruned rows reused.
import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rowsOf } from "../../../src/db/database.ts";
import { inbox, jobRuns, outbox, sendBudgets } from "../../../src/db/schema/index.ts";
import { housekeepingJob } from "../../../src/jobs/housekeeping.ts";
import { runJob } from "../../../src/jobs/run-job.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { jobContextAt } from "../../helpers/job-context.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

const TICK = new Date("2026-11-25T19:17:00Z");
const DAY_MS = 86_400_000;
const daysBefore = (days: number) => new Date(TICK.getTime() - days * DAY_MS);

const runAt = (tick: Date) =>
  runJob(jobContextAt(database, tick, { OPS_TIMEZONE: "Asia/Shanghai" }), housekeepingJob, {
    trigger: "manual",
    by: "test",
    finishedAt: () => tick,
  });

/** Finished outbox rows, `finishedDaysAgo` old, each carrying about a kilobyte of message. */
const sentMessages = (count: number, finishedDaysAgo: number, keyPrefix: string) =>
  database.db.insert(outbox).values(
    Array.from({ length: count }, (_, i) => ({
      idempotencyKey: `${keyPrefix}:${i}`,
      platform: "lark",
      targetKey: "chat:oc_1",
      target: { kind: "chat", platform: "lark", chatId: "oc_1" },
      message: { type: "text", text: `${keyPrefix} ${i} ${"x".repeat(1000)}` },
      status: "sent",
      nextAttemptAt: daysBefore(finishedDaysAgo),
      createdAt: daysBefore(finishedDaysAgo),
      finishedAt: daysBefore(finishedDaysAgo),
    })),
  );

const outboxBytes = async () =>
  Number(
    rowsOf<{ bytes: number | string }>(
      await database.db.execute(sql`select pg_relation_size('outbox') as bytes`),
    )[0]?.bytes,
  );

describe("housekeeping", () => {
  it("prunes what finished more than 30 days ago and idle send budgets, and keeps the rest", async () => {
    const { db } = database;
    await sentMessages(1, 31, "old");
    await sentMessages(1, 29, "recent");
    await db.insert(inbox).values([
      {
        platform: "lark",
        dedupKey: "old",
        event: {},
        status: "done",
        receivedAt: daysBefore(31),
        finishedAt: daysBefore(31),
      },
      {
        platform: "lark",
        dedupKey: "dead",
        event: {},
        status: "dead",
        receivedAt: daysBefore(40),
        finishedAt: daysBefore(40),
      },
      {
        platform: "lark",
        dedupKey: "recent",
        event: {},
        status: "done",
        receivedAt: daysBefore(29),
        finishedAt: daysBefore(29),
      },
      { platform: "lark", dedupKey: "open", event: {}, status: "pending", receivedAt: daysBefore(31) },
    ]);
    await db.insert(jobRuns).values([
      {
        job: "kpi-digest",
        tick: daysBefore(31),
        trigger: "schedule",
        status: "done",
        claimedBy: "test",
        startedAt: daysBefore(31),
      },
      {
        job: "kpi-digest",
        tick: daysBefore(1),
        trigger: "schedule",
        status: "done",
        claimedBy: "test",
        startedAt: daysBefore(1),
      },
    ]);
    await db.insert(sendBudgets).values([
      { budget: "lark:chat:idle", starts: [daysBefore(2).getTime()], lastStartAt: daysBefore(2) },
      { budget: "lark:chat:busy", starts: [TICK.getTime()], lastStartAt: TICK },
    ]);

    const { summary } = await runAt(TICK);
    expect(summary).toMatch(/^pruned 1 job runs, 2 inbox rows, 1 outbox rows, 1 idle send budgets/);

    const keys = async <T extends { key: string }>(rows: Promise<T[]>) => (await rows).map((row) => row.key);
    expect(await keys(db.select({ key: outbox.idempotencyKey }).from(outbox))).toEqual(["recent:0"]);
    expect(await keys(db.select({ key: inbox.dedupKey }).from(inbox).orderBy(asc(inbox.id)))).toEqual([
      "recent",
      "open",
    ]);
    expect(await keys(db.select({ key: sendBudgets.budget }).from(sendBudgets))).toEqual(["lark:chat:busy"]);
    // The run of this very job is recorded too, beside the recent one.
    expect(await db.$count(jobRuns)).toBe(2);
  });

  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
    "on the embedded database, vacuums: the space of pruned rows holds the next ones instead of the table growing",
    async () => {
      await sentMessages(500, 31, "month-old");
      const before = await outboxBytes();

      const { summary } = await runAt(TICK);
      expect(summary).toBe(
        "pruned 0 job runs, 0 inbox rows, 500 outbox rows, 0 idle send budgets; vacuumed and analyzed the embedded database",
      );
      await sentMessages(500, 1, "new");

      // Without the vacuum the dead rows keep their pages and the new ones take as many again.
      expect(await outboxBytes()).toBeLessThanOrEqual(before);
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "on a Postgres server, leaves vacuuming to its autovacuum (Postgres only)",
    async () => {
      const { summary } = await runAt(TICK);
      expect(summary).toBe("pruned 0 job runs, 0 inbox rows, 0 outbox rows, 0 idle send budgets");
    },
  );
});

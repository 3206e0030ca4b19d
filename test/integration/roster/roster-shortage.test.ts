// The roster's spare and its shortage alerts on a manual clock: 16:00 the working day before and 07:30 on the
// day, on a working day, before and on the make-up Saturday 2026-10-10, and around the holiday 2026-10-01.
import { asc, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, outbox as outboxTable } from "../../../src/db/schema/index.ts";
import type { Actor } from "../../../src/domain/actor.ts";
import { changeRosterPost, rosterOf } from "../../../src/domain/roster/roster.ts";
import { isShort, requiredWithSpare } from "../../../src/domain/roster/spare.ts";
import { subscribe } from "../../../src/domain/subscriptions/subscriptions.ts";
import { findJob } from "../../../src/jobs/registry.ts";
import { rosterShortageJob } from "../../../src/jobs/roster-shortage.ts";
import { claimTick, runJob } from "../../../src/jobs/run-job.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { createHarness, type Fakes, startFakes } from "../../helpers/e2e-harness.ts";
import { insertPerson, shanghai } from "../kpi/kpi-fixture.ts";

let database: TestDatabase;
let fakes: Fakes;
let manager: number;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  manager = await insertPerson(database.db);
  await subscribe(database.db, {
    platform: "lark",
    chat: { id: "oc_alerts", kind: "group" },
    topic: "alerts",
    sendAt: null,
    language: "zh",
    by: manager,
    now: shanghai("2026-09-01T10:00"),
  });
});

const actor = (at: Date): Actor => ({
  personId: manager,
  name: "Manager",
  roles: ["manager"],
  platform: "lark",
  platformMessageId: `om_${at.getTime()}_${Math.random()}`,
  at,
});

/** A post of `day` needing `need`, with `assigned` people: short unless assigned ≥ ⌈need × 1.1⌉. */
async function rosterPost(day: string, post: string, need: number, assigned: number) {
  const at = shanghai("2026-09-01T09:00");
  await changeRosterPost(database.db, actor(at), day, post, { need });
  const names = Array.from({ length: assigned }, (_, i) => `P${i + 1}`);
  if (assigned > 0) await changeRosterPost(database.db, actor(at), day, post, { assigned: names });
}

function startInstance(start: Date) {
  const harness = createHarness({ database, fakes, channels: ["lark"], start });
  return {
    async tick(local: string) {
      const tick = shanghai(local);
      harness.clock.set(tick.toISOString());
      const ctx = harness.services.jobContext(tick);
      const id = await claimTick(ctx, rosterShortageJob, "a");
      if (id === undefined) throw new Error(`tick ${local} not claimed`);
      await runJob(ctx, rosterShortageJob, {
        id,
        trigger: "schedule",
        by: "a",
        finishedAt: harness.clock.now,
      });
      await harness.settle();
    },
  };
}

/** The alert keys in the outbox, without the group: day, slot and post. */
async function alerted(): Promise<string[]> {
  const rows = await database.db
    .select({ key: outboxTable.idempotencyKey })
    .from(outboxTable)
    .where(like(outboxTable.idempotencyKey, "roster-short:%"))
    .orderBy(asc(outboxTable.idempotencyKey));
  return rows.map((row) => row.key.replace(/:lark:oc_alerts$/, ""));
}

describe("the spare", () => {
  it("is ⌈need × 1.1⌉ exactly for every need, in whole numbers", () => {
    expect([0, 1, 5, 9, 10, 11, 20, 30, 100, 110].map(requiredWithSpare)).toEqual([
      0, 2, 6, 10, 11, 13, 22, 33, 110, 121,
    ]);
    for (let need = 0; need <= 10_000; need++) {
      const exact = Math.floor((need * 11 + 9) / 10);
      expect(requiredWithSpare(need)).toBe(exact);
    }
    expect(isShort(10, 10)).toBe(true);
    expect(isShort(10, 11)).toBe(false);
    expect(isShort(20, 22)).toBe(false);
  });
});

describe("a roster post", () => {
  it("keeps its need when people are assigned and its people when the need changes, each change audited", async () => {
    const at = shanghai("2026-11-26T10:00");
    await changeRosterPost(database.db, actor(at), "2026-11-27", "packing", { need: 10 });
    await changeRosterPost(database.db, actor(at), "2026-11-27", "packing", { assigned: ["Li", "Wang"] });
    await changeRosterPost(database.db, actor(at), "2026-11-27", "packing", { need: 2 });
    expect(await rosterOf(database.db, "2026-11-27")).toEqual([
      { day: "2026-11-27", post: "packing", need: 2, required: 3, assigned: ["Li", "Wang"], short: true },
    ]);
    const rows = await database.db.select().from(auditLog).orderBy(asc(auditLog.id));
    expect(
      rows.filter((row) => row.entityType === "roster_post").map((row) => [row.action, row.after]),
    ).toEqual([
      ["set_need", { need: 10, assigned: [] }],
      ["assign", { need: 10, assigned: ["Li", "Wang"] }],
      ["set_need", { need: 2, assigned: ["Li", "Wang"] }],
    ]);
  });
});

describe("roster-shortage", () => {
  it("is in the job registry", () => {
    expect(findJob("roster-shortage")).toBe(rosterShortageJob);
  });

  it("on a working day: short posts of the next working day at 16:00, again at 07:30 on the day, once each", async () => {
    await rosterPost("2026-11-27", "packing", 10, 10);
    await rosterPost("2026-11-27", "QC", 20, 22);
    const bot = startInstance(shanghai("2026-11-26T15:00"));
    await bot.tick("2026-11-26T15:55");
    expect(await alerted()).toEqual([]);
    await bot.tick("2026-11-26T16:00");
    await bot.tick("2026-11-26T16:05");
    expect(await alerted()).toEqual(["roster-short:2026-11-27:day-before:packing"]);
    await bot.tick("2026-11-27T07:25");
    expect(await alerted()).toHaveLength(1);
    await bot.tick("2026-11-27T07:30");
    await bot.tick("2026-11-27T07:35");
    expect(await alerted()).toEqual([
      "roster-short:2026-11-27:day-before:packing",
      "roster-short:2026-11-27:on-the-day:packing",
    ]);
    const texts = fakes.lark.delivered.map((d) => JSON.stringify(d.body));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("排班缺人 2026-11-27");
    expect(texts[0]).toContain("缺 1 人");
  });

  it("warns on Friday 2026-10-09 for the make-up Saturday, on the Saturday for it, and on it for Monday", async () => {
    await rosterPost("2026-10-10", "packing", 5, 0);
    await rosterPost("2026-10-11", "packing", 5, 0);
    await rosterPost("2026-10-12", "packing", 5, 6);
    await rosterPost("2026-10-12", "QC", 1, 1);
    const bot = startInstance(shanghai("2026-10-09T15:00"));
    await bot.tick("2026-10-09T16:00");
    await bot.tick("2026-10-10T07:30");
    await bot.tick("2026-10-10T16:00");
    await bot.tick("2026-10-11T07:30");
    await bot.tick("2026-10-11T16:00");
    expect(await alerted()).toEqual([
      "roster-short:2026-10-10:day-before:packing",
      "roster-short:2026-10-10:on-the-day:packing",
      "roster-short:2026-10-12:day-before:QC",
    ]);
  });

  it("says nothing on the holiday 2026-10-01; on 09-30 it warns for 10-08, the next working day", async () => {
    await rosterPost("2026-10-01", "packing", 5, 0);
    await rosterPost("2026-10-08", "packing", 5, 0);
    const bot = startInstance(shanghai("2026-09-30T15:00"));
    await bot.tick("2026-09-30T16:00");
    await bot.tick("2026-10-01T07:30");
    await bot.tick("2026-10-01T16:00");
    await bot.tick("2026-10-07T16:00");
    expect(await alerted()).toEqual(["roster-short:2026-10-08:day-before:packing"]);
    await bot.tick("2026-10-08T07:30");
    expect(await alerted()).toEqual([
      "roster-short:2026-10-08:day-before:packing",
      "roster-short:2026-10-08:on-the-day:packing",
    ]);
  });
});

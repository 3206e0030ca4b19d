import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { jobRuns } from "../../../src/db/schema/index.ts";
import { startNodeScheduler } from "../../../src/entry/node/scheduler.ts";
import type { Job, JobContext } from "../../../src/jobs/job.ts";
import { cronSchedules, JOBS } from "../../../src/jobs/registry.ts";
import { claimTick, runJob } from "../../../src/jobs/run-job.ts";
import { silentLogger } from "../../../src/log.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { jobContextAt } from "../../helpers/job-context.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

const contextAt = (tick: Date): JobContext => jobContextAt(database, tick);

function countingJob(cron = "* * * * *") {
  const ticks: string[] = [];
  const job: Job = {
    name: "counting",
    cron,
    description: "records the ticks it ran for",
    run: async ({ now }) => {
      ticks.push(now.toISOString());
      return `ran for ${now.toISOString()}`;
    },
  };
  return { job, ticks };
}

describe("tick claims", () => {
  it("lets exactly one of many instances claim a scheduled tick", async () => {
    const { job } = countingJob();
    const tick = new Date("2026-11-26T01:00:00Z");
    const claims = await Promise.all(
      ["a", "b", "c", "d"].map((instance) => claimTick(contextAt(tick), job, instance)),
    );
    expect(claims.filter((id) => id !== undefined)).toHaveLength(1);
    expect(await claimTick(contextAt(new Date("2026-11-26T01:01:00Z")), job, "a")).toBeDefined();
  });

  it("records a manual run even for a tick a scheduler already ran", async () => {
    const { job, ticks } = countingJob();
    const tick = new Date("2026-11-26T01:00:00Z");
    const id = await claimTick(contextAt(tick), job, "a");
    const finishedAt = () => new Date("2026-11-26T01:00:02Z");
    await runJob(contextAt(tick), job, { id, trigger: "schedule", by: "a", finishedAt });
    await runJob(contextAt(tick), job, { trigger: "manual", by: "cli", finishedAt });
    expect(ticks).toEqual([tick.toISOString(), tick.toISOString()]);
    const rows = await database.db.select().from(jobRuns);
    expect(rows.map((row) => [row.trigger, row.status])).toEqual([
      ["schedule", "done"],
      ["manual", "done"],
    ]);
  });

  it("records a failing run with its error", async () => {
    const job: Job = {
      name: "broken",
      cron: "* * * * *",
      description: "always fails",
      run: async () => {
        throw new Error("no luck");
      },
    };
    const outcome = await runJob(contextAt(new Date("2026-11-26T01:00:00Z")), job, {
      trigger: "manual",
      by: "cli",
      finishedAt: () => new Date("2026-11-26T01:00:01Z"),
    });
    expect(outcome).toEqual({ ok: false, summary: "no luck" });
    const [row] = await database.db.select().from(jobRuns);
    expect(row).toMatchObject({ status: "failed", error: "no luck" });
  });
});

describe("node-cron scheduler", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs each tick once across two instances sharing the database", async () => {
    // node-cron keeps time with setTimeout and Date; faking only those lets the minute pass at once.
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "Date"],
      now: new Date("2026-11-26T00:59:30Z"),
    });
    const { job, ticks } = countingJob();
    const schedulers = ["one", "two"].map((instanceId) =>
      startNodeScheduler({
        jobs: [job],
        context: contextAt,
        instanceId,
        now: () => new Date(),
        log: silentLogger,
      }),
    );
    const finishedRuns = async () =>
      (await database.db.select().from(jobRuns)).filter((row) => row.status === "done").length;
    await vi.advanceTimersByTimeAsync(31_000);
    await vi.waitFor(async () => expect(await finishedRuns()).toBe(1), { interval: 1 });
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(async () => expect(await finishedRuns()).toBe(2), { interval: 1 });
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
    expect(ticks).toEqual(["2026-11-26T01:00:00.000Z", "2026-11-26T01:01:00.000Z"]);
    const rows = await database.db.select().from(jobRuns);
    expect(rows.every((row) => row.status === "done" && row.trigger === "schedule")).toBe(true);
  });
});

describe("the job registry", () => {
  it("lists exactly its cron schedules in wrangler.toml's [triggers]", () => {
    const toml = readFileSync(join(import.meta.dirname, "../../../wrangler.toml"), "utf8");
    const triggers = /\[triggers\][^[]*?crons\s*=\s*\[([^\]]*)\]/s.exec(toml);
    expect(triggers, "wrangler.toml has a [triggers] crons list").not.toBeNull();
    const crons = [...(triggers?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(crons).toEqual(cronSchedules());
  });

  it("has unique job names and valid five-field crons", () => {
    expect(new Set(JOBS.map((job) => job.name)).size).toBe(JOBS.length);
    for (const job of JOBS) expect(job.cron.split(" ")).toHaveLength(5);
  });
});

// Runs one job for one tick and records it in job_runs; a scheduled tick is claimed first so it runs once.
import { eq } from "drizzle-orm";
import { jobRuns } from "../db/schema/index.ts";
import { causeText } from "../log.ts";
import type { Job, JobContext } from "./job.ts";

export type Trigger = "schedule" | "manual";

/**
 * Claims (job, tick) for a scheduled run: true for exactly one caller across every instance. Manual
 * runs are not claimed: an operator may rerun a tick on purpose, and the outbox keys stop double sends.
 */
export async function claimTick(ctx: JobContext, job: Job, claimedBy: string): Promise<number | undefined> {
  const rows = await ctx.database.db
    .insert(jobRuns)
    .values({
      job: job.name,
      tick: ctx.now,
      trigger: "schedule",
      status: "running",
      claimedBy,
      startedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: jobRuns.id });
  return rows[0]?.id;
}

/** Runs the job and records its outcome on the run row (creating one for manual runs). */
export async function runJob(
  ctx: JobContext,
  job: Job,
  run: { id?: number; trigger: Trigger; by: string; finishedAt: () => Date },
): Promise<{ ok: boolean; summary: string }> {
  const { db } = ctx.database;
  let id = run.id;
  if (id === undefined) {
    const rows = await db
      .insert(jobRuns)
      .values({
        job: job.name,
        tick: ctx.now,
        trigger: run.trigger,
        status: "running",
        claimedBy: run.by,
        startedAt: ctx.now,
      })
      .returning({ id: jobRuns.id });
    id = rows[0]?.id as number;
  }
  try {
    const summary = await job.run(ctx);
    await db.update(jobRuns).set({ status: "done", finishedAt: run.finishedAt() }).where(eq(jobRuns.id, id));
    ctx.log.info("job.done", { job: job.name, tick: ctx.now.toISOString(), trigger: run.trigger, summary });
    return { ok: true, summary };
  } catch (error) {
    const message = error instanceof Error ? `${error.message}${causeText(error)}` : String(error);
    await db
      .update(jobRuns)
      .set({ status: "failed", finishedAt: run.finishedAt(), error: message.slice(0, 2000) })
      .where(eq(jobRuns.id, id));
    ctx.log.error("job.failed", { job: job.name, tick: ctx.now.toISOString(), trigger: run.trigger, error });
    return { ok: false, summary: message };
  }
}

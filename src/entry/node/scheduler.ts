// node-cron on Node: one task per job, with a Postgres-backed run coordinator so each tick runs once.
import cron, { type Logger as CronLogger, type RunCoordinator, type ScheduledTask } from "node-cron";
import type { Clock } from "../../clock.ts";
import type { Job, JobContext } from "../../jobs/job.ts";
import { claimTick, runJob } from "../../jobs/run-job.ts";
import type { Logger } from "../../log.ts";

export interface NodeScheduler {
  stop(): Promise<void>;
}

/**
 * node-cron asks the coordinator before each fire with the key "<name>:<slot ISO>"; the claim row for
 * (job, slot) decides. The job then runs inside the task with the same slot as its clock.
 */
function coordinatorFor(
  job: Job,
  context: (tick: Date) => JobContext,
  instanceId: string,
  claims: Map<string, number>,
) {
  const coordinator: RunCoordinator = {
    async shouldRun(key) {
      const tick = new Date(key.slice(job.name.length + 1));
      const id = await claimTick(context(tick), job, instanceId);
      if (id === undefined) return false;
      claims.set(tick.toISOString(), id);
      return true;
    },
  };
  return coordinator;
}

/** node-cron's own messages (missed ticks, overlaps) as our structured lines. */
function cronLogger(log: Logger, job: string): CronLogger {
  const detail = (message: string | Error, error?: Error) => ({
    job,
    message: message instanceof Error ? message.message : message,
    ...(error ? { error } : {}),
  });
  return {
    debug: (message, error) => log.debug("cron.debug", detail(message, error)),
    info: (message) => log.info("cron.info", detail(message)),
    warn: (message) => log.warn("cron.warn", detail(message)),
    error: (message, error) => log.error("cron.error", detail(message, error)),
  };
}

export function startNodeScheduler(opts: {
  jobs: readonly Job[];
  context: (tick: Date) => JobContext;
  instanceId: string;
  now: Clock;
  log: Logger;
}): NodeScheduler {
  const tasks: ScheduledTask[] = [];
  for (const job of opts.jobs) {
    const claims = new Map<string, number>();
    const task = cron.schedule(
      job.cron,
      async ({ date }) => {
        const tick = new Date(Math.floor(date.getTime() / 1000) * 1000);
        const id = claims.get(tick.toISOString());
        claims.delete(tick.toISOString());
        if (id === undefined) return;
        await runJob(opts.context(tick), job, {
          id,
          trigger: "schedule",
          by: opts.instanceId,
          finishedAt: opts.now,
        });
      },
      {
        name: job.name,
        timezone: "UTC",
        noOverlap: true,
        distributed: true,
        runCoordinator: coordinatorFor(job, opts.context, opts.instanceId, claims),
        logger: cronLogger(opts.log, job.name),
      },
    );
    tasks.push(task);
  }
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}

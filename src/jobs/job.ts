// What a scheduled job is: a name, a UTC cron expression and a run function given the tick's time.

import type { Dispatcher } from "../bot/dispatch.ts";
import type { Config } from "../config/parse-env.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Outbox } from "../outbox/outbox.ts";

export interface JobContext {
  database: Database;
  config: Config;
  log: Logger;
  /** The tick being run: the scheduled time, or `--at` for a manual run. Jobs never read the wall clock. */
  now: Date;
  outbox: Outbox;
  dispatch: Dispatcher;
}

export interface Job {
  name: string;
  /** Five-field cron in UTC (Cron Triggers only speak UTC; node-cron is told the same). */
  cron: string;
  description: string;
  /** Returns a short summary for the log and the job_runs row. */
  run(ctx: JobContext): Promise<string>;
}

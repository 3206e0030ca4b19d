// A job's context at a chosen tick, on a test database: the services as the entries compose them, logging nothing.
import { parseEnv } from "../../src/config/parse-env.ts";
import type { Database } from "../../src/db/database.ts";
import { createServices } from "../../src/entry/compose/services.ts";
import type { JobContext } from "../../src/jobs/job.ts";
import { silentLogger } from "../../src/log.ts";

export const jobContextAt = (
  database: Database,
  tick: Date,
  env: Record<string, string | undefined> = {},
): JobContext =>
  createServices({
    config: parseEnv(env),
    database,
    log: silentLogger,
    now: () => tick,
    background: () => {},
  }).jobContext(tick);

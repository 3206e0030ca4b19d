// Cloudflare Workers entry: the same Hono app per request, and Cron Triggers running the job registry.
import { type Config, ConfigError, parseEnv } from "../../config/parse-env.ts";
import { openPostgres } from "../../db/postgres.ts";
import { JOBS } from "../../jobs/registry.ts";
import { claimTick, runJob } from "../../jobs/run-job.ts";
import { createLogger } from "../../log.ts";
import { type Adapters, createAdapters } from "../compose/adapters.ts";
import { createBackgroundTracker } from "../compose/background-tracker.ts";
import { secretsOf } from "../compose/secrets.ts";
import { createServices } from "../compose/services.ts";

interface WorkerEnv {
  HYPERDRIVE?: { connectionString: string };
  [name: string]: unknown;
}

interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

interface ScheduledEvent {
  cron: string;
  scheduledTime: number;
}

/** Bindings that are plain strings, plus the Hyperdrive connection string as DATABASE_URL. */
function environment(env: WorkerEnv): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") record[name] = value;
  if (env.HYPERDRIVE) record.DATABASE_URL = env.HYPERDRIVE.connectionString;
  return record;
}

/** Workers cannot hold a connection open between requests: a long-connection configuration is refused whole. */
function refuseLongConnections(config: Config): void {
  const asked = [
    config.lark?.transport && "LARK_TRANSPORT=ws",
    config.dingtalk?.transport && "DINGTALK_TRANSPORT=stream",
    config.wecomBotConnection && "WECOM_BOT_TRANSPORT=ws",
  ].filter(Boolean);
  if (asked.length > 0)
    throw new Error(
      `${asked.join(", ")}: Workers cannot hold long connections; set webhook here, or run the Node server (npm start)`,
    );
}

/**
 * Parsed once per isolate: bindings do not change while it lives. The adapters are kept too, so their
 * access tokens are fetched once per isolate rather than once per request.
 */
let cached: { env: WorkerEnv; config: Config; adapters: Adapters } | undefined;
function isolateState(env: WorkerEnv) {
  if (cached?.env !== env) {
    const config = parseEnv(environment(env));
    refuseLongConnections(config);
    cached = { env, config, adapters: createAdapters(config, { now: () => new Date() }) };
  }
  return cached;
}

/**
 * One request's (or one tick's) services. postgres.js connections cannot outlive the request that opened
 * them on Workers, so each gets its own small pool, closed once its background work is done.
 */
function open(env: WorkerEnv, ctx: WorkerContext) {
  const { config, adapters } = isolateState(env);
  if (!config.databaseUrl) throw new Error("no database: bind Hyperdrive as HYPERDRIVE");
  const log = createLogger({ secrets: secretsOf(config) });
  const database = openPostgres(config.databaseUrl, { max: 2 });
  const tracker = createBackgroundTracker(log);
  const services = createServices({
    config,
    database,
    log,
    adapters,
    now: () => new Date(),
    background: tracker.track,
  });
  const finish = (work: Promise<unknown>) =>
    ctx.waitUntil(
      work
        .catch((error) => log.error("worker.failed", { error }))
        .then(() => tracker.drain())
        .finally(() => database.close()),
    );
  return { config, log, database, services, finish };
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    let opened: ReturnType<typeof open>;
    try {
      opened = open(env, ctx);
    } catch (error) {
      const message =
        error instanceof ConfigError || error instanceof Error ? error.message : "configuration error";
      console.error(JSON.stringify({ level: "error", event: "worker.config_invalid", message }));
      return Response.json({ error: "misconfigured" }, { status: 500 });
    }
    const response = opened.services.app.fetch(request);
    opened.finish(Promise.resolve(response));
    return response;
  },

  async scheduled(event: ScheduledEvent, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
    const { services, finish } = open(env, ctx);
    const tick = new Date(event.scheduledTime);
    const due = JOBS.filter((job) => job.cron === event.cron);
    const work = (async () => {
      for (const job of due) {
        const context = services.jobContext(tick);
        const id = await claimTick(context, job, "worker");
        if (id !== undefined) {
          await runJob(context, job, { id, trigger: "schedule", by: "worker", finishedAt: () => new Date() });
        }
      }
    })();
    finish(work);
    await work;
  },
};

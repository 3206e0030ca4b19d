// Wires one runtime's services from config and database: adapters, inbox, outbox, the bot and the app.
import type { Hono } from "hono";
import { createCommandRegistry } from "../../../commands/index.ts";
import { type AppDeps, createApp } from "../../app.ts";
import { createBotHandler, createDispatcher } from "../../bot/dispatch.ts";
import { secretRedactor } from "../../bot/redact-secrets.ts";
import { createRouter } from "../../bot/router.ts";
import type { Clock } from "../../clock.ts";
import type { Config } from "../../config/parse-env.ts";
import type { Database } from "../../db/database.ts";
import { hasAnyRole } from "../../domain/people/role.ts";
import { createInbox } from "../../inbox/inbox.ts";
import type { JobContext } from "../../jobs/job.ts";
import { findJob } from "../../jobs/registry.ts";
import { runJob } from "../../jobs/run-job.ts";
import type { Logger } from "../../log.ts";
import { createOutbox } from "../../outbox/outbox.ts";
import type { CryptoPrimitives } from "../../platforms/shared/crypto-primitives.ts";
import { type Adapters, createAdapters } from "./adapters.ts";

export interface ServicesDeps {
  config: Config;
  database: Database;
  log: Logger;
  now: Clock;
  background: (work: Promise<unknown>) => void;
  fetch?: typeof fetch;
  /** How the outbox waits when pacing sends; tests pass one that moves their clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Adapters to reuse (their token caches) across requests; built from config when absent. */
  adapters?: Adapters;
  extraRoutes?: Hono;
  /** Aborted when the server stops: acked messages not yet started wait in the inbox for the next start. */
  signal?: AbortSignal;
  /** The webhook verifiers' crypto when the runtime has faster primitives than Web Crypto (Node). */
  crypto?: CryptoPrimitives;
  /** The long connections' states for /healthz (Node). */
  connections?: AppDeps["connections"];
}

export function createServices(deps: ServicesDeps) {
  const { config, database, log, now } = deps;
  const crypto = deps.crypto ? { crypto: deps.crypto } : {};
  const adapters =
    deps.adapters ?? createAdapters(config, { now, ...crypto, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const outbox = createOutbox({ database, adapters, now, log, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  const registry = createCommandRegistry({ database, config, now, outbox, log });
  const inbox = createInbox({ database, now, log, redact: secretRedactor(registry) });
  const router = createRouter({ registry, authorize: hasAnyRole });
  const handler = createBotHandler({ database, router, outbox, config, now, log });
  const dispatch = createDispatcher({
    inbox,
    handler,
    background: deps.background,
    log,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const app = createApp({
    database,
    adapters,
    dispatch,
    now,
    log,
    ...crypto,
    ...(deps.extraRoutes ? { extraRoutes: deps.extraRoutes } : {}),
    ...(deps.connections ? { connections: deps.connections } : {}),
  });

  const jobContext = (tick: Date): JobContext => ({
    database,
    config,
    log,
    now: tick,
    outbox,
    dispatch,
  });

  return {
    app,
    adapters,
    inbox,
    outbox,
    handler,
    dispatch,
    jobContext,
    /** Runs a job once by hand, as if the clock read `at`; undefined for an unknown job. */
    async runJobNow(name: string, at: Date, by: string) {
      const job = findJob(name);
      if (!job) return undefined;
      return runJob(jobContext(at), job, { trigger: "manual", by, finishedAt: now });
    },
    /** Finishes events a previous process acked but never completed. */
    recover: () => dispatch.sweep(),
  };
}
export type Services = ReturnType<typeof createServices>;

// The Node server's hook for a development tool such as the local console: defined here, implemented outside src/.
import type { Hono } from "hono";
import type { Clock } from "../../clock.ts";
import type { Config } from "../../config/parse-env.ts";
import type { Db } from "../../db/database.ts";
import type { Logger } from "../../log.ts";

export interface DevToolDeps {
  fetch: typeof fetch;
  now: Clock;
  log: Logger;
  /** Runs a job once as if the clock read `at`; undefined for an unknown job. */
  runJob(name: string, at: Date): Promise<{ ok: boolean; summary: string } | undefined>;
}

export interface MountedDevTool {
  /** The configuration the server runs with (a tool may stand in for platforms that are not configured). */
  readonly config: Config;
  /** Routes served beside the app's own. */
  routes(deps: DevToolDeps): Hono;
  /** Fills the migrated database before the first request is served. */
  seed(db: Db, now: Date): Promise<void>;
  /** Fields the start-up line adds for the tool, given the server's URL. */
  startupFields(url: string): Record<string, unknown>;
  /** Stops what the tool runs beside the server (the console's fake long-connection gateways). */
  close(): Promise<void>;
}

/** Called once the server listens at `selfUrl`; undefined leaves the tool off for this configuration. */
export type DevTools = (config: Config, selfUrl: string) => Promise<MountedDevTool | undefined>;

// The Node server's life: open and migrate the database, serve, schedule, and shut down cleanly.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { type Clock, systemClock } from "../../clock.ts";
import { type Config, configuredPlatforms, transports } from "../../config/parse-env.ts";
import { JOBS } from "../../jobs/registry.ts";
import type { Logger } from "../../log.ts";
import { startOutboxLoop } from "../../outbox/drain-loop.ts";
import { createBackgroundTracker } from "../compose/background-tracker.ts";
import { createServices } from "../compose/services.ts";
import { createAdminRoutes } from "./admin-routes.ts";
import { createConnectionHealth } from "./connection-health.ts";
import type { DevTools } from "./dev-tools.ts";
import { startLongConnections } from "./long-connections.ts";
import { nodeCryptoPrimitives } from "./node-crypto.ts";
import { openConfiguredDatabase } from "./open-database.ts";
import { createPooledFetch } from "./pooled-fetch.ts";
import { startNodeScheduler } from "./scheduler.ts";

/**
 * A webhook request is small (at most 1 MiB) and platforms answer-time out after a few seconds, so a request
 * still sending its headers after 10 s, or its body after 15 s, is cut instead of holding processing at its
 * busy setting for Node's defaults (60 s headers, 300 s request).
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * An idle keep-alive connection is closed only after its client would have closed it: a platform's HTTP
 * client keeps idle connections in its pool (Go's for 90 s by default) and may reuse one just as Node's 5 s
 * close crosses it, and that delivery fails with a reset (seen at the load client of the sustained scenario).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 100_000;

export interface NodeServerOptions {
  config: Config;
  log: Logger;
  now?: Clock;
  fetch?: typeof fetch;
  /** Start the cron scheduler (default on). */
  schedule?: boolean;
  /** Address to listen on; platforms call in from outside, so all interfaces by default. */
  hostname?: string;
  /** A development tool to mount (the local console); none in production. */
  devTools?: DevTools;
}

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  /** Stop accepting, finish in-flight work, stop the scheduler, close the database. Idempotent. */
  shutdown(): Promise<void>;
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const { config, log } = options;
  const now = options.now ?? systemClock;
  const instanceId = `node-${process.pid}-${randomBytes(3).toString("hex")}`;
  const { database, lock, release } = await openConfiguredDatabase(config);
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    await release();
    throw error;
  }
  // Listen first: a development tool's fake platform APIs live on this server, so their base URL needs the port.
  let handle: Hono["fetch"] = () => new Response("starting", { status: 503 });
  const server = serve({
    // The Node bindings (the socket, for the loopback checks) travel as the second argument.
    fetch: (request, bindings) => handle(request, bindings),
    port: config.port,
    hostname: options.hostname ?? "0.0.0.0",
    serverOptions: {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // How often Node looks for requests past those limits (30 s by default).
      connectionsCheckingInterval: 1_000,
    },
  });
  if ("keepAliveTimeout" in server) server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const devTool = await options.devTools?.(config, `http://127.0.0.1:${port}`);
  const servedConfig = devTool?.config ?? config;
  // The platforms' APIs over kept-alive connections, unless the caller brings its own fetch.
  const pooled = options.fetch ? undefined : createPooledFetch();
  const fetchFn = options.fetch ?? pooled?.fetch ?? globalThis.fetch.bind(globalThis);

  const tracker = createBackgroundTracker(log);
  const stopped = new AbortController();
  const extraRoutes = new Hono();
  if (lock)
    extraRoutes.route(
      "/",
      createAdminRoutes({
        token: lock.token,
        runJob: (name, at) => services.runJobNow(name, at ?? now(), `admin:${instanceId}`),
      }),
    );
  if (devTool)
    extraRoutes.route(
      "/",
      devTool.routes({
        fetch: fetchFn,
        now,
        log,
        runJob: (name, at) => services.runJobNow(name, at, `console:${instanceId}`),
      }),
    );
  const health = createConnectionHealth(now);
  const services = createServices({
    connections: health.snapshot,
    config: servedConfig,
    database,
    log,
    now,
    background: tracker.track,
    signal: stopped.signal,
    crypto: nodeCryptoPrimitives,
    fetch: fetchFn,
    extraRoutes,
  });
  try {
    await devTool?.seed(database.db, now());
  } catch (error) {
    server.close();
    await devTool?.close();
    await database.close();
    await release();
    throw error;
  }
  if (lock) {
    // The data-dir lock makes this process the embedded database's only user: what a process that died
    // held can be taken now instead of when its leases run out (inbox 1 min, outbox 2 min).
    const released = {
      inbox: await services.inbox.releaseLeases(),
      outbox: await services.outbox.releaseLeases(),
    };
    if (released.inbox + released.outbox > 0) log.info("server.leases_released", released);
  }
  handle = services.app.fetch;
  await lock?.setPort(port);
  const longConnections = await startLongConnections({
    config: servedConfig,
    adapters: services.adapters,
    acceptEvent: services.dispatch.acceptEvent,
    health,
    log,
  });

  const scheduler =
    options.schedule === false
      ? undefined
      : startNodeScheduler({ jobs: JOBS, context: services.jobContext, instanceId, now, log });
  // Retries and scheduled pushes go out from this loop; direct replies are sent at once by the handler.
  const outboxLoop = startOutboxLoop({ outbox: services.outbox, log });
  // Events acked by a previous process that died before finishing them.
  tracker.track(services.recover());

  const url = `http://localhost:${port}`;
  const platforms = configuredPlatforms(config);
  log.info("server.started", {
    url,
    database: database.mode === "postgres" ? "postgres" : `embedded PGlite in ${config.dataDir}`,
    platforms: platforms.length ? platforms : "none",
    transports: transports(servedConfig),
    ...devTool?.startupFields(url),
  });
  for (const { platform, missing } of config.incomplete) {
    log.warn("config.platform_incomplete", { platform, missing });
  }

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      log.info("server.stopping", {});
      stopped.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      });
      await longConnections.stop();
      await devTool?.close();
      await scheduler?.stop();
      await tracker.drain();
      await outboxLoop.stop();
      pooled?.close();
      await database.close();
      await release();
      log.info("server.stopped", {});
    })();
    return stopping;
  };
  return { port, url, shutdown };
}

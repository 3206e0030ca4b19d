// Scenario 1: minutes of mixed signed traffic (20 % redeliveries) at a fixed rate on Postgres: errors, ack latency, effects = distinct events, RSS trend.
import { randomBytes } from "node:crypto";
import type { ChildServer } from "../processes.ts";
import { readRss } from "../processes.ts";
import { type LatencySummary, summarize } from "../stats.ts";
import { runAckedLoad } from "./acked-load.ts";
import { dueDateAhead } from "./crash.ts";
import { type EffectsReport, readEffects } from "./effects.ts";
import { type PlatformEffects, readPlatformEffects } from "./platform-effects.ts";
import { createRunSecretScan, startPlatforms } from "./platforms.ts";
import type { SecretScan } from "./secret-scan.ts";
import { finishAndStop, startServer } from "./servers.ts";
import { createStore } from "./store.ts";
import { createTraffic } from "./traffic.ts";

export interface SustainedOptions {
  /** Shared by the scenarios of one run; a fresh one by default. */
  scan?: SecretScan;
  adminUrl: string;
  rate: number;
  durationMs: number;
  /** How often RSS is read. */
  rssEveryMs: number;
  drainTimeoutMs: number;
}

export interface SustainedResult {
  sent: number;
  duplicatesSent: number;
  errors: number;
  errorKinds: Record<string, number>;
  latency: LatencySummary;
  /** Answered requests per second over the whole load. */
  answeredPerSecond: number;
  /** The server's own bookkeeping (inbox, outbox, audit rows), shown beside the platform's count. */
  effects: EffectsReport;
  /** Replies and redrawn cards counted at the fake platforms, orders and complaints in the domain tables. */
  atPlatform: PlatformEffects;
  /** RSS samples in MiB, from the start of the load. */
  rssMiB: number[];
  /** Least-squares slope of RSS over the load after its first sample (start-up and warm-up left out), MiB per minute. */
  rssSlopeMiBPerMinute: number;
  /**
   * The same over the load's second half: V8 sizes its heap to the allocation rate in the first minutes, so
   * a leak shows here, where that growth is over.
   */
  rssSecondHalfSlopeMiBPerMinute: number;
  /** After the load: until every event was done and every reply sent. */
  drainMs: number;
  logLines: number;
  secretsInLogs: number;
}

/** Least-squares slope of `values` sampled every `everyMs`, per minute. */
function slopePerMinute(values: number[], everyMs: number): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const xs = values.map((_, i) => (i * everyMs) / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = values.reduce((a, b) => a + b, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    covariance += ((xs[i] as number) - mx) * ((values[i] as number) - my);
    variance += ((xs[i] as number) - mx) ** 2;
  }
  return covariance / variance;
}

export async function runSustained(options: SustainedOptions): Promise<SustainedResult> {
  const platforms = await startPlatforms();
  const store = await createStore("postgres", options.adminUrl);
  const scan = options.scan ?? createRunSecretScan();
  let server: ChildServer | undefined;
  try {
    const started = await startServer(store, platforms.env, scan);
    server = started;
    const rssMiB: number[] = [];
    const sample = () => rssMiB.push(readRss(started.pid) / 2 ** 20);
    sample();
    const sampler = setInterval(sample, options.rssEveryMs);
    const traffic = createTraffic({
      runId: randomBytes(3).toString("hex"),
      platforms,
      duplicateShare: 0.2,
      dueDate: dueDateAhead(),
    });
    const load = await runAckedLoad({
      urls: [server.url],
      traffic,
      rate: options.rate,
      durationMs: options.durationMs,
    }).finally(() => clearInterval(sampler));
    sample();
    const drainMs = await finishAndStop(
      store,
      server,
      () => startServer(store, platforms.env, scan),
      options.drainTimeoutMs,
    );
    const database = await store.open();
    try {
      return {
        sent: load.result.sent,
        duplicatesSent: load.duplicatesSent,
        errors: load.result.errors,
        errorKinds: load.result.errorKinds,
        latency: summarize(load.result.latencies),
        answeredPerSecond: load.result.ok / (load.result.elapsedMs / 1000),
        effects: await readEffects(database.db, load.acked.values()),
        atPlatform: await readPlatformEffects(database.db, platforms.fakes, {
          acked: load.acked.values(),
          cardsInAck: load.cardsInAck,
        }),
        rssMiB,
        rssSlopeMiBPerMinute: slopePerMinute(rssMiB.slice(1, -1), options.rssEveryMs),
        rssSecondHalfSlopeMiBPerMinute: slopePerMinute(
          rssMiB.slice(Math.floor(rssMiB.length / 2), -1),
          options.rssEveryMs,
        ),
        drainMs,
        logLines: scan.lines,
        secretsInLogs: scan.hits,
      };
    } finally {
      await database.close();
    }
  } finally {
    // Stopped already unless something failed on the way; stopping again only reads its exit.
    await server?.stop();
    await store.close();
    await platforms.close();
  }
}

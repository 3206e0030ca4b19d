// Scenario 4: two servers on one Postgres, requests in turn, both scheduling: every tick once, every message once, no deadlock.
import { randomBytes } from "node:crypto";
import { eq, like, sql } from "drizzle-orm";
import { jobRuns, outbox } from "../../src/db/schema/index.ts";
import { createLoadClient } from "../load.ts";
import type { ChildServer } from "../processes.ts";
import { runAckedLoad } from "./acked-load.ts";
import { dueDateAhead } from "./crash.ts";
import { type EffectsReport, readEffects } from "./effects.ts";
import { type PlatformEffects, readPlatformEffects } from "./platform-effects.ts";
import { ADMINS, createRunSecretScan, startPlatforms } from "./platforms.ts";
import {
  checkRates,
  deliveredTwice,
  dingtalkDestination,
  larkDestination,
  PUBLISHED_LIMITS,
  type RateCheck,
} from "./rate-check.ts";
import type { SecretScan } from "./secret-scan.ts";
import { startServer, waitDrained } from "./servers.ts";
import { createStore } from "./store.ts";
import { createTraffic, dingtalkMessage, larkMessage } from "./traffic.ts";

/** Lark's second cap per app, besides its 50 a second. */
const LARK_APP_PER_MINUTE = { count: 1000, perMs: 60_000 };

export interface TwoInstancesOptions {
  /** Shared by the scenarios of one run; a fresh one by default. */
  scan?: SecretScan;
  adminUrl: string;
  rate: number;
  /** Long enough for a few minute ticks (the per-minute jobs). */
  durationMs: number;
  drainTimeoutMs: number;
}

export interface TickCount {
  job: string;
  ticks: number;
  /** Ticks run more than once. */
  twice: number;
  /** Minutes between the first and last tick with no run (per-minute jobs only). */
  missing: number;
}

export interface TwoInstancesResult {
  sent: number;
  errors: number;
  effects: EffectsReport;
  /** The same events counted at the platforms (replies accepted) and in the domain tables (rows made). */
  atPlatform: PlatformEffects;
  ticks: TickCount[];
  /** Scheduled runs each instance claimed. */
  claimedBy: number[];
  /** Digests (any day) in the outbox: one per subscribed group and day, whoever ran the tick. */
  digests: number;
  /** Messages the fake platforms accepted (what users saw), and outbox rows sent: equal when each went out once. */
  delivered: number;
  outboxSent: number;
  /**
   * What the platforms saw of both servers together, counted at their door (the proxy in front of each fake):
   * the busiest windows against the published limits, and messages accepted twice.
   */
  rates: RateCheck[];
  deliveredTwice: number;
  /** Lines at level error, and lines naming a deadlock, over both servers. */
  errorLines: number;
  deadlockLines: number;
  logLines: number;
  secretsInLogs: number;
}

export async function runTwoInstances(options: TwoInstancesOptions): Promise<TwoInstancesResult> {
  const platforms = await startPlatforms();
  const store = await createStore("postgres", options.adminUrl);
  const scan = options.scan ?? createRunSecretScan();
  let errorLines = 0;
  let deadlockLines = 0;
  const watch = (line: string) => {
    if (line.includes('"level":"error"')) errorLines++;
    if (/deadlock/i.test(line)) deadlockLines++;
  };
  const servers: ChildServer[] = [];
  try {
    servers.push(await startServer(store, platforms.env, scan, watch));
    servers.push(await startServer(store, platforms.env, scan, watch));
    const runId = randomBytes(3).toString("hex");
    // Both groups owe a digest at the next tick on a working day: both schedulers will try to send it.
    const subscriptions = [
      larkMessage("/subscribe digest 00:00", `${runId}s0`, "oc_ops_group", ADMINS.lark),
      dingtalkMessage(platforms, "/subscribe digest 00:00", `${runId}s1`, "cidopsgroup==", ADMINS.dingtalk),
    ];
    const setup = createLoadClient(servers[0]?.url as string, "/");
    try {
      for (const subscription of subscriptions) {
        const answer = await setup.post(subscription);
        if (answer.status !== 200) throw new Error(`subscription refused: ${answer.status} ${answer.body}`);
      }
    } finally {
      setup.close();
    }
    const load = await runAckedLoad({
      urls: servers.map((server) => server.url),
      traffic: createTraffic({ runId, platforms, duplicateShare: 0.2, dueDate: dueDateAhead() }),
      rate: options.rate,
      durationMs: options.durationMs,
    });
    await waitDrained(store, servers[0] as ChildServer, options.drainTimeoutMs);
    await Promise.all(servers.map((server) => server.stop()));
    const instances = servers.map((server) => server.pid);
    servers.length = 0;

    const database = await store.open();
    try {
      const runs = await database.db
        .select({ job: jobRuns.job, tick: jobRuns.tick, claimedBy: jobRuns.claimedBy })
        .from(jobRuns)
        .where(sql`${jobRuns.trigger} = 'schedule'`);
      const byJob = new Map<string, Map<number, number>>();
      for (const run of runs) {
        const ticks = byJob.get(run.job) ?? new Map<number, number>();
        ticks.set(run.tick.getTime(), (ticks.get(run.tick.getTime()) ?? 0) + 1);
        byJob.set(run.job, ticks);
      }
      const ticks = [...byJob].map(([job, counts]) => {
        const times = [...counts.keys()].sort((a, b) => a - b);
        const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 60_000 + 1;
        return {
          job,
          ticks: counts.size,
          twice: [...counts.values()].filter((n) => n > 1).length,
          missing: ["inbox-sweep", "outbox-drain", "kpi-digest"].includes(job) ? span - counts.size : 0,
        };
      });
      const digests = await database.db.$count(outbox, like(outbox.idempotencyKey, "digest:%"));
      const { lark, dingtalk, wecom } = platforms.fakes;
      const larkCalls = platforms.proxies.lark.calls;
      const dingtalkCalls = platforms.proxies.dingtalk.calls;
      const [larkTwice] = deliveredTwice(larkCalls, (call) => larkDestination(call) !== undefined);
      const [dingtalkTwice] = deliveredTwice(
        dingtalkCalls,
        (call) => dingtalkDestination(call) !== undefined,
      );
      return {
        sent: load.result.sent,
        errors: load.result.errors,
        effects: await readEffects(database.db, load.acked.values()),
        atPlatform: await readPlatformEffects(database.db, platforms.fakes, {
          acked: load.acked.values(),
          cardsInAck: load.cardsInAck,
        }),
        ticks,
        claimedBy: instances.map(
          (pid) => runs.filter((run) => run.claimedBy.startsWith(`node-${pid}-`)).length,
        ),
        digests,
        delivered: lark.delivered.length + dingtalk.delivered.length + wecom.delivered.length,
        outboxSent: await database.db.$count(outbox, eq(outbox.status, "sent")),
        rates: [
          ...checkRates("Lark", larkCalls, larkDestination, PUBLISHED_LIMITS.lark),
          ...checkRates("Lark", larkCalls, larkDestination, {
            ...PUBLISHED_LIMITS.lark,
            app: LARK_APP_PER_MINUTE,
          }).filter((check) => check.name.endsWith("app")),
          ...checkRates("DingTalk", dingtalkCalls, dingtalkDestination, PUBLISHED_LIMITS.dingtalk),
        ],
        deliveredTwice: larkTwice + dingtalkTwice,
        errorLines,
        deadlockLines,
        logLines: scan.lines,
        secretsInLogs: scan.hits,
      };
    } finally {
      await database.close();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await store.close();
    await platforms.close();
  }
}

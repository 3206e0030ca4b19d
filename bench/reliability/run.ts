import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { writeResultsSection } from "../results-file.ts";
import { commitLabel } from "../run-header.ts";
import { runCrash } from "./crash.ts";
import { formatFuzzReport, runFuzz } from "./fuzz.ts";
import { runLongConnection } from "./long-connection.ts";
import { runOutage } from "./outage.ts";
import { createRunSecretScan } from "./platforms.ts";
import { type ReliabilityRun, renderReliabilitySection } from "./report.ts";
import { runSustained } from "./sustained.ts";
import { runTwoInstances } from "./two-instances.ts";

const env = process.env;
const ADMIN_URL = env.RELIABILITY_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const RESULTS_PATH = env.BENCH_RESULTS ?? join(import.meta.dirname, "..", "RESULTS.md");
const SCENARIOS = ["sustained", "crash", "outage", "two-instances", "fuzz", "long-connection"] as const;
type ScenarioName = (typeof SCENARIOS)[number];

function number(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
}

/** Requests per second during a crash run: the embedded database takes fewer. */
const CRASH_RATE = { postgres: 100, pglite: 30 } as const;

const only = env.RELIABILITY_ONLY;
if (only !== undefined && !(SCENARIOS as readonly string[]).includes(only))
  throw new Error(`RELIABILITY_ONLY must be one of ${SCENARIOS.join(", ")}, not "${only}"`);
const selected = (name: ScenarioName) => only === undefined || only === name;

const settings = {
  rate: number("RELIABILITY_RATE", 300),
  loadSeconds: number("RELIABILITY_LOAD_SECONDS", 300),
  crashSeconds: number("RELIABILITY_CRASH_SECONDS", 4),
  crashRuns: number("RELIABILITY_CRASH_RUNS", 30),
  outageSeconds: number("RELIABILITY_OUTAGE_SECONDS", 120),
  twoInstancesSeconds: number("RELIABILITY_TWO_INSTANCES_SECONDS", 130),
  fuzzCases: number("RELIABILITY_FUZZ_CASES", 10_000),
  longConnectionRate: number("RELIABILITY_LONG_CONNECTION_RATE", 200),
  longConnectionSeconds: number("RELIABILITY_LONG_CONNECTION_SECONDS", 45),
  dropEverySeconds: number("RELIABILITY_DROP_EVERY_SECONDS", 4),
};

async function postgresVersion(): Promise<string> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return row?.server_version ?? "unknown";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  const scan = createRunSecretScan();
  const run: ReliabilityRun = {
    machine: {
      date: new Date().toISOString(),
      commit: commitLabel(),
      cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? "unknown"}`,
      node: process.version,
      postgres: await postgresVersion(),
      loadAverage: loadavg(),
    },
    settings: {
      sustained: `${settings.rate} requests/s for ${settings.loadSeconds} s on Postgres, RSS read every 10 s`,
      crash: `${settings.crashRuns} runs per database, each ${CRASH_RATE.postgres}/s on Postgres, ${CRASH_RATE.pglite}/s on PGlite, for ${settings.crashSeconds} s, SIGKILL half-way, every request without an ack sent again after the restart; on Postgres the dead server's leases handed back as after a downtime longer than them (the embedded database's restarted owner takes them back itself)`,
      outage: `answers lost after the platform accepted while the jobs run and ${settings.outageSeconds / 2} s after, then 429 and 500 in turn for ${settings.outageSeconds / 2} s, 30 complaints breached, Lark and DingTalk groups subscribed`,
      twoInstances: `${Math.min(settings.rate, 100)}/s for ${settings.twoInstancesSeconds} s`,
      longConnection: `${settings.longConnectionRate} events/s for ${settings.longConnectionSeconds} s over Lark's long connection (two servers on Postgres, nine messages in ten, the rest card clicks), every connection cut about every ${settings.dropEverySeconds} s, then every reply sent (45 s by default, down from 120 s: the replies pace at Lark's 50/s per app and are all counted at the fake)`,
    },
    crash: [],
    secrets: { lines: 0, hits: 0, examples: [] },
    failures: [],
  };
  const attempt = async (name: string, scenario: () => Promise<void>) => {
    console.log(`reliability: ${name}`);
    const started = performance.now();
    try {
      await scenario();
    } catch (error) {
      run.failures.push(`${name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
    console.log(`reliability: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  };

  if (selected("sustained"))
    await attempt("sustained load", async () => {
      run.sustained = await runSustained({
        adminUrl: ADMIN_URL,
        rate: settings.rate,
        durationMs: settings.loadSeconds * 1000,
        rssEveryMs: 10_000,
        drainTimeoutMs: 300_000,
        scan,
      });
    });
  if (selected("crash"))
    for (const store of ["pglite", "postgres"] as const)
      for (let n = 1; n <= settings.crashRuns; n++)
        await attempt(`crash ${n} of ${settings.crashRuns} on ${store}`, async () => {
          const result = await runCrash({
            store,
            adminUrl: ADMIN_URL,
            rate: CRASH_RATE[store],
            loadMs: settings.crashSeconds * 1000,
            recoveryTimeoutMs: 120_000,
            scan,
          });
          run.crash.push(result);
          console.log(
            `reliability: sent ${result.sent}, cut by the kill ${result.cutByKill}, redelivered ${result.redelivered}, lost ${result.lost}, duplicated ${result.duplicated} ${result.atPlatform.examples.join("; ")}`,
          );
        });
  if (selected("outage"))
    await attempt("platform outage", async () => {
      run.outage = await runOutage({
        store: "postgres",
        adminUrl: ADMIN_URL,
        outageMs: settings.outageSeconds * 1000,
        complaints: 30,
        recoveryTimeoutMs: 600_000,
        scan,
      });
    });
  if (selected("two-instances"))
    await attempt("two instances", async () => {
      run.twoInstances = await runTwoInstances({
        adminUrl: ADMIN_URL,
        rate: Math.min(settings.rate, 100),
        durationMs: settings.twoInstancesSeconds * 1000,
        drainTimeoutMs: 120_000,
        scan,
      });
    });
  if (selected("fuzz"))
    await attempt("hostile input", async () => {
      run.fuzz = formatFuzzReport(await runFuzz({ runsPerRoute: settings.fuzzCases }));
    });

  if (selected("long-connection"))
    await attempt("long connection", async () => {
      run.longConnection = await runLongConnection({
        scan,
        adminUrl: ADMIN_URL,
        rate: settings.longConnectionRate,
        durationMs: settings.longConnectionSeconds * 1000,
        dropEveryMs: settings.dropEverySeconds * 1000,
        clickEvery: 10,
        drainTimeoutMs: 600_000,
      });
    });

  run.secrets = { lines: scan.lines, hits: scan.hits, examples: scan.examples };
  writeResultsSection(RESULTS_PATH, "reliability", renderReliabilitySection(run));
  console.log(`reliability: wrote the reliability section of ${RESULTS_PATH}`);
  if (run.failures.length) {
    console.error(run.failures.join("\n"));
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// What one processed command costs, measured from outside: the CPU of the server's process tree and of Postgres
// (from /proc) while 1,000 signed Lark commands, half `/help` and half `/order new`, from 50 people in 50 groups,
// are acked, processed and answered, until the fake Lark has received every reply. The idle server's own timers
// are measured first over the same length of time and reported beside. A V8 CPU profile of the server and the
// statements it sent to Postgres (counted on the wire) say where that cost goes.
import { randomBytes } from "node:crypto";
import { larkMessageEvent, signLarkRequest } from "../test/helpers/lark-signer.ts";
import type { BenchDatabase } from "./bench-database.ts";
import type { ProfileSummary, ProfileWindow } from "./cpu-profile.ts";
import { PROFILE_SAMPLING_MS, recordCpuProfile } from "./cpu-profile-recording.ts";
import { createLoadClient, openLoop } from "./load.ts";
import { type FrontendCounts, startWireCounter } from "./pg-wire-counter.ts";
import {
  type ChildServer,
  postgresCpuSeconds,
  processTreeCpuSeconds,
  startChildServer,
} from "./processes.ts";
import { ownCodeShare, percent, renderProfile, whereTheTimeWent } from "./profile-report.ts";
import { BENCH_LARK, LARK_WEBHOOK_PATH, type SignedRequest } from "./stream.ts";

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 1000);
/**
 * Under Lark's 50 sends/s per app, above its 1,000 a minute: the phase's last replies wait for the minute's
 * window (opsbot paces them), and the measured window runs until they have reached the platform.
 */
const RATE = 40;
const PEOPLE = 50;
const GROUPS = 50;
const WARM_UP = 200;
const DELIVERY_TIMEOUT_MS = 120_000;

export interface CommandCostRun {
  commands: number;
  rate: number;
  windowMs: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  idle: { serverCpuMs: number; postgresCpuMs: number };
  activity: { commits: number; inserted: number; updated: number };
  /** Per command, as the server sent them (all its connections). */
  statements: FrontendCounts;
  /** The server's main thread over the measured phase. */
  profile: ProfileSummary;
  ackP99: number;
  errors: number;
}

/** `/help` and `/order new` in turn; the due date a month after the run's day, so that no order is refused. */
function commandStream(runId: string, dueDate: string): () => SignedRequest {
  let n = 0;
  return () => {
    const i = n++;
    const person = i % PEOPLE;
    const text = i % 2 === 0 ? "/help" : `/order new 客户${person} M-${i % 7} ${1 + (i % 90)} ${dueDate}`;
    const messageId = `om_cost_${runId}_${i}`;
    const payload = larkMessageEvent({
      token: BENCH_LARK.verificationToken,
      text,
      messageId,
      eventId: `ev_cost_${runId}_${i}`,
      chatId: `oc_cost_${i % GROUPS}`,
      senderOpenId: `ou_cost_${person}`,
      createTime: String(Date.now()),
    });
    return signLarkRequest(payload, {
      encryptKey: BENCH_LARK.encryptKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: `cost-${runId}-${i}`,
    });
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitForDeliveries(delivered: () => number, count: number): Promise<void> {
  const started = performance.now();
  while (delivered() < count) {
    if (performance.now() - started > DELIVERY_TIMEOUT_MS) {
      throw new Error(`only ${delivered()} of ${count} replies reached the fake Lark`);
    }
    await sleep(5);
  }
}

export async function runCommandCostBench(
  database: BenchDatabase,
  fake: { url: string; delivered: readonly unknown[] },
  log: (line: string) => void,
  /** Keep the server's CPU profile in a directory under this one (else it is removed once summarised). */
  keepProfileIn?: string,
): Promise<CommandCostRun> {
  const runId = randomBytes(3).toString("hex");
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const next = commandStream(runId, due);
  const profile = recordCpuProfile(keepProfileIn);
  const postgresUrl = new URL(database.url);
  const wire = await startWireCounter({
    host: postgresUrl.hostname,
    port: Number(postgresUrl.port || 5432),
  });
  const throughCounter = new URL(postgresUrl);
  throughCounter.host = `127.0.0.1:${wire.port}`;
  const server: ChildServer = await startChildServer(
    "console/start.ts",
    {
      LARK_APP_ID: BENCH_LARK.appId,
      LARK_APP_SECRET: BENCH_LARK.appSecret,
      LARK_VERIFICATION_TOKEN: BENCH_LARK.verificationToken,
      LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
      DATABASE_URL: throughCounter.toString(),
      LARK_API_BASE: fake.url,
    },
    profile.nodeOptions,
  ).catch(async (error: unknown) => {
    await wire.close();
    throw error;
  });
  const client = createLoadClient(server.url, LARK_WEBHOOK_PATH);
  const ok = (answer: { status: number; body: string }) => answer.status === 200 && answer.body === "{}";
  const cpu = () => ({
    server: processTreeCpuSeconds(server.pid),
    postgres: postgresCpuSeconds(database.name),
  });
  let measured: Omit<CommandCostRun, "profile">;
  let phase: ProfileWindow;
  try {
    log(`command-cost: warming up with ${WARM_UP} commands`);
    const before = fake.delivered.length;
    await openLoop(client, next, ok, RATE, (WARM_UP / RATE) * 1000);
    await waitForDeliveries(() => fake.delivered.length, before + WARM_UP);

    const phaseMs = (COMMANDS / RATE) * 1000;
    log(`command-cost: the idle server for ${phaseMs / 1000} s`);
    const idleStart = cpu();
    await sleep(phaseMs);
    const idleEnd = cpu();

    log(`command-cost: ${COMMANDS} commands at ${RATE}/s until every reply reached the fake Lark`);
    const activityBefore = await database.activity();
    const statementsBefore = wire.counts();
    const start = cpu();
    const closeWindow = profile.window();
    const started = performance.now();
    const deliveredBefore = fake.delivered.length;
    const load = await openLoop(client, next, ok, RATE, phaseMs);
    await waitForDeliveries(() => fake.delivered.length, deliveredBefore + COMMANDS);
    const windowMs = performance.now() - started;
    phase = closeWindow();
    const end = cpu();
    const statementsAfter = wire.counts();
    // Backends flush their counters to pg_stat_database within about a second.
    await sleep(1500);
    const activityAfter = await database.activity();
    const perCommand = (seconds: number) => (seconds * 1000) / COMMANDS;
    const idleScale = windowMs / phaseMs;
    measured = {
      commands: COMMANDS,
      rate: RATE,
      windowMs,
      serverCpuMs: perCommand(end.server - start.server),
      postgresCpuMs: perCommand(end.postgres - start.postgres),
      idle: {
        serverCpuMs: perCommand((idleEnd.server - idleStart.server) * idleScale),
        postgresCpuMs: perCommand((idleEnd.postgres - idleStart.postgres) * idleScale),
      },
      activity: {
        commits: (activityAfter.commits - activityBefore.commits) / COMMANDS,
        inserted: (activityAfter.inserted - activityBefore.inserted) / COMMANDS,
        updated: (activityAfter.updated - activityBefore.updated) / COMMANDS,
      },
      statements: {
        query: (statementsAfter.query - statementsBefore.query) / COMMANDS,
        parse: (statementsAfter.parse - statementsBefore.parse) / COMMANDS,
        execute: (statementsAfter.execute - statementsBefore.execute) / COMMANDS,
      },
      ackP99: load.latencies.length
        ? ([...load.latencies].sort((a, b) => a - b)[Math.ceil(0.99 * load.latencies.length) - 1] ??
          Number.NaN)
        : Number.NaN,
      errors: load.errors,
    };
  } finally {
    client.close();
    await server.stop();
    await wire.close();
  }
  // The server wrote its profile as it exited.
  const [summary] = profile.summarise([phase]);
  if (!summary) throw new Error("the server's CPU profile was not summarised");
  return { ...measured, profile: summary };
}

const fmt = (value: number, digits = 2) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "—";

/** The targets of issue 20: CPU per processed command, and what the machine's cores then allow. */
const SERVER_TARGET_MS = 1.5;
const POSTGRES_TARGET_MS = 1;
const CORES = 2;
const CAPACITY_TARGET = 800;

/** What the profile says about the server's CPU: where it went, and what opsbot's own code could save at most. */
function explainServerCpu(run: CommandCostRun): string {
  return [
    `Server CPU misses ≤ ${fmt(SERVER_TARGET_MS, 1)} ms by ${fmt(run.serverCpuMs - SERVER_TARGET_MS)} ms.`,
    `Of the server's busy time in the profile, ${whereTheTimeWent(run.profile)}.`,
    `Without any of opsbot's own code the server would still spend about ${fmt(run.serverCpuMs * (1 - ownCodeShare(run.profile)))} ms per command.`,
  ].join(" ");
}

/** What the statements counted on the wire say about Postgres's CPU. */
function explainPostgresCpu(run: CommandCostRun): string {
  const { query, parse, execute } = run.statements;
  const statements = query + execute;
  const perStatementMs = run.postgresCpuMs / statements;
  return [
    `Postgres CPU misses ≤ ${fmt(POSTGRES_TARGET_MS, 1)} ms by ${fmt(run.postgresCpuMs - POSTGRES_TARGET_MS)} ms.`,
    `Each command sent ${fmt(statements, 1)} statements (${fmt(execute, 1)} executes of the extended protocol, ${fmt(parse, 1)} of them parsed afresh, and ${fmt(query, 1)} simple queries) in ${fmt(run.activity.commits, 1)} transactions:`,
    `${fmt(perStatementMs * 1000, 0)} µs of Postgres CPU per statement, so at that price the target allows about ${fmt(POSTGRES_TARGET_MS / perStatementMs, 1)} statements per command.`,
  ].join(" ");
}

export function renderCommandCostSection(run: CommandCostRun, header: string[]): string {
  const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
  const totalMs = run.serverCpuMs + run.postgresCpuMs;
  const capacity = (CORES * 1000) / totalMs;
  const misses = {
    server: run.serverCpuMs > SERVER_TARGET_MS,
    postgres: run.postgresCpuMs > POSTGRES_TARGET_MS,
    capacity: capacity < CAPACITY_TARGET,
  };
  return [
    "## What one processed command costs",
    "",
    "Written by `BENCH_ONLY=command-cost npm run bench` (bench/command-cost.ts).",
    "",
    ...header,
    "",
    `- ${run.commands.toLocaleString("en-US")} signed Lark commands, half \`/help\` and half \`/order new\` (a confirmation card), from ${PEOPLE} people in ${GROUPS} groups, at ${run.rate}/s (under Lark's 50 sends a second per app but over its 1,000 a minute, so that the last replies wait for the minute's window, paced by opsbot, and the window below runs until they arrived), to \`console/start.ts\` on a fresh Postgres database, after ${WARM_UP} commands of warm-up.`,
    "- CPU read from `/proc`: the server's whole process tree, and every Postgres process of the bench database plus the server-wide ones, from the first request until the fake Lark had received the last reply. The idle line is the same server doing nothing for as long.",
    `- The server runs under \`node --cpu-prof\` (a sample every ${PROFILE_SAMPLING_MS} ms) during the whole run, so the CPU figures, idle line included, hold the profiler's own cost; it connects to Postgres through a loopback proxy of the bench that counts the statements it sends (pg_stat_statements is not loaded on this server).`,
    "",
    "| per processed command | measured | of which the idle server | target | |",
    "|---|---|---|---|---|",
    `| server CPU | ${fmt(run.serverCpuMs)} ms | ${fmt(run.idle.serverCpuMs)} ms | ≤ ${fmt(SERVER_TARGET_MS, 1)} ms | ${verdict(!misses.server)} |`,
    `| Postgres CPU | ${fmt(run.postgresCpuMs)} ms | ${fmt(run.idle.postgresCpuMs)} ms | ≤ ${fmt(POSTGRES_TARGET_MS, 1)} ms | ${verdict(!misses.postgres)} |`,
    `| commands/s the ${CORES} cores allow at this cost | ${fmt(capacity, 0)} | | ≥ ${CAPACITY_TARGET} | ${verdict(!misses.capacity)} |`,
    "",
    `Per command: ${fmt(run.activity.commits, 1)} transactions, ${fmt(run.activity.inserted, 1)} rows inserted, ${fmt(run.activity.updated, 1)} rows updated (pg_stat_database); ${fmt(run.statements.execute + run.statements.query, 1)} statements sent (${fmt(run.statements.execute, 1)} prepared executes, ${fmt(run.statements.parse, 1)} parses, ${fmt(run.statements.query, 1)} simple queries; counted on the wire). Window ${fmt(run.windowMs / 1000, 1)} s; ack p99 ${fmt(run.ackP99, 1)} ms; ${run.errors} errors.`,
    "",
    "### Where the server's time goes",
    "",
    "Self time on the server's threads over the measured phase, from its V8 CPU profile (bench/cpu-profile.ts): the share of the busy time, i.e. of every sample but `(idle)` (`(program)` is native code outside JavaScript, such as libuv and node's bindings). A native frame counts as its caller's; node's internals name the package or area that called them, so `node net/stream ← postgres` is socket and stream work done for postgres.js. The profiler samples wall time, so a busy machine stretches every category alike; the last column shares the CPU measured from `/proc` out by these shares.",
    "",
    ...renderProfile(run.profile, {
      label: "≈ server CPU per command (the /proc figure shared out)",
      totalMs: run.serverCpuMs,
    }),
    "",
    ...(misses.server ? [`- ${explainServerCpu(run)}`] : []),
    ...(misses.postgres ? [`- ${explainPostgresCpu(run)}`] : []),
    ...(misses.capacity
      ? [
          `- The ${CORES} cores allow ${fmt(capacity, 0)} commands/s at ${fmt(totalMs)} ms per command; ≥ ${CAPACITY_TARGET}/s needs ≤ ${fmt((CORES * 1000) / CAPACITY_TARGET)} ms in all, of which the server now spends ${percent(run.serverCpuMs / totalMs)}.`,
        ]
      : []),
    "",
  ].join("\n");
}

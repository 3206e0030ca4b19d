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

/** What one server's processing of the commands cost, per command. */
export interface CommandCost {
  windowMs: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  idle: { serverCpuMs: number; postgresCpuMs: number };
  activity: { commits: number; inserted: number; updated: number };
  /** Per command, as the server sent them (all its connections). */
  statements: FrontendCounts;
  /** Per command, each statement's round trips and their time on the wire, the longest first. */
  roundTrips: { statement: string; roundTrips: number; ms: number }[];
  /** The server's main thread over the measured phase. */
  profile: ProfileSummary;
  ackP99: number;
  errors: number;
}

export interface CommandCostRun {
  commands: number;
  rate: number;
  opsbot: CommandCost;
  /** The least a durable bot does, built from the Lark SDK, measured the same way (bench/baselines/lark-sdk.ts). */
  floor: CommandCost;
}

/** A server the commands go to, given the URL of its database (through the statement counter). */
interface Subject {
  name: string;
  entry: string;
  env(databaseUrl: string, larkApiBase: string): Record<string, string>;
}

const LARK_ENV = {
  LARK_APP_ID: BENCH_LARK.appId,
  LARK_APP_SECRET: BENCH_LARK.appSecret,
  LARK_VERIFICATION_TOKEN: BENCH_LARK.verificationToken,
  LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
};

const OPSBOT: Subject = {
  name: "opsbot",
  entry: "console/start.ts",
  env: (databaseUrl, larkApiBase) => ({ ...LARK_ENV, DATABASE_URL: databaseUrl, LARK_API_BASE: larkApiBase }),
};

/** Stores each event, replies to it through the SDK's client, records the reply: no outbox, no pacing. */
const FLOOR: Subject = {
  name: "the SDK floor",
  entry: "bench/baselines/lark-sdk.ts",
  env: (databaseUrl, larkApiBase) => ({
    ...LARK_ENV,
    BASELINE_DATABASE_URL: databaseUrl,
    LARK_API_BASE: larkApiBase,
  }),
};

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

async function measure(
  subject: Subject,
  database: BenchDatabase,
  fake: { url: string; delivered: readonly unknown[] },
  log: (line: string) => void,
  keepProfileIn: string | undefined,
): Promise<CommandCost> {
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
    subject.entry,
    subject.env(throughCounter.toString(), fake.url),
    profile.nodeOptions,
  ).catch(async (error: unknown) => {
    await wire.close();
    throw error;
  });
  const client = createLoadClient(server.url, LARK_WEBHOOK_PATH);
  // opsbot acks with `{}`; the SDK's adapter with an empty body once its handler is done.
  const ok = (answer: { status: number }) => answer.status === 200;
  const cpu = () => ({
    server: processTreeCpuSeconds(server.pid),
    postgres: postgresCpuSeconds(database.name),
  });
  let measured: Omit<CommandCost, "profile">;
  let phase: ProfileWindow;
  try {
    log(`command-cost: ${subject.name}, warming up with ${WARM_UP} commands`);
    const before = fake.delivered.length;
    await openLoop(client, next, ok, RATE, (WARM_UP / RATE) * 1000);
    await waitForDeliveries(() => fake.delivered.length, before + WARM_UP);

    const phaseMs = (COMMANDS / RATE) * 1000;
    log(`command-cost: ${subject.name}, idle for ${phaseMs / 1000} s`);
    const idleStart = cpu();
    await sleep(phaseMs);
    const idleEnd = cpu();

    log(
      `command-cost: ${subject.name}, ${COMMANDS} commands at ${RATE}/s until every reply reached the fake Lark`,
    );
    const activityBefore = await database.activity();
    const statementsBefore = wire.counts();
    const timesBefore = wire.times();
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
    const timesAfter = wire.times();
    // Backends flush their counters to pg_stat_database within about a second.
    await sleep(1500);
    const activityAfter = await database.activity();
    const perCommand = (seconds: number) => (seconds * 1000) / COMMANDS;
    const idleScale = windowMs / phaseMs;
    measured = {
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
      roundTrips: [...timesAfter]
        .map(([statement, after]) => {
          const before = timesBefore.get(statement) ?? { roundTrips: 0, ms: 0 };
          return {
            statement,
            roundTrips: (after.roundTrips - before.roundTrips) / COMMANDS,
            ms: (after.ms - before.ms) / COMMANDS,
          };
        })
        .filter((entry) => entry.roundTrips > 0)
        .sort((a, b) => b.ms - a.ms),
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
  if (!summary) throw new Error(`the CPU profile of ${subject.name} was not summarised`);
  return { ...measured, profile: summary };
}

/** opsbot, then the SDK floor, each alone on the machine, the same stream of commands at the same rate. */
export async function runCommandCostBench(
  database: BenchDatabase,
  fake: { url: string; delivered: readonly unknown[] },
  log: (line: string) => void,
  /** Keep opsbot's CPU profile in a directory under this one (else it is removed once summarised). */
  keepProfileIn?: string,
): Promise<CommandCostRun> {
  const opsbot = await measure(OPSBOT, database, fake, log, keepProfileIn);
  const floor = await measure(FLOOR, database, fake, log, undefined);
  return { commands: COMMANDS, rate: RATE, opsbot, floor };
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
function explainServerCpu(cost: CommandCost): string {
  return [
    `Server CPU misses ≤ ${fmt(SERVER_TARGET_MS, 1)} ms by ${fmt(cost.serverCpuMs - SERVER_TARGET_MS)} ms.`,
    `Of the server's busy time in the profile, ${whereTheTimeWent(cost.profile)}.`,
    `Without any of opsbot's own code the server would still spend about ${fmt(cost.serverCpuMs * (1 - ownCodeShare(cost.profile)))} ms per command.`,
  ].join(" ");
}

const statementsOf = (cost: CommandCost) => cost.statements.query + cost.statements.execute;

/** What a statement costs Postgres, from the statements counted on the wire, and how many the target allows. */
/** `whose` starts the text: "Each command", or whose commands they were. */
function statementPrice(cost: CommandCost, whose = "Each command"): string {
  const { query, parse, execute } = cost.statements;
  const perStatementMs = cost.postgresCpuMs / statementsOf(cost);
  return [
    `${whose} sent ${fmt(statementsOf(cost), 1)} statements (${fmt(execute, 1)} executes of the extended protocol, ${fmt(parse, 1)} of them parsed afresh, and ${fmt(query, 1)} simple queries) in ${fmt(cost.activity.commits, 1)} transactions:`,
    `${fmt(perStatementMs * 1000, 0)} µs of Postgres CPU per statement, so at that price the target allows about ${fmt(POSTGRES_TARGET_MS / perStatementMs, 1)} statements per command.`,
  ].join(" ");
}

/** Statements shown by name in the round-trip table; the rest share a line. */
const STATEMENTS_SHOWN = 8;
/** How much of a statement's text its line shows. */
const STATEMENT_START = 48;

/**
 * What a statement writes (`insert orders, insert audit_log`), else the table it reads first, else its first
 * word; then the start of its text.
 */
export function describeStatement(text: string): string {
  // Not "for update of", "do update set", "for update skip locked": locks and upserts name no table there.
  const writes = [
    ...text.matchAll(/\b(insert into|update|delete from)\s+(?!(?:of|set|skip|nowait)\b)"?(\w+)"?/gi),
  ].map(([, verb = "", table]) => `${verb.split(" ")[0]?.toLowerCase()} ${table}`);
  const read = /\bfrom\s+"?(\w+)"?/i.exec(text)?.[1];
  const verb = /^\w+/.exec(text)?.[0] ?? "statement";
  const what = writes.length > 0 ? [...new Set(writes)].join(", ") : read ? `select from ${read}` : verb;
  const start = text.length > STATEMENT_START ? `${text.slice(0, STATEMENT_START)}…` : text;
  return `${what}: \`${start.replaceAll("|", "\\|").replaceAll("`", "'")}\``;
}

/**
 * Where Postgres's time goes: each statement's round trips on the wire, per command, and the /proc CPU shared
 * out by their share of the time (a round trip's time also holds the loopback and any wait for the WAL flush).
 */
function renderRoundTrips(cost: CommandCost): string[] {
  const totalMs = cost.roundTrips.reduce((sum, entry) => sum + entry.ms, 0);
  const shown = cost.roundTrips.slice(0, STATEMENTS_SHOWN);
  const rest = cost.roundTrips.slice(STATEMENTS_SHOWN);
  const line = (name: string, roundTrips: number, ms: number) =>
    `| ${name} | ${fmt(roundTrips)} | ${fmt(ms * 1000, 0)} µs | ${percent(ms / totalMs)} | ${fmt((cost.postgresCpuMs * ms) / totalMs)} ms |`;
  return [
    "| statement (what it writes, or reads first; the start of its text) | round trips per command | their time per command | share | ≈ Postgres CPU per command (the /proc figure shared out) |",
    "|---|---|---|---|---|",
    ...shown.map((entry) => line(describeStatement(entry.statement), entry.roundTrips, entry.ms)),
    ...(rest.length > 0
      ? [
          line(
            `${rest.length} other statements`,
            rest.reduce((sum, entry) => sum + entry.roundTrips, 0),
            rest.reduce((sum, entry) => sum + entry.ms, 0),
          ),
        ]
      : []),
    `| **in all** | ${fmt(cost.roundTrips.reduce((sum, entry) => sum + entry.roundTrips, 0))} | ${fmt(totalMs * 1000, 0)} µs | 100.0 % | ${fmt(cost.postgresCpuMs)} ms |`,
  ];
}

/** Where the floor stands against the targets: what no bot that stores and answers a command gets below here. */
function explainFloor({ opsbot, floor }: CommandCostRun): string {
  const below = (measured: number, target: number) =>
    measured > target
      ? `above the target (≤ ${fmt(target, 1)} ms) by ${fmt(measured - target)} ms`
      : `within the target (≤ ${fmt(target, 1)} ms)`;
  return [
    `The SDK floor spends ${fmt(floor.serverCpuMs)} ms of server CPU per command, ${below(floor.serverCpuMs, SERVER_TARGET_MS)}, and ${fmt(floor.postgresCpuMs)} ms of Postgres CPU for its ${fmt(statementsOf(floor), 1)} statements, ${below(floor.postgresCpuMs, POSTGRES_TARGET_MS)}.`,
    `opsbot costs ${fmt(opsbot.serverCpuMs / floor.serverCpuMs, 1)}× the floor's server CPU and ${fmt(opsbot.postgresCpuMs / floor.postgresCpuMs, 1)}× its Postgres CPU, for a command parsed, authorised, audited and answered with a card, its reply paced and its sending recorded.`,
  ].join(" ");
}

export function renderCommandCostSection(run: CommandCostRun, header: string[]): string {
  const { opsbot, floor } = run;
  const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
  const totalOf = (cost: CommandCost) => cost.serverCpuMs + cost.postgresCpuMs;
  const capacityOf = (cost: CommandCost) => (CORES * 1000) / totalOf(cost);
  const capacity = capacityOf(opsbot);
  const misses = {
    server: opsbot.serverCpuMs > SERVER_TARGET_MS,
    postgres: opsbot.postgresCpuMs > POSTGRES_TARGET_MS,
    capacity: capacity < CAPACITY_TARGET,
  };
  const perCommandLine = (name: string, cost: CommandCost) =>
    `${name}: ${fmt(cost.activity.commits, 1)} transactions, ${fmt(cost.activity.inserted, 1)} rows inserted, ${fmt(cost.activity.updated, 1)} rows updated (pg_stat_database); ${fmt(statementsOf(cost), 1)} statements sent (${fmt(cost.statements.execute, 1)} prepared executes, ${fmt(cost.statements.parse, 1)} parses, ${fmt(cost.statements.query, 1)} simple queries; counted on the wire). Window ${fmt(cost.windowMs / 1000, 1)} s; ack p99 ${fmt(cost.ackP99, 1)} ms; ${cost.errors} errors.`;
  const profileIntro =
    "Self time on the server's threads over the measured phase, from its V8 CPU profile (bench/cpu-profile.ts): the share of the busy time, i.e. of every sample but `(idle)` (`(program)` is native code outside JavaScript, such as libuv and node's bindings). A native frame counts as its caller's; node's internals name the package or area that called them, so `node net/stream ← postgres` is socket and stream work done for postgres.js. The profiler samples wall time, so a busy machine stretches every category alike; the last column shares the CPU measured from `/proc` out by these shares.";
  return [
    "## What one processed command costs",
    "",
    "Written by `BENCH_ONLY=command-cost npm run bench` (bench/command-cost.ts).",
    "",
    ...header,
    "",
    `- ${run.commands.toLocaleString("en-US")} signed Lark commands, half \`/help\` and half \`/order new\` (a confirmation card), from ${PEOPLE} people in ${GROUPS} groups, at ${run.rate}/s (under Lark's 50 sends a second per app but over its 1,000 a minute, so that the last replies wait for the minute's window, paced by opsbot, and the window below runs until they arrived), to \`console/start.ts\` on a fresh Postgres database, after ${WARM_UP} commands of warm-up.`,
    "- **The SDK floor**, measured the same way after opsbot, on the same database and fake Lark, with the same commands at the same rate: `bench/baselines/lark-sdk.ts` with `BASELINE_DATABASE_URL` and `LARK_API_BASE`, the least a bot does that keeps what it is told and answers it: the Lark SDK's `EventDispatcher` behind `adaptDefault`, one INSERT of the event, a one-line text reply through the SDK's own client (its tenant token cached by the SDK), one UPDATE recording the reply's id. No parsing of the command, no domain work, no outbox, no pacing: what any durable bot on this machine pays at least.",
    "- CPU read from `/proc`: the server's whole process tree, and every Postgres process of the bench database plus the server-wide ones, from the first request until the fake Lark had received the last reply. The idle line is the same server doing nothing for as long.",
    `- Both servers run under \`node --cpu-prof\` (a sample every ${PROFILE_SAMPLING_MS} ms) during the whole run, so the CPU figures, idle lines included, hold the profiler's own cost; each connects to Postgres through a loopback proxy of the bench that counts the statements it sends (pg_stat_statements is not loaded on this server).`,
    "",
    "| per processed command | opsbot | of which the idle server | the SDK floor | of which the idle server | target | opsbot |",
    "|---|---|---|---|---|---|---|",
    `| server CPU | ${fmt(opsbot.serverCpuMs)} ms | ${fmt(opsbot.idle.serverCpuMs)} ms | ${fmt(floor.serverCpuMs)} ms | ${fmt(floor.idle.serverCpuMs)} ms | ≤ ${fmt(SERVER_TARGET_MS, 1)} ms | ${verdict(!misses.server)} |`,
    `| Postgres CPU | ${fmt(opsbot.postgresCpuMs)} ms | ${fmt(opsbot.idle.postgresCpuMs)} ms | ${fmt(floor.postgresCpuMs)} ms | ${fmt(floor.idle.postgresCpuMs)} ms | ≤ ${fmt(POSTGRES_TARGET_MS, 1)} ms | ${verdict(!misses.postgres)} |`,
    `| commands/s the ${CORES} cores allow at this cost | ${fmt(capacity, 0)} | | ${fmt(capacityOf(floor), 0)} | | ≥ ${CAPACITY_TARGET} | ${verdict(!misses.capacity)} |`,
    "",
    `- ${perCommandLine("opsbot, per command", opsbot)}`,
    `- ${perCommandLine("The SDK floor, per command", floor)}`,
    `- ${explainFloor(run)}`,
    "",
    "### Where opsbot's time goes",
    "",
    profileIntro,
    "",
    ...renderProfile(opsbot.profile, {
      label: "≈ server CPU per command (the /proc figure shared out)",
      totalMs: opsbot.serverCpuMs,
    }),
    "",
    ...(misses.server ? [`- ${explainServerCpu(opsbot)}`] : []),
    ...(misses.postgres
      ? [
          `- Postgres CPU misses ≤ ${fmt(POSTGRES_TARGET_MS, 1)} ms by ${fmt(opsbot.postgresCpuMs - POSTGRES_TARGET_MS)} ms. ${statementPrice(opsbot)}`,
        ]
      : []),
    ...(misses.capacity
      ? [
          `- The ${CORES} cores allow ${fmt(capacity, 0)} commands/s at ${fmt(totalOf(opsbot))} ms per command; ≥ ${CAPACITY_TARGET}/s needs ≤ ${fmt((CORES * 1000) / CAPACITY_TARGET)} ms in all, of which the server now spends ${percent(opsbot.serverCpuMs / totalOf(opsbot))}.`,
        ]
      : []),
    "",
    "### Where Postgres's time goes",
    "",
    "Each round trip the server made, timed on the wire by the counting proxy from the request (a Sync, or a simple query) to Postgres's ReadyForQuery (from the answer before it, when it was pipelined), and booked under the statement it executed; the table names a statement by the start of its text. A round trip's time holds Postgres's work, the loopback both ways and any wait for the WAL flush at a commit, so it is not CPU alone: the last column shares the Postgres CPU measured from `/proc` out by these times.",
    "",
    "opsbot:",
    "",
    ...renderRoundTrips(opsbot),
    "",
    "The SDK floor:",
    "",
    ...renderRoundTrips(floor),
    "",
    "### Where the SDK floor's time goes",
    "",
    "The same profile of the floor's server, over its measured phase.",
    "",
    ...renderProfile(floor.profile, {
      label: "≈ server CPU per command (the /proc figure shared out)",
      totalMs: floor.serverCpuMs,
    }),
    "",
    `- ${statementPrice(floor, "Each of the floor's commands")}`,
    "",
  ].join("\n");
}

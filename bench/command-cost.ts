// What one processed command costs, measured from outside: the CPU of the server's process tree and of Postgres
// (from /proc) while 1,000 signed Lark commands, half `/help` and half `/order new`, from 50 people in 50 groups,
// are acked, processed and answered, until the fake Lark has received every reply. The idle server's own timers
// are measured first over the same length of time and reported beside.
import { randomBytes } from "node:crypto";
import { larkMessageEvent, signLarkRequest } from "../test/helpers/lark-signer.ts";
import type { BenchDatabase } from "./bench-database.ts";
import { createLoadClient, openLoop } from "./load.ts";
import {
  type ChildServer,
  postgresCpuSeconds,
  processTreeCpuSeconds,
  startChildServer,
} from "./processes.ts";
import { BENCH_LARK, LARK_WEBHOOK_PATH, type SignedRequest } from "./stream.ts";

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 1000);
/** Under Lark's 50 sends/s per app, so that every reply can reach the platform while the phase runs. */
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
  /** Extra node options for the server, e.g. `--cpu-prof` to see where the time goes. */
  nodeOptions: string[] = [],
): Promise<CommandCostRun> {
  const runId = randomBytes(3).toString("hex");
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const next = commandStream(runId, due);
  const server: ChildServer = await startChildServer(
    "console/start.ts",
    {
      LARK_APP_ID: BENCH_LARK.appId,
      LARK_APP_SECRET: BENCH_LARK.appSecret,
      LARK_VERIFICATION_TOKEN: BENCH_LARK.verificationToken,
      LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
      DATABASE_URL: database.url,
      LARK_API_BASE: fake.url,
    },
    nodeOptions,
  );
  const client = createLoadClient(server.url, LARK_WEBHOOK_PATH);
  const ok = (answer: { status: number; body: string }) => answer.status === 200 && answer.body === "{}";
  const cpu = () => ({
    server: processTreeCpuSeconds(server.pid),
    postgres: postgresCpuSeconds(database.name),
  });
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
    const start = cpu();
    const started = performance.now();
    const deliveredBefore = fake.delivered.length;
    const load = await openLoop(client, next, ok, RATE, phaseMs);
    await waitForDeliveries(() => fake.delivered.length, deliveredBefore + COMMANDS);
    const windowMs = performance.now() - started;
    const end = cpu();
    // Backends flush their counters to pg_stat_database within about a second.
    await sleep(1500);
    const activityAfter = await database.activity();
    const perCommand = (seconds: number) => (seconds * 1000) / COMMANDS;
    const idleScale = windowMs / phaseMs;
    return {
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
      ackP99: load.latencies.length
        ? ([...load.latencies].sort((a, b) => a - b)[Math.ceil(0.99 * load.latencies.length) - 1] ??
          Number.NaN)
        : Number.NaN,
      errors: load.errors,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

const fmt = (value: number, digits = 2) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "—";

export function renderCommandCostSection(run: CommandCostRun, header: string[]): string {
  const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
  const capacity = (2 * 1000) / (run.serverCpuMs + run.postgresCpuMs);
  return [
    "## What one processed command costs",
    "",
    "Written by `BENCH_ONLY=command-cost npm run bench` (bench/command-cost.ts).",
    "",
    ...header,
    "",
    `- ${run.commands.toLocaleString("en-US")} signed Lark commands, half \`/help\` and half \`/order new\` (a confirmation card), from ${PEOPLE} people in ${GROUPS} groups, at ${run.rate}/s (under Lark's 50 sends/s per app, so that replies are not held back), to \`console/start.ts\` on a fresh Postgres database, after ${WARM_UP} commands of warm-up.`,
    "- CPU read from `/proc`: the server's whole process tree, and every Postgres process of the bench database plus the server-wide ones, from the first request until the fake Lark had received the last reply. The idle line is the same server doing nothing for as long.",
    "",
    "| per processed command | measured | of which the idle server | target | |",
    "|---|---|---|---|---|",
    `| server CPU | ${fmt(run.serverCpuMs)} ms | ${fmt(run.idle.serverCpuMs)} ms | ≤ 1.5 ms | ${verdict(run.serverCpuMs <= 1.5)} |`,
    `| Postgres CPU | ${fmt(run.postgresCpuMs)} ms | ${fmt(run.idle.postgresCpuMs)} ms | ≤ 1.0 ms | ${verdict(run.postgresCpuMs <= 1)} |`,
    `| commands/s the 2 cores allow at this cost | ${fmt(capacity, 0)} | | ≥ 800 | ${verdict(capacity >= 800)} |`,
    "",
    `Per command: ${fmt(run.activity.commits, 1)} transactions, ${fmt(run.activity.inserted, 1)} rows inserted, ${fmt(run.activity.updated, 1)} rows updated (pg_stat_database). Window ${fmt(run.windowMs / 1000, 1)} s; ack p99 ${fmt(run.ackP99, 1)} ms; ${run.errors} errors.`,
    "",
  ].join("\n");
}

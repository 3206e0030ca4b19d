// `npm run bench`: every benchmark scenario in turn (BENCH_ONLY picks one); each writes its RESULTS.md section.
import { randomBytes } from "node:crypto";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { type FakeLark, startFakeLark } from "../test/fakes/lark.ts";
import { type BenchDatabase, createBenchDatabase } from "./bench-database.ts";
import { renderCommandCostSection, runCommandCostBench } from "./command-cost.ts";
import { type CpuProfileRecording, recordCpuProfile } from "./cpu-profile-recording.ts";
import { renderIngressSection, runIngressBench } from "./ingress.ts";
import {
  type AnswerCheck,
  closedLoop,
  createLoadClient,
  type LoadClient,
  type LoadResult,
  openLoop,
} from "./load.ts";
import {
  type ChildServer,
  machineBusyCpuSeconds,
  postgresCpuSeconds,
  processCpuSeconds,
  startChildServer,
} from "./processes.ts";
import type { PhaseProfile } from "./profile-report.ts";
import { type Measured, renderResults, type Scenario, type ScenarioResult } from "./report.ts";
import { writeResultsSection } from "./results-file.ts";
import { type RssWatch, watchRss } from "./rss-watch.ts";
import { commitLabel, runHeader } from "./run-header.ts";
import { runScheduleBench } from "./schedule.ts";
import { runSchedulerBench } from "./scheduler.ts";
import { summarize } from "./stats.ts";
import {
  BENCH_LARK,
  createEventStream,
  type EventStream,
  LARK_WEBHOOK_PATH,
  type SignedRequest,
} from "./stream.ts";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const RESULTS_PATH = process.env.BENCH_RESULTS ?? join(import.meta.dirname, "RESULTS.md");
/**
 * Keep the opsbot server's V8 CPU profile in this directory when it stops. The lark, ingress and command-cost
 * benches always record one (and summarise it in their sections); with this they keep it, in a directory of its own.
 */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
/**
 * Experiment: `off` sets synchronous_commit=off on the bench database, to show what the WAL flushes cost.
 * That gives up the durability of the ack, so such a run is labelled as an experiment in the results.
 */
const SYNCHRONOUS_COMMIT = process.env.BENCH_SYNCHRONOUS_COMMIT;
/** Which benchmark to run: one of BENCHES below, or `all`. */
const BENCH_ONLY = process.env.BENCH_ONLY ?? "all";
/** The opsbot phases whose CPU profile the section summarises: those its targets are measured in. */
const PROFILED: ReadonlySet<Scenario["id"]> = new Set(["card", "rate-500", "max"]);
const PHASE_MS = 10_000;
const MAX_RATE_CONCURRENCY = 64;
const CARD_RATE = 50;
/** How long to wait for opsbot's background work (processing, replies) to finish after a phase. */
const SETTLE_TIMEOUT_MS = 20_000;

/** Lightest first, so that a backlog left by a heavy phase cannot spoil the card clicks. */
const SCENARIOS: Scenario[] = [
  {
    id: "card",
    title: `Card click → updated card, ${CARD_RATE}/s`,
    load: { kind: "open", rate: CARD_RATE },
    request: "cardClick",
  },
  { id: "rate-100", title: "Messages at 100/s", load: { kind: "open", rate: 100 }, request: "message" },
  { id: "rate-500", title: "Messages at 500/s", load: { kind: "open", rate: 500 }, request: "message" },
  {
    id: "max",
    title: `Messages at max rate (${MAX_RATE_CONCURRENCY} concurrent)`,
    load: { kind: "closed", concurrency: MAX_RATE_CONCURRENCY },
    request: "message",
  },
];

/** What each server must answer: opsbot acks with `{}` (a card for clicks); the SDK with an empty 200. */
const CHECKS: Record<"ours" | "sdk", Record<Scenario["request"], AnswerCheck>> = {
  ours: {
    message: (a) => a.status === 200 && a.body === "{}",
    cardClick: (a) => a.status === 200 && hasCard(a.body),
  },
  sdk: {
    message: (a) => a.status === 200,
    cardClick: (a) => a.status === 200 && hasCard(a.body),
  },
};

function hasCard(body: string): boolean {
  try {
    const answer = JSON.parse(body) as { card?: { type?: unknown; data?: unknown } };
    return answer.card?.type === "raw" && typeof answer.card.data === "object";
  } catch {
    return false;
  }
}

/** Requests a server answered as expected, by kind: each must have reached its handler (or our inbox). */
type Acked = Record<Scenario["request"], number>;

interface Target {
  name: "ours" | "sdk";
  server: ChildServer;
  client: LoadClient;
  rss: RssWatch;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function runLoad(target: Target, scenario: Scenario, stream: EventStream): Promise<LoadResult> {
  const next = (): SignedRequest => stream[scenario.request]();
  const check = CHECKS[target.name][scenario.request];
  return scenario.load.kind === "open"
    ? openLoop(target.client, next, check, scenario.load.rate, PHASE_MS)
    : closedLoop(target.client, next, check, scenario.load.concurrency, PHASE_MS);
}

/**
 * One phase against one server, with the CPU each process spent meanwhile. With `background`, also waits for
 * opsbot to finish what it acked, and counts that work in the CPU per event.
 */
async function measure(
  target: Target,
  scenario: Scenario,
  stream: EventStream,
  database: BenchDatabase,
  background: boolean,
  profile?: CpuProfileRecording,
): Promise<Measured> {
  target.rss.startWindow();
  const inboxBefore = background ? await database.inboxCounts() : undefined;
  const serverCpu = () => processCpuSeconds(target.server.pid);
  const postgresCpu = () => postgresCpuSeconds(database.name);
  const before = {
    server: serverCpu(),
    postgres: postgresCpu(),
    generator: process.cpuUsage(),
    machine: machineBusyCpuSeconds(),
  };
  const closeWindow = profile?.window();
  const load = await runLoad(target, scenario, stream);
  const profileWindow = closeWindow?.();
  const after = { server: serverCpu(), postgres: postgresCpu() };
  const seconds = load.elapsedMs / 1000;
  const generatorUsage = process.cpuUsage(before.generator);
  const percent = (cpuSeconds: number) => (cpuSeconds / seconds) * 100;
  const server = percent(after.server - before.server);
  const postgres = Math.max(0, percent(after.postgres - before.postgres));
  const generator = percent((generatorUsage.user + generatorUsage.system) / 1e6);
  const machine = percent(machineBusyCpuSeconds() - before.machine);
  const settled = inboxBefore ? await database.settle(SETTLE_TIMEOUT_MS) : undefined;
  // CPU per event means something only when the window started without an earlier phase's backlog. Events
  // still open at the end make it an upper bound: the window also paid for part of their work. The SDK
  // finishes each event before it answers.
  const clean = !inboxBefore || inboxBefore.open === 0;
  const finished = inboxBefore ? (await database.inboxCounts()).done - inboxBefore.done : load.ok;
  const perEvent = (cpuSeconds: number) =>
    clean && finished > 0 ? (Math.max(0, cpuSeconds) * 1000) / finished : Number.NaN;
  return {
    load,
    latency: summarize(load.latencies),
    eventsPerSecond: load.ok / seconds,
    rssPeak: target.rss.windowPeak(),
    cpuPercent: { server, postgres, generator, other: Math.max(0, machine - server - postgres - generator) },
    cpuMsPerEvent: {
      server: perEvent(serverCpu() - before.server),
      postgres: perEvent(postgresCpu() - before.postgres),
      upperBound: (settled?.open ?? 0) > 0,
    },
    ...(settled && inboxBefore ? { settled: { ...settled, backlog: inboxBefore.open } } : {}),
    ...(profileWindow ? { profileWindow } : {}),
  };
}

/** Self time per category in each profiled phase of opsbot, with the phase's length and acked events. */
function summariseProfiledPhases(
  profile: CpuProfileRecording,
  results: ScenarioResult[],
): (PhaseProfile & { id: Scenario["id"] })[] {
  const profiled = results.flatMap(({ scenario, ours }) =>
    ours.profileWindow ? [{ id: scenario.id, window: ours.profileWindow, acked: ours.load.ok }] : [],
  );
  const summaries = profile.summarise(...profiled.map(({ window }) => [window]));
  return profiled.map(({ id, window, acked }, i) => {
    const summary = summaries[i];
    if (!summary) throw new Error(`opsbot's CPU profile of ${id} was not summarised`);
    return { id, summary, windowMicros: window.toMicros - window.fromMicros, acked };
  });
}

/** A short unmeasured run so that both servers have compiled their hot paths before the first phase. */
async function warmUp(target: Target, stream: EventStream): Promise<Acked> {
  const messages = await openLoop(target.client, stream.message, CHECKS[target.name].message, 200, 1500);
  const cards = await openLoop(target.client, stream.cardClick, CHECKS[target.name].cardClick, 50, 600);
  return { message: messages.ok, cardClick: cards.ok };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const runId = randomBytes(3).toString("hex");
  const stream = createEventStream(runId);
  const database = await createBenchDatabase(ADMIN_URL);
  if (SYNCHRONOUS_COMMIT) await database.setSynchronousCommit(SYNCHRONOUS_COMMIT);
  const loadAverage = loadavg();
  const fake = await startFakeLark({ appId: BENCH_LARK.appId, appSecret: BENCH_LARK.appSecret });
  const targets: Target[] = [];
  const profile = recordCpuProfile(CPU_PROFILE_DIR);
  try {
    const larkEnv = {
      LARK_APP_ID: BENCH_LARK.appId,
      LARK_APP_SECRET: BENCH_LARK.appSecret,
      LARK_VERIFICATION_TOKEN: BENCH_LARK.verificationToken,
      LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
    };
    console.log(`bench: database ${database.name}, fake Lark at ${fake.url}`);
    const ours = await startChildServer(
      "console/start.ts",
      { ...larkEnv, DATABASE_URL: database.url, LARK_API_BASE: fake.url },
      profile.nodeOptions,
    );
    const sdk = await startChildServer("bench/baselines/lark-sdk.ts", larkEnv);
    for (const [name, server] of [
      ["sdk", sdk],
      ["ours", ours],
    ] as const) {
      targets.push({
        name,
        server,
        client: createLoadClient(server.url, LARK_WEBHOOK_PATH),
        rss: watchRss(server.pid),
      });
    }
    const [sdkTarget, oursTarget] = targets as [Target, Target];
    const rssStart = { ours: oursTarget.rss.startWindow(), sdk: sdkTarget.rss.startWindow() };

    console.log("bench: warming up");
    const acked = { sdk: await warmUp(sdkTarget, stream), ours: await warmUp(oursTarget, stream) };
    await database.settle(SETTLE_TIMEOUT_MS);

    const results: ScenarioResult[] = [];
    for (const scenario of SCENARIOS) {
      console.log(`bench: ${scenario.title} — SDK baseline`);
      const sdkMeasured = await measure(sdkTarget, scenario, stream, database, false);
      console.log(`bench: ${scenario.title} — opsbot`);
      const oursMeasured = await measure(
        oursTarget,
        scenario,
        stream,
        database,
        true,
        PROFILED.has(scenario.id) ? profile : undefined,
      );
      results.push({ scenario, ours: oursMeasured, sdk: sdkMeasured });
      acked.ours[scenario.request] += oursMeasured.load.ok;
      acked.sdk[scenario.request] += sdkMeasured.load.ok;
      const o = oursMeasured;
      const s = sdkMeasured;
      console.log(
        `  opsbot ${o.eventsPerSecond.toFixed(0)}/s p50 ${o.latency.p50.toFixed(1)} p99 ${o.latency.p99.toFixed(1)} ms, ` +
          `errors ${o.load.errors} | SDK ${s.eventsPerSecond.toFixed(0)}/s p50 ${s.latency.p50.toFixed(1)} ` +
          `p99 ${s.latency.p99.toFixed(1)} ms, errors ${s.load.errors} | settled in ${((o.settled?.ms ?? 0) / 1000).toFixed(1)} s`,
      );
    }

    const rssEnd = { ours: oursTarget.rss.startWindow(), sdk: sdkTarget.rss.startWindow() };
    const rssPeak = { ours: oursTarget.rss.overallPeak(), sdk: sdkTarget.rss.overallPeak() };
    const sdkHandled = (await (await fetch(`${sdk.url}/stats`)).json()) as {
      messages: number;
      cards: number;
    };
    const inbox = await database.inboxCounts();
    const outboxWaiting = await database.outboxWaiting();
    const oursLogs = { ...ours.lines };
    for (const target of targets) {
      target.rss.stop();
      target.client.close();
    }
    await Promise.all(targets.map((target) => target.server.stop()));
    targets.length = 0;
    // opsbot wrote its profile as it exited.
    const profiles = summariseProfiledPhases(profile, results);
    // After the server closed its connections their backends have flushed their statistics.
    await sleep(500);
    const activity = await database.activity();

    const markdown = renderResults({
      machine: {
        date: startedAt.toISOString(),
        commit: commitLabel(),
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryBytes: totalmem(),
        node: process.version,
        postgres: await database.serverVersion(),
        loadAverage,
      },
      experiment: SYNCHRONOUS_COMMIT
        ? `synchronous_commit=${SYNCHRONOUS_COMMIT} on the bench database`
        : undefined,
      phaseMs: PHASE_MS,
      results,
      profiles,
      rss: { start: rssStart, peak: rssPeak, end: rssEnd },
      checks: {
        acked,
        inbox,
        outboxWaiting,
        sdkHandled,
        oursLogs,
        fakeDelivered: fake.delivered.length,
        activity,
      },
    });
    writeResultsSection(RESULTS_PATH, "lark", markdown);
    console.log(`bench: wrote the lark section of ${RESULTS_PATH}`);
  } finally {
    for (const target of targets) {
      target.rss.stop();
      target.client.close();
      await target.server.stop();
    }
    await fake.close();
    await database.drop();
  }
}

/** Runs a scenario against a fresh database and a fake Lark of its own, and writes its section. */
async function withDatabaseAndFake(
  section: "ingress" | "command-cost",
  run: (database: BenchDatabase, fake: FakeLark, header: string[]) => Promise<string>,
): Promise<void> {
  const startedAt = new Date();
  const database = await createBenchDatabase(ADMIN_URL);
  const fake = await startFakeLark({ appId: BENCH_LARK.appId, appSecret: BENCH_LARK.appSecret });
  try {
    const markdown = await run(database, fake, runHeader(startedAt, await database.serverVersion()));
    writeResultsSection(RESULTS_PATH, section, markdown);
    console.log(`bench: wrote the ${section} section of ${RESULTS_PATH}`);
  } finally {
    await fake.close();
    await database.drop();
  }
}

/** Every benchmark, in the order `all` runs them; BENCH_ONLY picks one. */
const BENCHES: Record<string, () => Promise<void>> = {
  lark: main,
  ingress: () =>
    withDatabaseAndFake("ingress", async (database, fake, header) =>
      renderIngressSection(await runIngressBench(database, fake.url, console.log, CPU_PROFILE_DIR), header),
    ),
  "command-cost": () =>
    withDatabaseAndFake("command-cost", async (database, fake, header) =>
      renderCommandCostSection(
        await runCommandCostBench(database, fake, console.log, CPU_PROFILE_DIR),
        header,
      ),
    ),
  scheduler: () => runSchedulerBench(ADMIN_URL, RESULTS_PATH),
  schedule: () => runScheduleBench(ADMIN_URL, RESULTS_PATH),
};

async function runSelected(): Promise<void> {
  const selected = BENCH_ONLY === "all" ? Object.keys(BENCHES) : [BENCH_ONLY];
  for (const name of selected) {
    const bench = BENCHES[name];
    if (!bench)
      throw new Error(`BENCH_ONLY must be all or one of ${Object.keys(BENCHES).join(", ")}, not ${name}`);
    await bench();
  }
}

runSelected().catch((error) => {
  console.error(error);
  process.exit(1);
});

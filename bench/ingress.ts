// The ingress comparison, side by side in one run: opsbot's webhook against three baselines on the same stream.
// - the Lark SDK's dispatcher whose handler only counts (it stores nothing);
// - the same dispatcher with one durable INSERT per event in its handler, what a Lark developer would write;
// - a bare node:http server that verifies and stores nothing, the floor of what this machine allows.
// Each server is driven alone at max rate (closed loop), in rounds whose order alternates, so that a slow minute
// of the machine does not fall on one server only. opsbot's ack latency at 500/s while it processes is measured
// first, on the warmed server: the max-rate rounds leave far more replies waiting for Lark's per-app limit than
// a working day does.
// opsbot's backlog is finished before the next phase, and the database vacuumed after every phase, as autovacuum
// would (this bench server runs with it off).
// A V8 CPU profile of opsbot's server says where its time went in its max-rate rounds and in the 500/s phase.
import { randomBytes } from "node:crypto";
import type { BenchDatabase } from "./bench-database.ts";
import type { ProfileWindow } from "./cpu-profile.ts";
import { PROFILE_SAMPLING_MS, recordCpuProfile } from "./cpu-profile-recording.ts";
import { closedLoop, createLoadClient, type LoadResult, openLoop } from "./load.ts";
import {
  type ChildServer,
  postgresCpuSeconds,
  processTreeCpuSeconds,
  startChildServer,
} from "./processes.ts";
import {
  busyClause,
  busyPerEvent,
  busyShare,
  type PhaseProfile,
  percent,
  renderProfile,
  whereTheTimeWent,
} from "./profile-report.ts";
import { summarize } from "./stats.ts";
import { BENCH_LARK, createEventStream, LARK_WEBHOOK_PATH } from "./stream.ts";

const ROUNDS = Number(process.env.BENCH_INGRESS_ROUNDS ?? 3);
const PHASE_MS = 10_000;
const CONCURRENCY = 64;
const ACK_RATE = 500;
/** Every server first takes this many events a second for this long, so that its hot paths are compiled. */
const WARM_UP_RATE = 200;
const WARM_UP_MS = 10_000;
/** Processing a max-rate phase's backlog of /help commands takes about a minute and a half. */
const SETTLE_TIMEOUT_MS = 300_000;

type ServerName = "opsbot" | "sdk-insert" | "sdk-count" | "node-http";

interface RoundResult {
  server: ServerName;
  round: number;
  acked: number;
  eventsPerSecond: number;
  p99: number;
  errors: number;
  /**
   * opsbot's: how long after the phase its backlog was finished, the events still open then, and the replies
   * left waiting for Lark's per-app limit, which the bench deleted.
   */
  settled?: { ms: number; open: number; dropped: number };
  /** A baseline's: the share of a core opsbot's server and Postgres used while it ran. */
  background?: { opsbot: number; postgres: number };
}

export interface IngressRun {
  rounds: RoundResult[];
  ack: {
    rate: number;
    p50: number;
    p99: number;
    errors: number;
    sent: number;
    acked: number;
    settleMs: number;
    open: number;
    /** Replies of the earlier phases still waiting in the outbox for the platform's limits when it began. */
    waitingAtStart: number;
  };
  /** opsbot's server: over its max-rate rounds, and over the 500/s phase. */
  profiles: { maxRate: PhaseProfile; ack: PhaseProfile };
}

export async function runIngressBench(
  database: BenchDatabase,
  fakeLarkUrl: string,
  log: (line: string) => void,
  /** Keep opsbot's CPU profile in a directory under this one (else it is removed once summarised). */
  keepProfileIn?: string,
): Promise<IngressRun> {
  const profile = recordCpuProfile(keepProfileIn);
  const maxRateWindows: ProfileWindow[] = [];
  let ackWindow: ProfileWindow;
  let measured: Omit<IngressRun, "profiles">;
  const stream = createEventStream(randomBytes(3).toString("hex"));
  const larkEnv = {
    LARK_APP_ID: BENCH_LARK.appId,
    LARK_APP_SECRET: BENCH_LARK.appSecret,
    LARK_VERIFICATION_TOKEN: BENCH_LARK.verificationToken,
    LARK_ENCRYPT_KEY: BENCH_LARK.encryptKey,
  };
  const servers = new Map<ServerName, ChildServer>();
  try {
    servers.set(
      "opsbot",
      await startChildServer(
        "console/start.ts",
        { ...larkEnv, DATABASE_URL: database.url, LARK_API_BASE: fakeLarkUrl },
        profile.nodeOptions,
      ),
    );
    servers.set(
      "sdk-insert",
      await startChildServer("bench/baselines/lark-sdk.ts", {
        ...larkEnv,
        BASELINE_DATABASE_URL: database.url,
      }),
    );
    servers.set("sdk-count", await startChildServer("bench/baselines/lark-sdk.ts", larkEnv));
    servers.set("node-http", await startChildServer("bench/baselines/node-http.ts", {}));
    const clients = new Map(
      [...servers].map(([name, server]) => [name, createLoadClient(server.url, LARK_WEBHOOK_PATH)] as const),
    );
    const client = (name: ServerName) => {
      const found = clients.get(name);
      if (!found) throw new Error(`no client for ${name}`);
      return found;
    };
    const ok = (answer: { status: number }) => answer.status === 200;

    log("ingress: warming up every server");
    for (const name of servers.keys())
      await openLoop(client(name), stream.message, ok, WARM_UP_RATE, WARM_UP_MS);
    await database.settle(SETTLE_TIMEOUT_MS);
    await database.vacuumAnalyze();

    const opsbotPid = servers.get("opsbot")?.pid;
    if (opsbotPid === undefined) throw new Error("opsbot's server did not start");
    const backgroundCpu = () => ({
      opsbot: processTreeCpuSeconds(opsbotPid),
      postgres: postgresCpuSeconds(database.name),
    });
    const waitingAtStart = await database.outboxWaiting();
    log(`ingress: opsbot acks at ${ACK_RATE}/s while it processes, ${waitingAtStart} replies waiting`);
    const closeAckWindow = profile.window();
    const ackLoad = await openLoop(client("opsbot"), stream.message, ok, ACK_RATE, PHASE_MS);
    ackWindow = closeAckWindow();
    const latency = summarize(ackLoad.latencies);
    const ackSettled = await database.settle(SETTLE_TIMEOUT_MS);
    await database.dropWaiting();
    await database.vacuumAnalyze();
    const ack = {
      rate: ACK_RATE,
      p50: latency.p50,
      p99: latency.p99,
      errors: ackLoad.errors,
      sent: ackLoad.sent,
      acked: ackLoad.ok,
      settleMs: ackSettled.ms,
      open: ackSettled.open,
      waitingAtStart,
    };

    const rounds: RoundResult[] = [];
    const order = [...servers.keys()];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of round % 2 === 1 ? order : [...order].reverse()) {
        const closeWindow = server === "opsbot" ? profile.window() : undefined;
        const cpuBefore = backgroundCpu();
        const load: LoadResult = await closedLoop(client(server), stream.message, ok, CONCURRENCY, PHASE_MS);
        const cpuAfter = backgroundCpu();
        if (closeWindow) maxRateWindows.push(closeWindow());
        const share = (seconds: number) => seconds / (load.elapsedMs / 1000);
        const background =
          server === "opsbot"
            ? undefined
            : {
                opsbot: share(cpuAfter.opsbot - cpuBefore.opsbot),
                postgres: share(cpuAfter.postgres - cpuBefore.postgres),
              };
        const settled =
          server === "opsbot"
            ? { ...(await database.settle(SETTLE_TIMEOUT_MS)), dropped: await database.dropWaiting() }
            : undefined;
        await database.vacuumAnalyze();
        const result: RoundResult = {
          server,
          round,
          acked: load.ok,
          eventsPerSecond: load.ok / (load.elapsedMs / 1000),
          p99: summarize(load.latencies).p99,
          errors: load.errors,
          settled,
          background,
        };
        rounds.push(result);
        log(
          `ingress: round ${round} ${server} ${result.eventsPerSecond.toFixed(0)}/s, ${load.errors} errors`,
        );
      }
    }
    for (const found of clients.values()) found.close();
    measured = { rounds, ack };
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  // opsbot wrote its profile as it exited.
  const [maxRate, ack] = profile.summarise(maxRateWindows, [ackWindow]);
  if (!maxRate || !ack) throw new Error("opsbot's CPU profile was not summarised");
  const length = (windows: ProfileWindow[]) =>
    windows.reduce((sum, window) => sum + window.toMicros - window.fromMicros, 0);
  const opsbotAcked = measured.rounds
    .filter((r) => r.server === "opsbot")
    .reduce((sum, r) => sum + r.acked, 0);
  return {
    ...measured,
    profiles: {
      maxRate: { summary: maxRate, windowMicros: length(maxRateWindows), acked: opsbotAcked },
      ack: { summary: ack, windowMicros: length([ackWindow]), acked: measured.ack.acked },
    },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "—";

/** How long after each of opsbot's max-rate phases its backlog was finished. */
function backlogs(run: IngressRun): string {
  return run.rounds
    .filter((r) => r.server === "opsbot")
    .map(({ round, settled }) =>
      !settled
        ? `round ${round} not watched`
        : settled.open
          ? `round ${round}'s was not, ${fmt(settled.open)} events still open after ${fmt(settled.ms / 1000, 0)} s`
          : `round ${round}'s took ${fmt(settled.ms / 1000, 1)} s and left ${fmt(settled.dropped)} replies waiting`,
    )
    .join(", ");
}

/** Per baseline, the most of a core opsbot's server and Postgres used while it ran. */
function background(run: IngressRun): string {
  const baselines: ServerName[] = ["sdk-insert", "sdk-count", "node-http"];
  return baselines
    .map((name) => {
      const phases = run.rounds.filter((r) => r.server === name);
      const most = (pick: (r: RoundResult) => number | undefined) =>
        fmt(Math.max(...phases.map((r) => pick(r) ?? 0)) * 100, 1);
      return `${name} ≤ ${most((r) => r.background?.opsbot)} % and ≤ ${most((r) => r.background?.postgres)} %`;
    })
    .join(", ");
}

export function renderIngressSection(run: IngressRun, header: string[]): string {
  const names: ServerName[] = ["opsbot", "sdk-insert", "sdk-count", "node-http"];
  const rate = (name: ServerName) =>
    median(run.rounds.filter((r) => r.server === name).map((r) => r.eventsPerSecond));
  const ours = rate("opsbot");
  const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
  const insertRatio = ours / rate("sdk-insert");
  const countRatio = ours / rate("sdk-count");
  const keptUp = run.ack.open === 0;
  const ackMet = run.ack.p99 < 25 && keptUp && run.ack.errors === 0;
  return [
    "## Ingress: opsbot beside three baselines, one run",
    "",
    "Written by `BENCH_ONLY=ingress npm run bench` (bench/ingress.ts).",
    "",
    ...header,
    "",
    "- **opsbot**: `console/start.ts` (the `npm start` entry) on a fresh Postgres database: verify, decrypt, decode, INSERT into the inbox, ack; each `/help` is then processed and answered to a fake Lark in the same process.",
    "- **sdk-insert**: `bench/baselines/lark-sdk.ts` with `BASELINE_DATABASE_URL`: the Lark SDK's `EventDispatcher` behind `adaptDefault`, its handler doing one INSERT of the event (jsonb, `on conflict do nothing`) into the same database before the ack.",
    "- **sdk-count**: the same dispatcher whose handler only counts; it stores nothing.",
    "- **node-http**: `bench/baselines/node-http.ts`, a bare `node:http` server that reads the body and answers `{}`; it verifies and stores nothing.",
    `- Every server first takes ${WARM_UP_RATE} events/s for ${WARM_UP_MS / 1000} s, so that its hot paths are compiled. Then opsbot's ${run.ack.rate}/s phase (open loop), with ${fmt(run.ack.waitingAtStart)} replies of the warm-up waiting for Lark's per-app limit (1,000 a minute); it comes before the max-rate rounds, each of which leaves tens of thousands of replies waiting for that limit, hours of sending, more than any working day does.`,
    `- Each server alone, ${CONCURRENCY} concurrent keep-alive senders for ${PHASE_MS / 1000} s, the same signed and encrypted \`/help\` events; ${ROUNDS} rounds, the order reversed every other round. The table gives each round and the median.`,
    `- After an opsbot phase the next starts once opsbot has processed and answered its backlog, or ${SETTLE_TIMEOUT_MS / 1000} s passed: ${backlogs(run)}. The bench then deletes those waiting replies (as after the ${run.ack.rate}/s phase), so that opsbot's sender has nothing left to send while the baselines run. What opsbot's server and Postgres then used of a core during each baseline's phases (from \`/proc\`; sdk-insert's own INSERTs are Postgres's work): ${background(run)}.`,
    "- After every phase the bench runs VACUUM ANALYZE on the database. Autovacuum is off on this bench server; on one that runs it, with the fixed thresholds opsbot sets on its inbox, outbox and send budgets (migration 0028: 10,000 dead rows, 1,000 for the budgets), it would vacuum them within a minute of every phase.",
    "",
    `| server | ${run.rounds
      .filter((r) => r.server === "opsbot")
      .map((r) => `round ${r.round} events/s (p99 ms, errors)`)
      .join(" | ")} | median events/s | opsbot ÷ this |`,
    `|---|${run.rounds
      .filter((r) => r.server === "opsbot")
      .map(() => "---")
      .join("|")}|---|---|`,
    ...names.map((name) => {
      const cells = run.rounds
        .filter((r) => r.server === name)
        .map((r) => `${fmt(r.eventsPerSecond)} (${fmt(r.p99, 1)}, ${r.errors})`);
      return `| ${name} | ${cells.join(" | ")} | ${fmt(rate(name))} | ${name === "opsbot" ? "" : `${fmt(ours / rate(name), 2)}×`} |`;
    }),
    "",
    "| Target | Measured | Result |",
    "|---|---|---|",
    `| ingress ≥ 1.0× sdk-insert | ${fmt(insertRatio, 2)}× | ${verdict(insertRatio >= 1)} |`,
    `| ingress ≥ 0.8× sdk-count | ${fmt(countRatio, 2)}× | ${verdict(countRatio >= 0.8)} |`,
    `| p99 ack < 25 ms at ${run.ack.rate}/s while processing keeps up | p99 ${fmt(run.ack.p99, 1)} ms (p50 ${fmt(run.ack.p50, 1)}), ${run.ack.errors} errors of ${run.ack.sent}; backlog ${keptUp ? `finished ${fmt(run.ack.settleMs / 1000, 1)} s after the phase` : `${run.ack.open} events still open after ${fmt(run.ack.settleMs / 1000, 0)} s`} | ${verdict(ackMet)} |`,
    "",
    "### Where opsbot's server spends its time",
    "",
    `Self time on the server's threads from its V8 CPU profile (\`node --cpu-prof\`, a sample every ${PROFILE_SAMPLING_MS} ms through the whole run, so its cost is in every opsbot figure above), as in the command-cost section: the share of the busy time (every sample but \`(idle)\`); a native frame counts as its caller's; node's internals name the package or area that called them. Busy time is wall time the thread was not idle, which on a loaded machine includes waiting for a core.`,
    "",
    `In its max-rate rounds (busy ${percent(busyShare(run.profiles.maxRate))} of the rounds' time), per acked event:`,
    "",
    ...renderProfile(run.profiles.maxRate.summary, busyPerEvent(run.profiles.maxRate)),
    "",
    `In the ${run.ack.rate}/s phase while it processes (busy ${percent(busyShare(run.profiles.ack))} of the phase), per acked event:`,
    "",
    ...renderProfile(run.profiles.ack.summary, busyPerEvent(run.profiles.ack)),
    "",
    ...(insertRatio < 1 || countRatio < 0.8
      ? [
          `- opsbot acks ${fmt(insertRatio, 2)}× sdk-insert's rate (target ≥ 1.0×) and ${fmt(countRatio, 2)}× sdk-count's (target ≥ 0.8×). In its max-rate rounds ${busyClause(run.profiles.maxRate)}. Of its busy time, ${whereTheTimeWent(run.profiles.maxRate.summary)}.`,
        ]
      : []),
    ...(ackMet
      ? []
      : [
          `- The ack p99 misses < 25 ms at ${run.ack.rate}/s: ${busyClause(run.profiles.ack)}. Of its busy time, ${whereTheTimeWent(run.profiles.ack.summary)}.`,
        ]),
    "",
  ].join("\n");
}

// The ingress comparison, side by side in one run: opsbot's webhook against three baselines on the same stream.
// - the Lark SDK's dispatcher whose handler only counts (it stores nothing);
// - the same dispatcher with one durable INSERT per event in its handler, what a Lark developer would write;
// - a bare node:http server that verifies and stores nothing, the floor of what this machine allows.
// Each server is driven alone at max rate (closed loop), in rounds whose order alternates, so that a slow minute
// of the machine does not fall on one server only; then opsbot's ack latency at 500/s while it processes.
import { randomBytes } from "node:crypto";
import type { BenchDatabase } from "./bench-database.ts";
import { closedLoop, createLoadClient, type LoadResult, openLoop } from "./load.ts";
import { type ChildServer, startChildServer } from "./processes.ts";
import { summarize } from "./stats.ts";
import { BENCH_LARK, createEventStream, LARK_WEBHOOK_PATH } from "./stream.ts";

const ROUNDS = Number(process.env.BENCH_INGRESS_ROUNDS ?? 3);
const PHASE_MS = 10_000;
const CONCURRENCY = 64;
const ACK_RATE = 500;
const SETTLE_TIMEOUT_MS = 60_000;

type ServerName = "opsbot" | "sdk-insert" | "sdk-count" | "node-http";

interface RoundResult {
  server: ServerName;
  round: number;
  eventsPerSecond: number;
  p99: number;
  errors: number;
}

export interface IngressRun {
  rounds: RoundResult[];
  ack: {
    rate: number;
    p50: number;
    p99: number;
    errors: number;
    sent: number;
    settleMs: number;
    open: number;
  };
}

export async function runIngressBench(
  database: BenchDatabase,
  fakeLarkUrl: string,
  log: (line: string) => void,
  /** Node options for the opsbot server only (a CPU profile). */
  opsbotNodeOptions: string[] = [],
): Promise<IngressRun> {
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
        opsbotNodeOptions,
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
    for (const name of servers.keys()) await openLoop(client(name), stream.message, ok, 200, 1500);
    await database.settle(SETTLE_TIMEOUT_MS);

    const rounds: RoundResult[] = [];
    const order = [...servers.keys()];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of round % 2 === 1 ? order : [...order].reverse()) {
        const load: LoadResult = await closedLoop(client(server), stream.message, ok, CONCURRENCY, PHASE_MS);
        const result = {
          server,
          round,
          eventsPerSecond: load.ok / (load.elapsedMs / 1000),
          p99: summarize(load.latencies).p99,
          errors: load.errors,
        };
        rounds.push(result);
        log(
          `ingress: round ${round} ${server} ${result.eventsPerSecond.toFixed(0)}/s, ${load.errors} errors`,
        );
        if (server === "opsbot") await database.settle(SETTLE_TIMEOUT_MS);
      }
    }

    log(`ingress: opsbot acks at ${ACK_RATE}/s while it processes`);
    const load = await openLoop(client("opsbot"), stream.message, ok, ACK_RATE, PHASE_MS);
    const latency = summarize(load.latencies);
    const settled = await database.settle(SETTLE_TIMEOUT_MS);
    for (const found of clients.values()) found.close();
    return {
      rounds,
      ack: {
        rate: ACK_RATE,
        p50: latency.p50,
        p99: latency.p99,
        errors: load.errors,
        sent: load.sent,
        settleMs: settled.ms,
        open: settled.open,
      },
    };
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
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

export function renderIngressSection(run: IngressRun, header: string[]): string {
  const names: ServerName[] = ["opsbot", "sdk-insert", "sdk-count", "node-http"];
  const rate = (name: ServerName) =>
    median(run.rounds.filter((r) => r.server === name).map((r) => r.eventsPerSecond));
  const ours = rate("opsbot");
  const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
  const insertRatio = ours / rate("sdk-insert");
  const countRatio = ours / rate("sdk-count");
  const keptUp = run.ack.open === 0;
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
    `- Each server alone, ${CONCURRENCY} concurrent keep-alive senders for ${PHASE_MS / 1000} s, the same signed and encrypted \`/help\` events; ${ROUNDS} rounds, the order reversed every other round; opsbot's backlog finished before the next phase. The table gives each round and the median.`,
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
    `| p99 ack < 25 ms at ${run.ack.rate}/s while processing keeps up | p99 ${fmt(run.ack.p99, 1)} ms (p50 ${fmt(run.ack.p50, 1)}), ${run.ack.errors} errors of ${run.ack.sent}; backlog ${keptUp ? `finished ${fmt(run.ack.settleMs / 1000, 1)} s after the phase` : `${run.ack.open} events still open after ${fmt(run.ack.settleMs / 1000, 0)} s`} | ${verdict(run.ack.p99 < 25 && keptUp && run.ack.errors === 0)} |`,
    "",
  ].join("\n");
}

// Renders a reliability run as the `reliability` section of bench/RESULTS.md: machine, then one table per scenario.
import type { LatencySummary } from "../stats.ts";
import type { CrashResult } from "./crash.ts";
import type { EffectsReport } from "./effects.ts";
import type { LongConnectionResult } from "./long-connection.ts";
import type { OutageResult } from "./outage.ts";
import { duplicatedOf, lostOf, type OnceCount, type PlatformEffects } from "./platform-effects.ts";
import type { RateCheck } from "./rate-check.ts";
import type { SustainedResult } from "./sustained.ts";
import type { TwoInstancesResult } from "./two-instances.ts";

export interface ReliabilityRun {
  machine: {
    date: string;
    commit: string;
    cpus: string;
    node: string;
    postgres: string;
    loadAverage: number[];
  };
  settings: Record<string, string>;
  sustained?: SustainedResult;
  crash: CrashResult[];
  outage?: OutageResult;
  twoInstances?: TwoInstancesResult;
  longConnection?: LongConnectionResult;
  /** The hostile-input run's own summary (bench/reliability/fuzz.ts). */
  fuzz?: string;
  /** Log lines scanned over every server and job process of the run, and lines holding a secret. */
  secrets: { lines: number; hits: number; examples: string[] };
  /** Scenarios that threw, with the message. */
  failures: string[];
}

const whole = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const seconds = (n: number) => `${(n / 1000).toFixed(1)} s`;
const verdict = (ok: boolean) => (ok ? "✅" : "❌");

const onceRow = (what: string, count: OnceCount) =>
  `| ${what}: none / more than one, of all owed | ${whole(count.missing)} / ${whole(count.twice)} of ${whole(count.expected)} | ${verdict(count.missing + count.twice === 0)} |`;

/** The scenario's verdict rows: lost and duplicated as the platform and the domain tables show them. */
function platformEffectsRows(effects: PlatformEffects): string[] {
  const lost = lostOf(effects);
  const duplicated = duplicatedOf(effects);
  return [
    `| **lost / duplicated** (the three rows below: owed and not found / found more than once) | ${whole(lost)} / ${whole(duplicated)} | ${verdict(lost + duplicated === 0)} |`,
    onceRow(
      "**replies at the fake platforms** (Lark reply to the message, DingTalk session webhook, WeCom robot response_url: per message; WeCom app: per person)",
      effects.replies,
    ),
    onceRow(
      "**redrawn cards** (Lark, DingTalk clicks: the card in the click's answer, or an update call at the fake)",
      effects.cards,
    ),
    onceRow("**rows in the domain tables** (one order or complaint per command)", effects.rows),
    ...effects.examples.map((example) => `| example | ${example} | |`),
  ];
}

function effectsRows(effects: EffectsReport): string[] {
  return [
    `| distinct events acked (200) | ${whole(effects.acked)} | |`,
    `| the server's own books: acked events with no done inbox row, reply row or audit row / audited twice | ${whole(effects.lost)} / ${whole(effects.duplicated)} | |`,
    `| inbox rows still open / dead | ${whole(effects.open)} / ${whole(effects.dead)} | ${verdict(effects.open + effects.dead === 0)} |`,
    `| replies in the outbox, by status | ${Object.entries(effects.replies)
      .map(([status, n]) => `${status} ${whole(n)}`)
      .join(
        ", ",
      )} | ${verdict(Object.entries(effects.replies).every(([status, n]) => status === "sent" || (status === "failed" && n === effects.refusedResends)))} |`,
    `| of the failed: WeCom robot replies re-sent after the kill, refused by their single-use response_url although WeCom had the first | ${whole(effects.refusedResends)} | |`,
    `| orders drafted / complaints opened | ${whole(effects.orders)} / ${whole(effects.complaints)} | |`,
    ...effects.examples.map((example) => `| example | ${example} | |`),
  ];
}

const latencyLine = (latency: LatencySummary) =>
  `p50 ${ms(latency.p50)} ms, p99 ${ms(latency.p99)} ms, max ${ms(latency.max)} ms`;

const rateRows = (rates: RateCheck[]) =>
  rates.map(
    (rate) =>
      `| ${rate.name}: most calls in any ${rate.windowMs / 1000} s | ${rate.worst} (limit ${rate.limit}) | ${verdict(rate.worst <= rate.limit)} |`,
  );

function sustainedSection(r: SustainedResult, settings: Record<string, string>): string[] {
  const first = r.rssMiB[0] ?? Number.NaN;
  const last = r.rssMiB.at(-1) ?? Number.NaN;
  return [
    `### 1. Sustained load (${settings.sustained})`,
    "",
    "| | | |",
    "|---|---|---|",
    `| requests sent (of which redeliveries) | ${whole(r.sent)} (${whole(r.duplicatesSent)}) | |`,
    `| answered per second | ${r.answeredPerSecond.toFixed(0)} | |`,
    `| errors | ${whole(r.errors)} ${Object.entries(r.errorKinds)
      .map(([kind, n]) => `${kind}: ${n}`)
      .join("; ")} | ${verdict(r.errors === 0)} |`,
    `| ack latency | ${latencyLine(r.latency)} | |`,
    ...platformEffectsRows(r.atPlatform),
    ...effectsRows(r.effects),
    `| backlog drained after the load in | ${seconds(r.drainMs)} | |`,
    `| RSS at start → end | ${first.toFixed(0)} → ${last.toFixed(0)} MiB | |`,
    `| RSS trend (least squares, from 10 s into the load to its end) | ${r.rssSlopeMiBPerMinute.toFixed(2)} MiB/min | |`,
    `| RSS trend over the load's second half (the heap sized to the load by then) | ${r.rssSecondHalfSlopeMiBPerMinute.toFixed(2)} MiB/min | |`,
    `| RSS samples (MiB) | ${r.rssMiB.map((v) => v.toFixed(0)).join(" ")} | |`,
    "",
  ];
}

/** min / median / max of a list of counts. */
function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  return `${whole(sorted[0] ?? Number.NaN)} / ${whole(median)} / ${whole(sorted.at(-1) ?? Number.NaN)}`;
}

function crashStoreSection(store: string, runs: CrashResult[], settings: Record<string, string>): string[] {
  const label = store === "pglite" ? "embedded PGlite" : "Postgres";
  const sum = (pick: (r: CrashResult) => number) => runs.reduce((total, r) => total + pick(r), 0);
  const withLoss = runs.filter((r) => r.lost > 0).length;
  const withDuplicate = runs.filter((r) => r.duplicated > 0).length;
  const examples = runs.flatMap((r) => r.atPlatform.examples).slice(0, 5);
  return [
    `### 2. Crash: SIGKILL under load, restart, redelivery (${label}, ${runs.length} runs; ${settings.crash})`,
    "",
    "Each run: a fresh database and fresh fakes, mixed signed traffic, SIGKILL half-way through, the load going on against the dead port, a restart. Every request that got no 200 (cut by the kill: reset or no answer; or refused while the server was down) is then sent again byte-for-byte to the restarted server, up to three times, as the platforms retry an unacknowledged delivery. Then, for every distinct event of the run: **lost** = a reply, redrawn card or domain row owed and not found; **duplicated** = one found more than once. Replies and cards are counted at the fake platforms (what users saw), rows in the orders and complaints tables. The server's own books (inbox, outbox, audit) are summed last, for reference only.",
    "",
    "| | min / median / max per run | all runs |",
    "|---|---|---|",
    `| requests sent | ${spread(runs.map((r) => r.sent))} | ${whole(sum((r) => r.sent))} |`,
    `| cut by the kill (in flight: reset, no answer) | ${spread(runs.map((r) => r.cutByKill))} | ${whole(sum((r) => r.cutByKill))} |`,
    `| redelivered (every request without an ack) / acked on redelivery | ${spread(runs.map((r) => r.redelivered))} | ${whole(sum((r) => r.redelivered))} / ${whole(sum((r) => r.redeliveredAcked))} |`,
    `| **lost** (owed, not at the fake or in the table) | ${spread(runs.map((r) => r.lost))} | ${whole(sum((r) => r.lost))} in ${withLoss} of ${runs.length} runs ${verdict(withLoss === 0)} |`,
    `| **duplicated** (at the fake or in the table more than once) | ${spread(runs.map((r) => r.duplicated))} | ${whole(sum((r) => r.duplicated))} in ${withDuplicate} of ${runs.length} runs ${verdict(withDuplicate === 0)} |`,
    `| of which replies missing / twice | | ${whole(sum((r) => r.atPlatform.replies.missing))} / ${whole(sum((r) => r.atPlatform.replies.twice))} of ${whole(sum((r) => r.atPlatform.replies.expected))} |`,
    `| of the replies twice: sent before the kill and again after the restart through DingTalk's session webhook, which takes no idempotency key | | ${whole(sum((r) => r.atPlatform.resentAcrossRestart))} |`,
    `| of which redrawn cards missing / twice | | ${whole(sum((r) => r.atPlatform.cards.missing))} / ${whole(sum((r) => r.atPlatform.cards.twice))} of ${whole(sum((r) => r.atPlatform.cards.expected))} |`,
    `| of which orders and complaints missing / twice | | ${whole(sum((r) => r.atPlatform.rows.missing))} / ${whole(sum((r) => r.atPlatform.rows.twice))} of ${whole(sum((r) => r.atPlatform.rows.expected))} |`,
    `| restart to everything redelivered and nothing left to do | ${spread(runs.map((r) => r.recoveryMs / 1000))} s | |`,
    `| the server's own books: acked events with no done inbox row, reply row or audit row / audited twice | | ${whole(sum((r) => r.effects.lost))} / ${whole(sum((r) => r.effects.duplicated))} |`,
    ...examples.map((example) => `| example | ${example} | |`),
    "",
    `Per run (sent, cut by the kill, redelivered, lost, duplicated): ${runs
      .map((r) => `${r.sent}/${r.cutByKill}/${r.redelivered}/${r.lost}/${r.duplicated}`)
      .join(", ")}`,
    "",
  ];
}

function crashSection(results: CrashResult[], settings: Record<string, string>): string[] {
  const stores = [...new Set(results.map((r) => r.store))];
  return stores.flatMap((store) =>
    crashStoreSection(
      store,
      results.filter((r) => r.store === store),
      settings,
    ),
  );
}

function outageSection(r: OutageResult, settings: Record<string, string>): string[] {
  const delivered = r.delivered.lark + r.delivered.dingtalk;
  return [
    `### 3. Platform outage during a digest and an alert burst (${settings.outage})`,
    "",
    "First half: every call goes through to the fake platform, which acts on it (a send is delivered to the group), but the answer never reaches opsbot (the proxy drops the connection): opsbot cannot tell it from a lost send and tries again. Second half: every call refused with 429 or 500. Counted at the fake platforms: a push the group saw twice is a duplicate. Lark dedups a retried create by its `uuid` (opsbot sends one per outbox row; the fake honours it for an hour as Lark documents), DingTalk ignores a second card create with the same `outTrackId`; DingTalk's robot group message API (`/v1.0/robot/groupMessages/send`: msgKey, msgParam, openConversationId, robotCode) has no such key, so a robot message retried after a lost answer shows twice, and is counted so here. (WeCom, not in this scenario's groups: its app message API only offers `enable_duplicate_check`, which drops any request with the same JSON within an interval, 30 min by default, so it would also swallow a second identical reply a person asked for; opsbot leaves it off. Its template cards carry a unique task_id and its robot response_url is single use, both refusing a second send.)",
    "",
    "| | | |",
    "|---|---|---|",
    `| jobs run during the outage | ${r.jobs.join("; ")} | |`,
    `| pushes in the outbox (digests, alerts) | ${whole(r.pushes)} | |`,
    `| calls refused by the outage / acted on by the platform with the answer lost | ${whole(r.refusedCalls)} / ${whole(r.answersLost)} | |`,
    `| outbox rows sent / failed / still waiting (the server's own books) | ${whole(r.sent)} / ${whole(r.failed)} / ${whole(r.waiting)} | ${verdict(r.sent === r.pushes && r.failed + r.waiting === 0)} |`,
    `| **seen by the groups** at the fakes: distinct pushes (Lark / DingTalk) | ${whole(delivered)} (${whole(r.delivered.lark)} / ${whole(r.delivered.dingtalk)}) of ${whole(r.pushes)} | ${verdict(delivered === r.pushes)} |`,
    `| **duplicated**: pushes a group saw more than once, Lark / DingTalk${r.twiceThrough.length ? ` (sent through ${r.twiceThrough.map((path) => `\`${path}\``).join(", ")})` : ""} | ${whole(r.deliveredTwice.lark)} / ${whole(r.deliveredTwice.dingtalk)} | ${verdict(r.deliveredTwice.lark + r.deliveredTwice.dingtalk === 0)} |`,
    `| recovery to everything sent | ${seconds(r.recoveryMs)} | |`,
    ...rateRows(r.rates),
    ...r.ratesDuringOutage.map(
      (rate) =>
        `| during the outage (job process and server each pacing their own sends), ${rate.name} | ${rate.worst} (limit ${rate.limit}) | ${rate.worst <= rate.limit ? "" : "over"} |`,
    ),
    "",
  ];
}

function twoInstancesSection(r: TwoInstancesResult, settings: Record<string, string>): string[] {
  return [
    `### 4. Two instances on one Postgres, requests in turn, both scheduling (${settings.twoInstances})`,
    "",
    "| | | |",
    "|---|---|---|",
    `| requests sent / errors | ${whole(r.sent)} / ${whole(r.errors)} | ${verdict(r.errors === 0)} |`,
    ...platformEffectsRows(r.atPlatform),
    ...effectsRows(r.effects),
    ...r.ticks.map(
      (t) =>
        `| ${t.job}: ticks run / run twice / minutes missing | ${t.ticks} / ${t.twice} / ${t.missing} | ${verdict(t.twice === 0 && t.missing === 0)} |`,
    ),
    `| scheduled runs claimed by each instance | ${r.claimedBy.join(" / ")} | |`,
    `| digests in the outbox (one per group and working day) | ${r.digests} | |`,
    `| messages the platforms accepted / outbox rows sent | ${whole(r.delivered)} / ${whole(r.outboxSent)} | ${verdict(r.delivered === r.outboxSent)} |`,
    `| messages the platforms accepted twice (same bytes, same place) | ${r.deliveredTwice} | ${verdict(r.deliveredTwice === 0)} |`,
    ...rateRows(r.rates).map((row) => row.replace("| ", "| both servers together, at the platform: ")),
    `| error lines / lines naming a deadlock | ${r.errorLines} / ${r.deadlockLines} | ${verdict(r.deadlockLines === 0)} |`,
    "",
  ];
}

function longConnectionSection(r: LongConnectionResult, settings: Record<string, string>): string[] {
  return [
    `### 6. Long connections: dropped and restored under load (${settings.longConnection})`,
    "",
    "The real SDK client (`WSClient`) in each server against a fake Lark gateway that speaks its protobuf frames, gives each event to one connection at random and sends again whatever was not acknowledged. After the load the servers send every reply (paced at Lark's 50/s per app); then each message's replies and the clicks' redrawn cards are counted at the fake Lark. The inbox and outbox rows are shown for reference only.",
    "",
    "| | | |",
    "|---|---|---|",
    `| events pushed (messages / card clicks) | ${whole(r.pushed)} (${whole(r.messages)} / ${whole(r.clicks)}) | |`,
    `| acknowledged at the fake gateway | ${whole(r.acked)} (${r.ackRate.toFixed(0)}/s) | ${verdict(r.acked === r.pushed)} |`,
    `| connections cut / opened (both servers) / frames sent again | ${whole(r.drops)} / ${whole(r.connections)} / ${whole(r.redelivered)} | |`,
    `| **lost / duplicated** (the two rows below: owed and not seen / seen more than once) | ${whole(r.repliesMissing + r.cardsMissing)} / ${whole(r.repliesTwice + r.cardsTwice)} | ${verdict(r.repliesMissing + r.cardsMissing + r.repliesTwice + r.cardsTwice === 0)} |`,
    `| **replies at the fake Lark**: messages with none / with more than one, after every reply was sent | ${whole(r.repliesMissing)} / ${whole(r.repliesTwice)} of ${whole(r.messages)} | ${verdict(r.repliesMissing + r.repliesTwice === 0)} |`,
    `| **redrawn cards** (in the click's ack, or a card update at the fake): short of / beyond one per click (all clicks are on one card, so counted together) | ${whole(r.cardsMissing)} / ${whole(r.cardsTwice)} of ${whole(r.clicks)} | ${verdict(r.cardsMissing + r.cardsTwice === 0)} |`,
    `| of the clicks, answered with the redrawn card in the ack (the rest: by an update call once done) | ${whole(r.clicksAnsweredWithCard)} | |`,
    `| the server's own books: events with no inbox row / stored twice / not done; reply rows in the outbox | ${whole(r.inboxLost)} / ${whole(r.inboxDuplicated)} / ${whole(r.open)}; ${whole(r.replyRows)} | |`,
    `| error lines | ${r.errorLines} | |`,
    "",
  ];
}

export function renderReliabilitySection(run: ReliabilityRun): string {
  const { machine } = run;
  return [
    "## Reliability",
    "",
    "Written by `npm run reliability` (bench/reliability/run.ts): the real server (`console/start.ts`) in child processes,",
    "the fake Lark, DingTalk and WeCom APIs behind loopback proxies that record every call and play outages, signed",
    "traffic over all five webhook routes (Lark messages and card clicks, DingTalk robot messages and card callbacks,",
    "WeCom app and robot messages; every fifth request a byte-for-byte redelivery). Each message is `/order new`,",
    "`/complaint new` or `/help`, so its effect is a row: an audit row per order or complaint, a reply in the outbox,",
    "the inbox row done.",
    "",
    `- ${machine.date}, commit ${machine.commit}, ${machine.cpus}, Node ${machine.node}, Postgres ${machine.postgres}, load average at start ${machine.loadAverage.map((n) => n.toFixed(2)).join(", ")}`,
    `- Settings: ${Object.entries(run.settings)
      .map(([key, value]) => `${key} ${value}`)
      .join("; ")}`,
    "",
    ...(run.failures.length
      ? ["**Scenarios that did not finish:**", "", ...run.failures.map((f) => `- ${f}`), ""]
      : []),
    ...(run.sustained ? sustainedSection(run.sustained, run.settings) : []),
    ...crashSection(run.crash, run.settings),
    ...(run.outage ? outageSection(run.outage, run.settings) : []),
    ...(run.twoInstances ? twoInstancesSection(run.twoInstances, run.settings) : []),
    ...(run.fuzz ? ["### 5. Hostile input", "", "```", run.fuzz, "```", ""] : []),
    ...(run.longConnection ? longConnectionSection(run.longConnection, run.settings) : []),
    "### 7. Secrets in the logs",
    "",
    `Every line printed by every server and job process of the run (${whole(run.secrets.lines)} lines) was searched for every configured secret, token and key (and the access tokens and admin token issued during the run), as is and JSON-escaped, base64, base64url and URL-encoded: **${run.secrets.hits} lines held one** ${verdict(run.secrets.hits === 0)}.`,
    ...run.secrets.examples.map((example) => `- ${example}`),
    "",
  ].join("\n");
}

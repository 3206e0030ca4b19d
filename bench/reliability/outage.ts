// Scenario 3: the platforms accept sends whose answers are lost, then answer 429 and 500, during a digest and an alert burst; counted at the fakes: each push seen once, within the limits.
import { randomBytes } from "node:crypto";
import { inArray, like, or } from "drizzle-orm";
import { outbox } from "../../src/db/schema/index.ts";
import { HOUR_MS, localDateOf, MINUTE_MS } from "../../src/domain/calendar/local-time.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { FIRST_RESPONSE_HOURS } from "../../src/domain/policy.ts";
import type { FakePlatform } from "../../test/fakes/fake-platform.ts";
import { createLoadClient } from "../load.ts";
import type { ChildServer } from "../processes.ts";
import { dueDateAhead } from "./crash.ts";
import type { ProxiedCall } from "./outage-proxy.ts";
import { ADMINS, createRunSecretScan, startPlatforms } from "./platforms.ts";
import {
  checkRates,
  dingtalkDestination,
  larkDestination,
  PUBLISHED_LIMITS,
  type RateCheck,
} from "./rate-check.ts";
import type { SecretScan } from "./secret-scan.ts";
import { finishAndStop, runJobAt, startServer, waitDrained } from "./servers.ts";
import { createStore, type StoreKind } from "./store.ts";
import { dingtalkMessage, larkMessage } from "./traffic.ts";

export interface OutageOptions {
  /** Shared by the scenarios of one run; a fresh one by default. */
  scan?: SecretScan;
  store: StoreKind;
  adminUrl?: string;
  /**
   * How long the platforms misbehave after the jobs ran: the jobs and the first half accepting every call but
   * losing its answer, the second half refusing every call.
   */
  outageMs: number;
  /** Complaints opened before the outage; each breaches its clock and makes an alert. */
  complaints: number;
  recoveryTimeoutMs: number;
}

export interface OutageResult {
  store: StoreKind;
  /** Digest and alert messages the jobs put in the outbox, and how many ended sent / failed / still waiting. */
  pushes: number;
  sent: number;
  failed: number;
  waiting: number;
  /** Calls refused by the outage (the bot's attempts during it). */
  refusedCalls: number;
  /** Calls the platforms acted on whose answer was lost, and of those the sends each platform showed again. */
  answersLost: number;
  /**
   * Distinct pushes (same place, same content) the fake platforms delivered to their users, and how many of
   * those more than once, per platform: what people in the groups saw.
   */
  delivered: Record<"lark" | "dingtalk", number>;
  deliveredTwice: Record<"lark" | "dingtalk", number>;
  /** The API paths those were sent through. */
  twiceThrough: string[];
  /** Send rates after the recovery, when the server alone sends what the outage held back. */
  rates: RateCheck[];
  /**
   * The same during the outage, refused attempts included. Not held to the limits: there a job run by
   * `npm run job` tries its sends from its own process, next to the server's retries, and each process paces
   * only its own sends.
   */
  ratesDuringOutage: RateCheck[];
  recoveryMs: number;
  jobs: string[];
  logLines: number;
  secretsInLogs: number;
}

/**
 * The digest is subscribed for 23:59 so that the live scheduler does not send today's before the outage; it is
 * run by hand for a working day (a Thursday) at 23:59:30.
 */
const DIGEST_TIME = "23:59";
const DIGEST_AT = new Date("2026-11-26T23:59:30+08:00");

/**
 * The first moment inside working hours (China's calendar, holidays and make-up days included) a minute after
 * the complaints' 24-hour response clocks ran out: the server opened them on its own clock, now, and a
 * non-safety alert goes out only inside working hours.
 */
function alertSweepAt(): Date {
  const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai" });
  return calendar.addWorkingHours(new Date(Date.now() + FIRST_RESPONSE_HOURS * HOUR_MS + MINUTE_MS), 0).due;
}
const GROUPS = { lark: "oc_ops_group", dingtalk: "cidopsgroup==" };

const rateChecks = (lark: ProxiedCall[], dingtalk: ProxiedCall[]) => [
  ...checkRates("Lark", lark, larkDestination, PUBLISHED_LIMITS.lark),
  ...checkRates("DingTalk", dingtalk, dingtalkDestination, PUBLISHED_LIMITS.dingtalk),
];

/** The fake's deliveries from `from` on: distinct (place, content) pairs, and how many were delivered more than once. */
function countDeliveries(fake: FakePlatform, from: number): { once: number; twice: number; where: string[] } {
  const seen = new Map<string, number>();
  for (const { path, body } of fake.delivered.slice(from)) {
    const key = `${path.replace(/[?&]access_token=[^&]*/, "")} ${JSON.stringify(body)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const twice = [...seen].filter(([, n]) => n > 1);
  const where = [...new Set(twice.map(([key]) => key.split(/[ ?]/)[0] as string))];
  return { once: seen.size, twice: twice.length, where };
}

/** No call reached a platform for this long: the set-up's replies are all out. */
const QUIET_MS = 1_000;

/**
 * A reply is stored before it is sent, and the send waits for its chat's pacing (a second reply to the same
 * chat within 206 ms, say) holding a lease: not open work to waitDrained, yet not sent either. Waits until the
 * platforms have seen nothing for QUIET_MS, so that no set-up reply is counted among the pushes.
 */
async function waitQuiet(
  proxies: Record<string, { calls: ProxiedCall[] }>,
  timeoutMs: number,
): Promise<void> {
  const calls = () => Object.values(proxies).reduce((sum, proxy) => sum + proxy.calls.length, 0);
  const started = performance.now();
  for (let seen = calls(); performance.now() - started < timeoutMs; ) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    if (calls() === seen) return;
    seen = calls();
  }
  throw new Error(`the platforms were still called after ${Math.round(timeoutMs / 1000)} s`);
}

export async function runOutage(options: OutageOptions): Promise<OutageResult> {
  const platforms = await startPlatforms();
  const store = await createStore(options.store, options.adminUrl);
  const scan = options.scan ?? createRunSecretScan();
  const runId = randomBytes(3).toString("hex");
  let server: ChildServer | undefined;
  try {
    server = await startServer(store, platforms.env, scan);
    const client = createLoadClient(server.url, "/");
    try {
      const say = async (signed: ReturnType<typeof larkMessage>) => {
        const answer = await client.post(signed);
        if (answer.status !== 200) throw new Error(`set-up message refused: ${answer.status} ${answer.body}`);
      };
      let n = 0;
      // The server's own schedule runs on the wall clock: in November and December it would remind the alert
      // groups, at any moment of the run, that next year's holidays are not confirmed. Next year entered first,
      // the pushes counted are the scenario's alone.
      const nextYear = Number(localDateOf(new Date(), "Asia/Shanghai").slice(0, 4)) + 1;
      await say(
        larkMessage(
          `/calendar set ${nextYear}-01-01 holiday 元旦`,
          `${runId}x${n++}`,
          GROUPS.lark,
          ADMINS.lark,
        ),
      );
      for (const text of [`/subscribe digest ${DIGEST_TIME}`, "/subscribe alerts"]) {
        await say(larkMessage(text, `${runId}x${n++}`, GROUPS.lark, ADMINS.lark));
        await say(dingtalkMessage(platforms, text, `${runId}x${n++}`, GROUPS.dingtalk, ADMINS.dingtalk));
      }
      for (let i = 0; i < options.complaints; i++)
        await say(
          larkMessage(`/complaint new ACME-${i} wet boxes`, `${runId}x${n++}`, `oc_rel_${i}`, `ou_rel_${i}`),
        );
      await say(
        larkMessage(`/order new ACME X1 10 ${dueDateAhead()}`, `${runId}x${n++}`, GROUPS.lark, "ou_rel_0"),
      );
      await waitDrained(store, server, options.recoveryTimeoutMs);
      await waitQuiet(platforms.proxies, options.recoveryTimeoutMs);
    } finally {
      client.close();
    }
    const callsBefore = {
      lark: platforms.proxies.lark.calls.length,
      dingtalk: platforms.proxies.dingtalk.calls.length,
    };
    const deliveredBefore = {
      lark: platforms.fakes.lark.delivered.length,
      dingtalk: platforms.fakes.dingtalk.delivered.length,
    };

    platforms.loseAnswers();
    const jobs = [
      await runJobAt(store, server, platforms.env, "kpi-digest", DIGEST_AT, scan),
      await runJobAt(store, server, platforms.env, "overdue-sweep", alertSweepAt(), scan),
    ];
    // Timed from the jobs' end: a job process may take seconds to start, and its first sends must land here.
    const jobsDone = performance.now();
    const until = async (ms: number) => {
      const rest = jobsDone + ms - performance.now();
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    };
    await until(options.outageMs / 2);
    platforms.down([429, 500]);
    await until(options.outageMs);
    const callsAtRecovery = {
      lark: platforms.proxies.lark.calls.length,
      dingtalk: platforms.proxies.dingtalk.calls.length,
    };
    platforms.up();
    const recoveryMs = await finishAndStop(
      store,
      server,
      () => startServer(store, platforms.env, scan),
      options.recoveryTimeoutMs,
    );

    const database = await store.open();
    try {
      const rows = await database.db
        .select({ status: outbox.status })
        .from(outbox)
        .where(or(like(outbox.idempotencyKey, "digest:%"), like(outbox.idempotencyKey, "alert:%")));
      const failed = await database.db.$count(outbox, inArray(outbox.status, ["failed"]));
      const lark = platforms.proxies.lark.calls.slice(callsBefore.lark);
      const dingtalk = platforms.proxies.dingtalk.calls.slice(callsBefore.dingtalk);
      const atLark = countDeliveries(platforms.fakes.lark, deliveredBefore.lark);
      const atDingTalk = countDeliveries(platforms.fakes.dingtalk, deliveredBefore.dingtalk);
      return {
        store: options.store,
        pushes: rows.length,
        sent: rows.filter((row) => row.status === "sent").length,
        failed,
        waiting: rows.filter((row) => row.status === "pending" || row.status === "sending").length,
        refusedCalls: [...lark, ...dingtalk].filter((call) => call.outage).length,
        answersLost: [...lark, ...dingtalk].filter((call) => call.answerLost).length,
        delivered: { lark: atLark.once, dingtalk: atDingTalk.once },
        deliveredTwice: { lark: atLark.twice, dingtalk: atDingTalk.twice },
        twiceThrough: [...atLark.where, ...atDingTalk.where],
        rates: rateChecks(
          platforms.proxies.lark.calls.slice(callsAtRecovery.lark),
          platforms.proxies.dingtalk.calls.slice(callsAtRecovery.dingtalk),
        ),
        ratesDuringOutage: rateChecks(
          platforms.proxies.lark.calls.slice(callsBefore.lark, callsAtRecovery.lark),
          platforms.proxies.dingtalk.calls.slice(callsBefore.dingtalk, callsAtRecovery.dingtalk),
        ),
        recoveryMs,
        jobs,
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

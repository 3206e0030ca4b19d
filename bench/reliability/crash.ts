// Scenario 2: SIGKILL the server in the middle of mixed load, restart it, send again what got no ack; every event has its effect at the platform, once.
import { randomBytes } from "node:crypto";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { createLoadClient } from "../load.ts";
import { type AckedLoad, recordAnswer, runAckedLoad, type Unacked } from "./acked-load.ts";
import { type EffectsReport, readEffects } from "./effects.ts";
import { duplicatedOf, lostOf, type PlatformEffects, readPlatformEffects } from "./platform-effects.ts";
import { createRunSecretScan, startPlatforms } from "./platforms.ts";
import type { SecretScan } from "./secret-scan.ts";
import { startServer, waitDrained } from "./servers.ts";
import { createStore, expireLeases, type StoreKind } from "./store.ts";
import { createTraffic } from "./traffic.ts";

export interface CrashOptions {
  /** Shared by the scenarios of one run; a fresh one by default. */
  scan?: SecretScan;
  store: StoreKind;
  /** Postgres admin connection string (for a fresh database), when `store` is postgres. */
  adminUrl?: string;
  rate: number;
  loadMs: number;
  recoveryTimeoutMs: number;
}

export interface CrashResult {
  store: StoreKind;
  sent: number;
  /** Requests that got no ack: cut by the kill (in flight: reset, no answer) or refused while the server was down. */
  errors: number;
  /** Why requests failed, with counts. */
  errorKinds: Record<string, number>;
  /** Of the errors, requests in flight when the kill came (anything but a refused connection). */
  cutByKill: number;
  /** Requests sent again byte-for-byte to the restarted server (every one without an ack), and how many it acked. */
  redelivered: number;
  redeliveredAcked: number;
  /** The server's own bookkeeping (inbox, outbox, audit rows), shown beside the platform's count. */
  effects: EffectsReport;
  /** Replies and redrawn cards counted at the fake platforms, orders and complaints in the domain tables. */
  atPlatform: PlatformEffects;
  /** Owed and not seen / seen more than once, over everything in atPlatform. */
  lost: number;
  duplicated: number;
  /** From the restart's start-up line to nothing left to do. */
  recoveryMs: number;
  /** Log lines scanned and lines with a secret. */
  logLines: number;
  secretsInLogs: number;
}

/** Platforms retry an unacknowledged delivery a few times; so does this. */
const REDELIVERY_TRIES = 3;
const REDELIVERY_CONCURRENCY = 16;

/**
 * Sends every unacked request again, as it was, to the restarted server, as the platforms retry a delivery
 * whose ack never came; counts its answers into `load` like the first ones. Returns how many were acked.
 */
async function redeliver(url: string, unacked: Unacked[], load: AckedLoad): Promise<number> {
  const client = createLoadClient(url, "/", REDELIVERY_CONCURRENCY);
  const queue = [...unacked];
  let ackedCount = 0;
  const retry = { ...load, unacked: [] as Unacked[] };
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (let attempt = 1; attempt <= REDELIVERY_TRIES; attempt++) {
        const outcome = await client
          .post(next.event)
          .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
        if (recordAnswer(retry, next.event, outcome)) {
          ackedCount++;
          break;
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: REDELIVERY_CONCURRENCY }, worker));
  } finally {
    client.close();
  }
  return ackedCount;
}

/** A refused connection never reached the server; anything else was in flight when it died. */
const wasCut = ({ reason }: Unacked) => !reason.includes("ECONNREFUSED");

/** Thirty days ahead in the business timezone: the orders' due date is never in the past. */
export function dueDateAhead(): string {
  return localDateOf(new Date(Date.now() + 30 * 86_400_000), "Asia/Shanghai");
}

export async function runCrash(options: CrashOptions): Promise<CrashResult> {
  const platforms = await startPlatforms();
  const store = await createStore(options.store, options.adminUrl);
  const scan = options.scan ?? createRunSecretScan();
  try {
    const first = await startServer(store, platforms.env, scan);
    const traffic = createTraffic({
      runId: randomBytes(3).toString("hex"),
      platforms,
      duplicateShare: 0.2,
      dueDate: dueDateAhead(),
    });
    const halfway = setTimeout(() => process.kill(first.pid, "SIGKILL"), options.loadMs / 2);
    const load = await runAckedLoad({
      urls: [first.url],
      traffic,
      rate: options.rate,
      durationMs: options.loadMs,
    }).finally(() => clearTimeout(halfway));
    await first.exited;

    // The embedded database's restarted owner takes back what the dead process held itself. Instances on
    // Postgres cannot know the holder is dead and wait its leases out; skip that wait here.
    if (store.kind === "postgres") {
      const database = await store.open();
      try {
        await expireLeases(database);
      } finally {
        await database.close();
      }
    }
    const dingtalkDeliveredBeforeRestart = platforms.fakes.dingtalk.delivered.length;
    const restarted = await startServer(store, platforms.env, scan);
    const unacked = [...load.unacked];
    let recoveryMs: number;
    let redeliveredAcked: number;
    try {
      const started = performance.now();
      redeliveredAcked = await redeliver(restarted.url, unacked, load);
      await waitDrained(store, restarted, options.recoveryTimeoutMs);
      recoveryMs = performance.now() - started;
    } finally {
      await restarted.stop();
    }
    const reading = await store.open();
    try {
      const answered = platforms.fakes.wecom.delivered
        .map((entry) => new URL(entry.path, "http://fake").searchParams.get("response_code"))
        .filter((code): code is string => code !== null);
      const effects = await readEffects(reading.db, load.acked.values(), new Set(answered));
      const atPlatform = await readPlatformEffects(reading.db, platforms.fakes, {
        acked: traffic.distinct(),
        cardsInAck: load.cardsInAck,
        dingtalkDeliveredBeforeRestart,
      });
      return {
        store: options.store,
        sent: load.result.sent,
        errors: load.result.errors,
        errorKinds: load.result.errorKinds,
        cutByKill: unacked.filter(wasCut).length,
        redelivered: unacked.length,
        redeliveredAcked,
        effects,
        atPlatform,
        lost: lostOf(atPlatform),
        duplicated: duplicatedOf(atPlatform),
        recoveryMs,
        logLines: scan.lines,
        secretsInLogs: scan.hits,
      };
    } finally {
      await reading.close();
    }
  } finally {
    await store.close();
    await platforms.close();
  }
}

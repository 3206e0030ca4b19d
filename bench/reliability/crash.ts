// Scenario 2: SIGKILL the server in the middle of mixed load, restart it; every acked event has its effect, once.
import { randomBytes } from "node:crypto";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { runAckedLoad } from "./acked-load.ts";
import { type EffectsReport, readEffects } from "./effects.ts";
import { type PlatformEffects, readPlatformEffects } from "./platform-effects.ts";
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
  /** Kill once this many distinct events were acked, or half-way through the load, whichever comes first. */
  killAfterAcked: number;
  recoveryTimeoutMs: number;
}

export interface CrashResult {
  store: StoreKind;
  sent: number;
  /** Requests that failed (refused while the server was down, or cut by the kill). */
  errors: number;
  /** Why requests failed, with counts. */
  errorKinds: Record<string, number>;
  effects: EffectsReport;
  /** The same events counted at the platforms (replies accepted) and in the domain tables (rows made). */
  atPlatform: PlatformEffects;
  /** From the restart's start-up line to nothing left to do. */
  recoveryMs: number;
  /** Log lines scanned and lines with a secret. */
  logLines: number;
  secretsInLogs: number;
}

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
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      process.kill(first.pid, "SIGKILL");
    };
    // A slow machine may ack fewer: the kill still lands in the middle of the load.
    const halfway = setTimeout(kill, options.loadMs / 2);
    const load = await runAckedLoad({
      urls: [first.url],
      traffic,
      rate: options.rate,
      durationMs: options.loadMs,
      onAck: (acked) => {
        if (acked >= options.killAfterAcked) kill();
      },
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
    const restarted = await startServer(store, platforms.env, scan);
    let recoveryMs: number;
    try {
      recoveryMs = await waitDrained(store, restarted, options.recoveryTimeoutMs);
    } finally {
      await restarted.stop();
    }
    const reading = await store.open();
    try {
      const answered = platforms.fakes.wecom.delivered
        .map((entry) => new URL(entry.path, "http://fake").searchParams.get("response_code"))
        .filter((code): code is string => code !== null);
      const effects = await readEffects(reading.db, load.acked.values(), new Set(answered));
      return {
        store: options.store,
        sent: load.result.sent,
        errors: load.result.errors,
        errorKinds: load.result.errorKinds,
        effects,
        atPlatform: await readPlatformEffects(reading.db, platforms.fakes, load.acked.values()),
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

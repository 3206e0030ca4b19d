// The digest fan-out benchmark: one morning's digest to 1,000 Lark groups through the rate-limited fake Lark.
import { sql } from "drizzle-orm";
import type { Config } from "../src/config/parse-env.ts";
import type { Database } from "../src/db/database.ts";
import type { JobContext } from "../src/jobs/job.ts";
import { kpiDigestJob } from "../src/jobs/kpi-digest.ts";
import { silentLogger } from "../src/log.ts";
import { startOutboxLoop } from "../src/outbox/drain-loop.ts";
import { createOutbox } from "../src/outbox/outbox.ts";
import { createLarkAdapter } from "../src/platforms/lark/adapter.ts";
import { startFakeLark } from "../test/fakes/lark.ts";
import { LARK_RATE_LIMITS } from "../test/fakes/rate-limits.ts";

const GROUPS = 1000;
const LARK = { appId: "cli_fanout", appSecret: "fan-out-secret", verificationToken: "fan-out-token" };
/** Give up waiting for the deliveries after this long (the minimum is about 20 s). */
const TIMEOUT_MS = 120_000;

export interface FanOutResult {
  platform: string;
  groups: number;
  delivered: number;
  measuredMs: number;
  /** The least time the adapter's limits allow for these sends (bursts allowed in each window). */
  minimumMs: number;
  limits: string;
  rateLimited: number;
  otherErrors: number;
}

/**
 * Least time for `sends` single messages to distinct chats under `count` per `perMs` for the app: whole
 * windows of `count` sends, the last window starting when the first send of it may.
 */
const minimumMs = (sends: number, { count, perMs }: { count: number; perMs: number }) =>
  (Math.ceil(sends / count) - 1) * perMs;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Subscribes 1,000 Lark groups to the digest (replacing the other digest subscriptions), runs the kpi-digest
 * job at `now` with the production outbox and its drain loop, and times until the fake accepted every digest.
 */
export async function measureLarkFanOut(
  database: Database,
  now: Date,
  timezone: string,
): Promise<FanOutResult> {
  const fake = await startFakeLark({
    appId: LARK.appId,
    appSecret: LARK.appSecret,
    rateLimits: LARK_RATE_LIMITS,
  });
  const adapter = createLarkAdapter({ config: { ...LARK, apiBase: fake.url }, now: () => new Date() });
  const outbox = createOutbox({
    database,
    adapters: { lark: adapter },
    now: () => new Date(),
    log: silentLogger,
  });
  try {
    const { db } = database;
    await db.execute(sql`delete from subscriptions where topic = 'digest'`);
    await db.execute(sql`insert into chats (platform, chat_id, kind, title, created_at, updated_at)
      select 'lark', 'oc_fan_' || g, 'group', 'Fan-out ' || g, now(), now() from generate_series(1, ${GROUPS}) g`);
    await db.execute(sql`insert into subscriptions (platform, chat_id, topic, send_at, created_by, created_at)
      select 'lark', 'oc_fan_' || g, 'digest', '09:00', 1, now() from generate_series(1, ${GROUPS}) g`);
    const startedAt = Date.now();
    const loop = startOutboxLoop({ outbox, log: silentLogger, idleMs: 20 });
    try {
      const context = { database, config: { timezone } as Config, now, outbox, log: silentLogger };
      await kpiDigestJob.run(context as JobContext);
      while (fake.delivered.length < GROUPS && Date.now() - startedAt < TIMEOUT_MS) await sleep(20);
    } finally {
      await loop.stop();
    }
    const sends = fake.requests.filter((r) => r.path.startsWith("/open-apis/im/v1/messages"));
    return {
      platform: "Lark",
      groups: GROUPS,
      delivered: fake.delivered.length,
      // From the job's start (the digest's queries included) to the last accepted send.
      measuredMs: Math.max(...sends.filter((r) => r.status === 200).map((r) => r.at)) - startedAt,
      minimumMs: minimumMs(GROUPS, adapter.limits.app),
      limits: `${adapter.limits.app.count} per ${adapter.limits.app.perMs} ms per app, ${adapter.limits.target.count} per ${adapter.limits.target.perMs} ms per chat`,
      rateLimited: sends.filter((r) => r.status === 429).length,
      otherErrors: sends.filter((r) => r.status !== 200 && r.status !== 429).length,
    };
  } finally {
    await fake.close();
  }
}

// The digest fan-out benchmark: one morning's digest to 1,000 groups of one platform through its rate-limited fake.
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { PlatformId } from "../src/chat/events.ts";
import type { Config } from "../src/config/parse-env.ts";
import type { Database } from "../src/db/database.ts";
import { chats, subscriptions } from "../src/db/schema/index.ts";
import type { JobContext } from "../src/jobs/job.ts";
import { kpiDigestJob } from "../src/jobs/kpi-digest.ts";
import { silentLogger } from "../src/log.ts";
import { startOutboxLoop } from "../src/outbox/drain-loop.ts";
import { createOutbox } from "../src/outbox/outbox.ts";
import { createDingTalkAdapter } from "../src/platforms/dingtalk/adapter.ts";
import { createLarkAdapter } from "../src/platforms/lark/adapter.ts";
import type { PlatformAdapter } from "../src/platforms/types.ts";
import { createWeComAdapter } from "../src/platforms/wecom/adapter.ts";
import type { Arrival, FakeSpec, FromFake, ToFake } from "./fan-out-fake.ts";

/** Groups subscribed per platform; BENCH_FANOUT_GROUPS=200 makes a quick check. */
const FAN_OUT_GROUPS = Number(process.env.BENCH_FANOUT_GROUPS ?? 1000);
if (!Number.isInteger(FAN_OUT_GROUPS) || FAN_OUT_GROUPS < 1)
  throw new Error(
    `BENCH_FANOUT_GROUPS must be a positive whole number, not ${process.env.BENCH_FANOUT_GROUPS}`,
  );
/** Give up waiting for the deliveries after this long, or after 3 × the minimum when that is longer. */
const TIMEOUT_MS = 120_000;

export interface FanOutResult {
  platform: string;
  groups: number;
  delivered: number;
  measuredMs: number;
  /**
   * The least time the adapter's limits allow for these sends (bursts allowed in each window); 0 when the
   * app limit does not bind at this many sends.
   */
  minimumMs: number;
  limits: string;
  rateLimited: number;
  otherErrors: number;
}

/** One platform's side of the bench: its fake, its adapter at the fake, and how its groups are stored. */
export interface FanOutPlatform {
  name: string;
  id: PlatformId;
  fake(groups: number): FakeSpec;
  adapter(apiBase: string): PlatformAdapter;
  /** Group `g` (1-based) as the chats table holds it. */
  chat(g: number, apiBase: string): { chatId: string; webhookUrl?: string };
}

const LARK = { appId: "cli_fanout", appSecret: "fan-out-secret", verificationToken: "fan-out-token" };
const DINGTALK = { clientId: "ding_fanout", clientSecret: "fan-out-secret", robotCode: "ding_fanout" };
const WECOM = {
  corpId: "ww_fanout",
  agentId: "1000002",
  secret: "fan-out-secret",
  token: "fanOutToken",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
};

/** Each WeCom group's robot has its own key: a group is reached only through its robot's webhook. */
const wecomWebhookKey = (g: number) => `fan-out-robot-${String(g).padStart(6, "0")}`;

export const FAN_OUT_PLATFORMS: readonly FanOutPlatform[] = [
  {
    name: "Lark",
    id: "lark",
    fake: () => ({ platform: "lark", appId: LARK.appId, appSecret: LARK.appSecret }),
    adapter: (apiBase) => createLarkAdapter({ config: { ...LARK, apiBase }, now: () => new Date() }),
    chat: (g) => ({ chatId: `oc_fan_${g}` }),
  },
  {
    // Without a card template the digest goes out as robot Markdown through groupMessages/send.
    name: "DingTalk",
    id: "dingtalk",
    fake: () => ({ platform: "dingtalk", ...DINGTALK }),
    adapter: (apiBase) =>
      createDingTalkAdapter({
        config: { ...DINGTALK, apiBase, oapiBase: apiBase },
        now: () => new Date(),
      }),
    // The group's openConversationId, as a robot message in the group carried it.
    chat: (g) => ({ chatId: `cidFanOut${g}` }),
  },
  {
    name: "WeCom",
    id: "wecom",
    fake: (groups) => ({
      platform: "wecom",
      corpId: WECOM.corpId,
      secret: WECOM.secret,
      agentId: WECOM.agentId,
      webhookKeys: Array.from({ length: groups }, (_, i) => wecomWebhookKey(i + 1)),
    }),
    adapter: (apiBase) => createWeComAdapter({ app: { ...WECOM, apiBase }, now: () => new Date() }),
    // The webhook as /subscribe stores it (parseWeComWebhook): canonical, on WECOM_API_BASE.
    chat: (g, apiBase) => ({
      chatId: `wrFanOut${g}`,
      webhookUrl: `${apiBase}/cgi-bin/webhook/send?key=${wecomWebhookKey(g)}`,
    }),
  },
];

/**
 * Least time for `sends` single messages to distinct chats under `count` per `perMs` for the app: whole
 * windows of `count` sends, the last window starting when the first send of it may.
 */
const minimumMs = (sends: number, { count, perMs }: { count: number; perMs: number }) =>
  (Math.ceil(sends / count) - 1) * perMs;

/** The fake in its own process (bench/fan-out-fake.ts under the tsx loader), spoken to over IPC. */
interface FakeProcess {
  url: string;
  /** Resolves once the fake accepted `expected` messages. */
  allDelivered: Promise<void>;
  requests(): Promise<Arrival[]>;
  close(): Promise<void>;
}

function nextMessage<K extends FromFake["kind"]>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromFake, { kind: K }>> {
  return new Promise((resolve, reject) => {
    if (!child.connected) {
      reject(
        new Error(`the fan-out fake is gone (exit ${child.exitCode ?? child.signalCode}); no "${kind}"`),
      );
      return;
    }
    const onMessage = (message: FromFake) => {
      if (message.kind !== kind) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as Extract<FromFake, { kind: K }>);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new Error(`the fan-out fake exited (${code}) before it sent "${kind}"`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function startFakeProcess(spec: FakeSpec, expected: number): Promise<FakeProcess> {
  const child = fork(join(import.meta.dirname, "fan-out-fake.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const tell = (message: ToFake) => child.send(message);
  const started = nextMessage(child, "started");
  const allDelivered = nextMessage(child, "delivered").then(() => {});
  // Seen only if the fake dies first; the timeout then ends the wait.
  allDelivered.catch(() => {});
  tell({ kind: "start", spec, expected });
  const { url } = await started;
  return {
    url,
    allDelivered,
    async requests() {
      const answer = nextMessage(child, "requests");
      tell({ kind: "requests" });
      return (await answer).requests;
    },
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/**
 * Subscribes `groups` groups of the platform to the digest (replacing the other digest subscriptions), runs
 * the kpi-digest job at `now` with the production outbox and its drain loop, and times until the fake
 * accepted every digest.
 */
export async function measureFanOut(
  platform: FanOutPlatform,
  database: Database,
  now: Date,
  timezone: string,
  groups = FAN_OUT_GROUPS,
): Promise<FanOutResult> {
  const fake = await startFakeProcess(platform.fake(groups), groups);
  try {
    const adapter = platform.adapter(fake.url);
    const outbox = createOutbox({
      database,
      adapters: { [platform.id]: adapter },
      now: () => new Date(),
      log: silentLogger,
    });
    const { db } = database;
    const seeded = new Date();
    const rows = Array.from({ length: groups }, (_, i) => ({ g: i + 1, ...platform.chat(i + 1, fake.url) }));
    await db.execute(sql`delete from subscriptions where topic = 'digest'`);
    await db.insert(chats).values(
      rows.map(({ g, chatId, webhookUrl }) => ({
        platform: platform.id,
        chatId,
        kind: "group",
        title: `Fan-out ${g}`,
        webhookUrl,
        createdAt: seeded,
        updatedAt: seeded,
      })),
    );
    await db.insert(subscriptions).values(
      rows.map(({ chatId }) => ({
        platform: platform.id,
        chatId,
        topic: "digest",
        sendAt: "09:00",
        createdBy: 1,
        createdAt: seeded,
      })),
    );
    const minimum = minimumMs(groups, adapter.limits.app);
    const startedAt = Date.now();
    const loop = startOutboxLoop({ outbox, log: silentLogger, idleMs: 20 });
    try {
      const context = { database, config: { timezone } as Config, now, outbox, log: silentLogger };
      await kpiDigestJob.run(context as JobContext);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(TIMEOUT_MS, 3 * minimum) - (Date.now() - startedAt));
      });
      await Promise.race([fake.allDelivered, timedOut]);
      clearTimeout(timer);
    } finally {
      await loop.stop();
    }
    const sends = (await fake.requests()).filter((request) => !isTokenFetch(request.path));
    const accepted = sends.filter((request) => request.delivered);
    const { app, target } = adapter.limits;
    return {
      platform: platform.name,
      groups,
      delivered: accepted.length,
      // From the job's start (the digest's queries included) to the last accepted send.
      measuredMs: Math.max(...accepted.map((request) => request.at)) - startedAt,
      minimumMs: minimum,
      limits: `${app.count.toLocaleString("en-US")} per ${app.perMs.toLocaleString("en-US")} ms per app, ${target.count} per ${target.perMs.toLocaleString("en-US")} ms per chat`,
      rateLimited: sends.filter((request) => request.rateLimited).length,
      otherErrors: sends.filter((request) => !request.delivered && !request.rateLimited).length,
    };
  } finally {
    await fake.close();
  }
}

/** Token fetches are no sends: Lark's tenant token, DingTalk's accessToken, WeCom's gettoken. */
const isTokenFetch = (path: string) =>
  path.startsWith("/open-apis/auth/") ||
  path.startsWith("/v1.0/oauth2/") ||
  path.startsWith("/cgi-bin/gettoken");

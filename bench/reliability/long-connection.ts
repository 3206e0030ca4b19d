// Scenario 6: two servers on one Postgres holding Lark's long connection (the real SDK) to a fake gateway that
// cuts every connection every few seconds under steady load: every event stored once, none lost, none twice.
import { inArray, like } from "drizzle-orm";
import { inbox, outbox } from "../../src/db/schema/index.ts";
import { type FakeLark, startFakeLark } from "../../test/fakes/lark.ts";
import { type FakeLarkGateway, type LarkAck, startFakeLarkGateway } from "../../test/fakes/lark-gateway.ts";
import { larkCardAction, larkMessageEvent } from "../../test/helpers/lark-signer.ts";
import type { ChildServer } from "../processes.ts";
import type { SecretScan } from "./secret-scan.ts";
import { startServer } from "./servers.ts";
import { createStore, type Store } from "./store.ts";

export interface LongConnectionOptions {
  scan: SecretScan;
  adminUrl: string;
  /** Events pushed per second, over `durationMs`. */
  rate: number;
  durationMs: number;
  /** Every connection is cut this often (a little jitter added). */
  dropEveryMs: number;
  /** One event in this many is a card click (answered in its ack); the rest are messages (answered through the outbox). */
  clickEvery: number;
  /** How long the servers may take to finish every event after the load (replies may still be pacing). */
  drainTimeoutMs: number;
}

export interface LongConnectionResult {
  pushed: number;
  messages: number;
  clicks: number;
  /** Events the gateway saw acknowledged, and how many it had to send again first. */
  acked: number;
  redelivered: number;
  drops: number;
  /** Connections opened over the run (both servers, every reconnect). */
  connections: number;
  /** Events pushed with no inbox row, and inbox rows beyond one per event. */
  lost: number;
  duplicated: number;
  /** Inbox rows not done at the end. */
  open: number;
  /** Clicks whose ack carried the redrawn card; the rest were acked after a redelivery, without it. */
  clicksAnsweredWithCard: number;
  /**
   * Replies Lark accepted by the end, replies to a message accepted twice, and reply rows in the outbox (one
   * per message when none was made twice; those not sent yet wait their turn under Lark's 50/s per app).
   */
  repliesDelivered: number;
  repliesTwice: number;
  replyRows: number;
  /** Acks over the run divided by its length. */
  ackRate: number;
  errorLines: number;
}

const APP = {
  appId: "cli_b1b2c3d4e5f60718",
  appSecret: "lark-reliability-ws-secret",
  token: "lark-reliability-ws-token",
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every stored event is done (processed, its reply stored); replies may still be waiting to go out. */
async function waitProcessed(store: Store, timeoutMs: number): Promise<void> {
  const started = performance.now();
  const database = await store.open();
  try {
    for (;;) {
      const open = await database.db.$count(inbox, inArray(inbox.status, ["pending", "processing"]));
      if (open === 0) return;
      if (performance.now() - started > timeoutMs)
        throw new Error(`${open} events still not processed after ${Math.round(timeoutMs / 1000)} s`);
      await pause(250);
    }
  } finally {
    await database.close();
  }
}

/** The help card's language button, as the bot renders it (its value is what a click carries back). */
function firstButtonValue(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(firstButtonValue).find((value) => value !== undefined);
  if (typeof node !== "object" || node === null) return undefined;
  const element = node as Record<string, unknown>;
  if (element.tag === "button") return (element.behaviors as { value: unknown }[])[0]?.value;
  return Object.values(element)
    .map(firstButtonValue)
    .find((value) => value !== undefined);
}

export async function runLongConnection(options: LongConnectionOptions): Promise<LongConnectionResult> {
  const gateway: FakeLarkGateway = await startFakeLarkGateway(APP);
  const lark: FakeLark = await startFakeLark({ appId: APP.appId, appSecret: APP.appSecret, gateway });
  const store = await createStore("postgres", options.adminUrl);
  options.scan.add([APP.appSecret, APP.token]);
  let errorLines = 0;
  const servers: ChildServer[] = [];
  const env = {
    LARK_APP_ID: APP.appId,
    LARK_APP_SECRET: APP.appSecret,
    LARK_VERIFICATION_TOKEN: APP.token,
    LARK_API_BASE: lark.url,
    LARK_TRANSPORT: "ws",
  };
  const watch = (line: string) => {
    if (line.includes('"level":"error"')) errorLines++;
  };
  try {
    servers.push(await startServer(store, env, options.scan, watch));
    servers.push(await startServer(store, env, options.scan, watch));
    await gateway.connected(2);

    // One help card first: its button is what every click of the run presses.
    await gateway.push(
      larkMessageEvent({ token: APP.token, text: "/帮助", messageId: "om_seed", chatId: "oc_lc_seed" }),
    );
    while (lark.delivered.length === 0) await pause(50);
    const seed = lark.delivered[0]?.body as { content: string };
    const button = firstButtonValue(JSON.parse(seed.content));
    lark.reset();

    const acks: Promise<{ kind: "message" | "click"; ack: LarkAck }>[] = [];
    const messageIds: string[] = [];
    let pushed = 0;
    let drops = 0;
    let dropping = true;
    const dropLoop = (async () => {
      while (dropping) {
        await pause(options.dropEveryMs * (0.75 + Math.random() / 2));
        if (!dropping) break;
        gateway.drop();
        drops++;
      }
    })();
    const started = performance.now();
    while (performance.now() - started < options.durationMs) {
      const due = Math.floor(((performance.now() - started) / 1000) * options.rate);
      for (; pushed < due; pushed++) {
        if (pushed % options.clickEvery !== 0) {
          const messageId = `om_lc_${pushed}`;
          messageIds.push(messageId);
          const event = larkMessageEvent({
            token: APP.token,
            text: "/help",
            messageId,
            chatId: `oc_lc_${pushed % 50}`,
          });
          acks.push(gateway.push(event).then((ack) => ({ kind: "message", ack })));
        } else {
          const click = larkCardAction({
            token: APP.token,
            value: button,
            eventId: `ev_lc_${pushed}`,
            messageId: "om_lc_card",
            chatId: "oc_lc_seed",
          });
          acks.push(gateway.push(click).then((ack) => ({ kind: "click", ack })));
        }
      }
      await pause(5);
    }
    dropping = false;
    await dropLoop;
    const settled = await Promise.all(acks);
    const ackSeconds = (performance.now() - started) / 1000;
    await waitProcessed(store, options.drainTimeoutMs);
    await Promise.all(servers.map((server) => server.stop()));
    servers.length = 0;

    const database = await store.open();
    try {
      const rows = await database.db.select({ key: inbox.dedupKey, status: inbox.status }).from(inbox);
      const keys = new Map<string, number>();
      for (const row of rows) keys.set(row.key, (keys.get(row.key) ?? 0) + 1);
      const expected = [
        ...messageIds.map((id) => `lark:msg:${id}`),
        ...Array.from({ length: pushed }, (_, n) => n)
          .filter((n) => n % options.clickEvery === 0)
          .map((n) => `lark:card:ev_lc_${n}`),
      ];
      // Replies only: a click answered late is followed by a card update, which is not a reply.
      const replyPaths = lark.delivered
        .map((delivery) => delivery.path)
        .filter((path) => path.startsWith("/open-apis/im/v1/messages/om_lc_") && path.endsWith("/reply"));
      return {
        pushed,
        messages: messageIds.length,
        clicks: pushed - messageIds.length,
        acked: gateway.counts.acked - 1,
        redelivered: gateway.counts.redelivered,
        drops,
        connections: gateway.counts.connections,
        lost: expected.filter((key) => !keys.has(key)).length,
        duplicated: [...keys.values()].reduce((sum, n) => sum + n - 1, 0),
        open: rows.filter((row) => row.status !== "done").length,
        clicksAnsweredWithCard: settled.filter(
          (result) => result.kind === "click" && (result.ack.data as { card?: unknown } | undefined)?.card,
        ).length,
        repliesDelivered: replyPaths.length,
        repliesTwice: replyPaths.length - new Set(replyPaths).size,
        replyRows: await database.db.$count(outbox, like(outbox.idempotencyKey, "reply:lark:msg:om_lc_%")),
        ackRate: pushed / ackSeconds,
        errorLines,
      };
    } finally {
      await database.close();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await store.close();
    await Promise.all([gateway.close(), lark.close()]);
  }
}

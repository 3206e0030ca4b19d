// Scenario 6: two servers on one Postgres holding Lark's long connection (the real SDK) to a fake gateway that
// cuts every connection every few seconds under steady load: every message replied to once and every click's card redrawn once, at the fake.
import { like } from "drizzle-orm";
import { inbox, outbox } from "../../src/db/schema/index.ts";
import { type FakeLark, startFakeLark } from "../../test/fakes/lark.ts";
import { type FakeLarkGateway, type LarkAck, startFakeLarkGateway } from "../../test/fakes/lark-gateway.ts";
import { larkCardAction, larkMessageEvent } from "../../test/helpers/lark-signer.ts";
import type { ChildServer } from "../processes.ts";
import type { SecretScan } from "./secret-scan.ts";
import { startServer, waitDrained } from "./servers.ts";
import { createStore } from "./store.ts";

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
  /**
   * Counted at the fake Lark: messages with no reply or more than one, and clicks on the card whose redrawing
   * (in the click's ack, or by an update call) is missing or came more than once.
   */
  repliesMissing: number;
  repliesTwice: number;
  cardsMissing: number;
  cardsTwice: number;
  /** The server's own books: events pushed with no inbox row, inbox rows beyond one per event, rows not done. */
  inboxLost: number;
  inboxDuplicated: number;
  open: number;
  /** Clicks whose ack carried the redrawn card; the rest were acked after a redelivery, without it. */
  clicksAnsweredWithCard: number;
  /** Reply rows in the outbox (the server's own books). */
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
    // Every reply sent too: they are counted at the fake.
    await waitDrained(store, servers[0] as ChildServer, options.drainTimeoutMs);
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
      const repliesTo = new Map<string, number>();
      let cardUpdates = 0;
      for (const { path } of lark.delivered) {
        const reply = /^\/open-apis\/im\/v1\/messages\/(om_lc_\d+)\/reply$/.exec(path);
        if (reply) repliesTo.set(reply[1] as string, (repliesTo.get(reply[1] as string) ?? 0) + 1);
        // A click answered late: its card redrawn by a patch of the card message or by its card token.
        if (
          path === "/open-apis/im/v1/messages/om_lc_card" ||
          path === "/open-apis/interactive/v1/card/update"
        )
          cardUpdates++;
      }
      const replies = messageIds.map((id) => repliesTo.get(id) ?? 0);
      const clicks = pushed - messageIds.length;
      const clicksAnsweredWithCard = settled.filter(
        (result) => result.kind === "click" && (result.ack.data as { card?: unknown } | undefined)?.card,
      ).length;
      // Every click is on the one seed card: told apart only by their acks, so counted together.
      const cardsShown = clicksAnsweredWithCard + cardUpdates;
      return {
        pushed,
        messages: messageIds.length,
        clicks,
        acked: gateway.counts.acked - 1,
        redelivered: gateway.counts.redelivered,
        drops,
        connections: gateway.counts.connections,
        repliesMissing: replies.filter((n) => n === 0).length,
        repliesTwice: replies.filter((n) => n > 1).length,
        cardsMissing: Math.max(clicks - cardsShown, 0),
        cardsTwice: Math.max(cardsShown - clicks, 0),
        inboxLost: expected.filter((key) => !keys.has(key)).length,
        inboxDuplicated: [...keys.values()].reduce((sum, n) => sum + n - 1, 0),
        open: rows.filter((row) => row.status !== "done").length,
        clicksAnsweredWithCard,
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

// The baseline servers: the official Lark SDK's EventDispatcher behind adaptDefault, on opsbot's webhook path.
// It verifies, decrypts and dispatches like opsbot. With BASELINE_DATABASE_URL its message handler makes each
// event durable with one INSERT (what a Lark developer writes to keep events); without, the handlers only count.
// With LARK_API_BASE too it is the least a durable bot does: store the event, reply to the message through the
// SDK's client (which fetches and caches the tenant token), and record the reply's id on the event's row.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as lark from "@larksuiteoapi/node-sdk";
import postgres from "postgres";
import { LARK_WEBHOOK_PATH } from "../stream.ts";

const {
  LARK_ENCRYPT_KEY,
  LARK_VERIFICATION_TOKEN,
  PORT,
  BASELINE_DATABASE_URL,
  LARK_API_BASE,
  LARK_APP_ID,
  LARK_APP_SECRET,
} = process.env;
if (!LARK_ENCRYPT_KEY || !LARK_VERIFICATION_TOKEN) {
  console.error("lark-sdk baseline: LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN are required");
  process.exit(1);
}

/** The durable store of the INSERT variant: one row per event id, the event kept as JSON, as opsbot's inbox. */
const sql = BASELINE_DATABASE_URL ? postgres(BASELINE_DATABASE_URL, { max: 10, onnotice: () => {} }) : null;
if (sql) {
  await sql`create table if not exists baseline_events (
    event_id text primary key, received_at timestamptz not null default now(), payload jsonb not null,
    reply_id text)`;
}

/** The replying variant's client, against the API at LARK_API_BASE. */
const replies =
  sql && LARK_API_BASE
    ? new lark.Client({
        appId: LARK_APP_ID ?? "",
        appSecret: LARK_APP_SECRET ?? "",
        domain: LARK_API_BASE,
        loggerLevel: lark.LoggerLevel.error,
      })
    : null;

interface MessageEvent {
  event_id?: string;
  message?: { message_id?: string };
}

/** Replies with a line of text (the event id as the reply's idempotency key) and records the reply's id. */
async function reply(db: postgres.Sql, client: lark.Client, event: MessageEvent): Promise<void> {
  const sent = await client.im.message.reply({
    path: { message_id: event.message?.message_id ?? "" },
    data: { msg_type: "text", content: JSON.stringify({ text: "收到" }), uuid: event.event_id },
  });
  await db`update baseline_events set reply_id = ${sent.data?.message_id ?? null}
    where event_id = ${event.event_id ?? ""}`;
}

/** A card answer of the size opsbot's help card has; the SDK path only has to serialise it. */
const CARD_ANSWER = {
  card: {
    type: "raw",
    data: {
      schema: "2.0",
      config: { update_multi: true },
      header: { title: { tag: "plain_text", content: "Commands" }, template: "blue" },
      body: {
        elements: [
          { tag: "markdown", content: "**/help** list every command, or show one command's usage" },
          { tag: "button", text: { tag: "plain_text", content: "中文" }, value: { action: "help.language" } },
        ],
      },
    },
  },
};

// The SDK counts how many events its signature check let through; a 200 alone would not tell (it
// answers a failed check with an empty 200 too).
const handled = { messages: 0, cards: 0 };
const dispatcher = new lark.EventDispatcher({
  encryptKey: LARK_ENCRYPT_KEY,
  verificationToken: LARK_VERIFICATION_TOKEN,
  loggerLevel: lark.LoggerLevel.error,
}).register({
  "im.message.receive_v1": async (data: MessageEvent) => {
    if (sql) {
      await sql`insert into baseline_events (event_id, payload)
        values (${data.event_id ?? ""}, ${sql.json(data as postgres.JSONValue)}) on conflict do nothing`;
      if (replies) await reply(sql, replies, data);
    }
    handled.messages++;
  },
  "card.action.trigger": async () => {
    handled.cards++;
    return CARD_ANSWER;
  },
});
const webhook = lark.adaptDefault(LARK_WEBHOOK_PATH, dispatcher, { autoChallenge: true });

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(handled));
    return;
  }
  void webhook(req, res);
});
server.listen(Number(PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ level: "info", event: "server.started", url: `http://127.0.0.1:${port}` }));
});
process.on("SIGTERM", () => {
  server.close(() => void (sql?.end({ timeout: 5 }) ?? Promise.resolve()).then(() => process.exit(0)));
  server.closeIdleConnections();
});

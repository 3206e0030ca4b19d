// What a server asks of Postgres, read on the wire: a loopback proxy in front of Postgres that reads the
// protocol messages both ways as they pass (pg_stat_statements needs a restart to load). It counts the
// statements the client sends, and times each round trip (from a Sync or a simple query to Postgres's
// ReadyForQuery) under the statement it ran.
import { connect, createServer, type Server, type Socket } from "node:net";

/** Client messages by type: Q a simple query, P a parse (a statement not prepared yet), E an execute. */
export interface FrontendCounts {
  query: number;
  parse: number;
  execute: number;
}

/** Round trips per statement: how many, and the time from the request to Postgres being ready again. */
export type StatementTimes = Map<string, { roundTrips: number; ms: number }>;

/** The untyped requests that may come before the startup message, each answered with one byte. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

type OnMessage = (type: string, body: Uint8Array) => void;

/**
 * Splits a byte stream of protocol messages, in chunks as they arrive, into typed messages. A client's first
 * messages (SSL/GSS requests, startup) have no type byte: a client's stream passes `onUntyped`, which sees the
 * code of each and says whether the typed messages begin after it.
 */
function messageReader(
  onMessage: OnMessage,
  onUntyped?: (code: number) => boolean,
): (chunk: Uint8Array) => void {
  let pending = new Uint8Array(0);
  let started = onUntyped === undefined;
  return (chunk) => {
    const joined = new Uint8Array(pending.length + chunk.length);
    joined.set(pending);
    joined.set(chunk, pending.length);
    const view = new DataView(joined.buffer);
    let at = 0;
    for (;;) {
      const header = started ? 5 : 8;
      if (joined.length - at < header) break;
      const length = started ? view.getInt32(at + 1) + 1 : view.getInt32(at);
      if (joined.length - at < length) break;
      if (started) onMessage(String.fromCharCode(joined[at] ?? 0), joined.subarray(at + 5, at + length));
      else started = onUntyped?.(view.getInt32(at + 4)) ?? true;
      at += length;
    }
    pending = joined.slice(at);
  };
}

/** The zero-terminated strings at the start of a message body. */
function cStrings(body: Uint8Array, count: number): string[] {
  const strings: string[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    const end = body.indexOf(0, at);
    if (end < 0) break;
    strings.push(Buffer.from(body.subarray(at, end)).toString("utf8"));
    at = end + 1;
  }
  return strings;
}

/** A statement's text with its whitespace collapsed names it in the times. */
const label = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Reads one connection both ways. It counts the client's statements, and times its round trips: a Sync or a
 * simple query asks for one ReadyForQuery, and Postgres answers them in order. A round trip's time runs from its request, or from the previous answer when it
 * was sent before that (pipelined), to its ReadyForQuery; it is booked under the statement executed last
 * in it ("(parse) …" for a round trip that only prepares one).
 */
export function connectionReader(
  counts: FrontendCounts,
  times: StatementTimes,
  now: () => number = performance.now.bind(performance),
) {
  const prepared = new Map<string, string>();
  const portals = new Map<string, string>();
  let batch: string | undefined;
  /** Requests sent and not answered yet, oldest first. */
  const waiting: { statement: string; sentAt: number }[] = [];
  let readyAt = 0;
  /** Postgres answers each SSL or GSS request with one untyped byte before its typed messages. */
  let untypedAnswers = 0;
  const send = (statement: string) => waiting.push({ statement, sentAt: now() });
  const frontend = messageReader(
    (type, body) => {
      if (type === "Q") counts.query++;
      else if (type === "P") counts.parse++;
      else if (type === "E") counts.execute++;
      if (type === "P") {
        const [name = "", text = ""] = cStrings(body, 2);
        prepared.set(name, label(text));
        batch ??= `(parse) ${label(text)}`;
      } else if (type === "B") {
        const [portal = "", statement = ""] = cStrings(body, 2);
        portals.set(portal, prepared.get(statement) ?? "(unknown statement)");
      } else if (type === "E") {
        const [portal = ""] = cStrings(body, 1);
        batch = portals.get(portal) ?? "(unknown portal)";
      } else if (type === "S") {
        send(batch ?? "(sync)");
        batch = undefined;
      } else if (type === "Q") {
        send(label(cStrings(body, 1)[0] ?? ""));
      }
    },
    (code) => {
      const untyped = code === SSL_REQUEST || code === GSSENC_REQUEST;
      if (untyped) untypedAnswers++;
      return !untyped;
    },
  );
  const backend = messageReader((type) => {
    if (type !== "Z") return;
    const request = waiting.shift();
    const at = now();
    if (request) {
      const entry = times.get(request.statement) ?? { roundTrips: 0, ms: 0 };
      entry.roundTrips++;
      entry.ms += at - Math.max(request.sentAt, readyAt);
      times.set(request.statement, entry);
    }
    readyAt = at;
  });
  return {
    frontend,
    backend(chunk: Uint8Array) {
      let from = 0;
      while (untypedAnswers > 0 && from < chunk.length) {
        untypedAnswers--;
        from++;
      }
      if (from < chunk.length) backend(chunk.subarray(from));
    },
  };
}

export interface WireCounter {
  /** Where clients connect instead of Postgres: host:port on loopback. */
  readonly port: number;
  /** Counts so far, over every connection. */
  counts(): FrontendCounts;
  /** Round trips so far per statement, over every connection. */
  times(): StatementTimes;
  close(): Promise<void>;
}

/** A proxy on a free loopback port that forwards every connection to `upstream` and reads what passes. */
export async function startWireCounter(upstream: { host: string; port: number }): Promise<WireCounter> {
  const counts: FrontendCounts = { query: 0, parse: 0, execute: 0 };
  const times: StatementTimes = new Map();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const reader = connectionReader(counts, times);
    const postgres = connect(upstream.port, upstream.host);
    for (const socket of [client, postgres]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk: Buffer) => reader.frontend(chunk));
    postgres.on("data", (chunk: Buffer) => reader.backend(chunk));
    client.pipe(postgres);
    postgres.pipe(client);
    client.on("error", () => postgres.destroy());
    postgres.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the wire counter has no port");
  return {
    port: address.port,
    counts: () => ({ ...counts }),
    times: () => new Map([...times].map(([statement, entry]) => [statement, { ...entry }])),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

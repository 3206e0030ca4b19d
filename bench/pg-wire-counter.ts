// How many statements a server sends to Postgres, counted on the wire: a loopback proxy in front of Postgres
// that reads the client's protocol messages as they pass (pg_stat_statements needs a restart to load).
import { connect, createServer, type Server, type Socket } from "node:net";

/** Client messages by type: Q a simple query, P a parse (a statement not prepared yet), E an execute. */
export interface FrontendCounts {
  query: number;
  parse: number;
  execute: number;
}

/** The untyped requests that may come before the startup message, each answered with one byte. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Counts the messages of one client connection from its byte stream, in chunks as they arrive. The first
 * messages (SSL/GSS requests, startup) have no type byte; every later one is a type byte and a length.
 */
export function frontendMessageCounter(counts: FrontendCounts): (chunk: Uint8Array) => void {
  let pending = new Uint8Array(0);
  let started = false;
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
      if (started) {
        const type = String.fromCharCode(joined[at] ?? 0);
        if (type === "Q") counts.query++;
        else if (type === "P") counts.parse++;
        else if (type === "E") counts.execute++;
      } else {
        const code = view.getInt32(at + 4);
        started = code !== SSL_REQUEST && code !== GSSENC_REQUEST;
      }
      at += length;
    }
    pending = joined.slice(at);
  };
}

export interface WireCounter {
  /** Where clients connect instead of Postgres: host:port on loopback. */
  readonly port: number;
  /** Counts so far, over every connection. */
  counts(): FrontendCounts;
  close(): Promise<void>;
}

/** A proxy on a free loopback port that forwards every connection to `upstream` and counts what clients send. */
export async function startWireCounter(upstream: { host: string; port: number }): Promise<WireCounter> {
  const counts: FrontendCounts = { query: 0, parse: 0, execute: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const count = frontendMessageCounter(counts);
    const postgres = connect(upstream.port, upstream.host);
    for (const socket of [client, postgres]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk: Buffer) => count(chunk));
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

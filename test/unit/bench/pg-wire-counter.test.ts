import postgres from "postgres";
import { describe, expect, it } from "vitest";
import {
  type FrontendCounts,
  frontendMessageCounter,
  startWireCounter,
} from "../../../bench/pg-wire-counter.ts";

const untyped = (code: number, body: number[] = []) => {
  const bytes = new Uint8Array(8 + body.length);
  new DataView(bytes.buffer).setInt32(0, bytes.length);
  new DataView(bytes.buffer).setInt32(4, code);
  bytes.set(body, 8);
  return bytes;
};
const typed = (type: string, body: number[]) => {
  const bytes = new Uint8Array(5 + body.length);
  bytes[0] = type.charCodeAt(0);
  new DataView(bytes.buffer).setInt32(1, 4 + body.length);
  bytes.set(body, 5);
  return bytes;
};
const concat = (...parts: Uint8Array[]) => {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
};

/** An SSL request, a startup, a simple query, then a parse/bind/execute/sync and a bind/execute/sync. */
const STREAM = concat(
  untyped(80877103),
  untyped(196608, [117, 115, 101, 114, 0, 112, 0, 0]),
  typed("Q", [...Buffer.from("begin\0")]),
  typed("P", [0, ...Buffer.from("select 1\0"), 0, 0]),
  typed("B", [0, 0, 0, 0, 0, 0, 0, 0]),
  typed("E", [0, 0, 0, 0, 0]),
  typed("S", []),
  typed("B", [0, 0, 0, 0, 0, 0, 0, 0]),
  // "Q" inside a body is data, not a message.
  typed("E", [81, 0, 0, 0, 0]),
  typed("S", []),
);

describe("frontendMessageCounter", () => {
  it("counts queries, parses and executes after the untyped start-up messages", () => {
    const counts: FrontendCounts = { query: 0, parse: 0, execute: 0 };
    frontendMessageCounter(counts)(STREAM);
    expect(counts).toEqual({ query: 1, parse: 1, execute: 2 });
  });

  it("counts the same whatever the chunks the stream arrives in", () => {
    for (const size of [1, 2, 3, 7, 13]) {
      const counts: FrontendCounts = { query: 0, parse: 0, execute: 0 };
      const count = frontendMessageCounter(counts);
      for (let at = 0; at < STREAM.length; at += size) count(STREAM.subarray(at, at + size));
      expect(counts, `chunks of ${size}`).toEqual({ query: 1, parse: 1, execute: 2 });
    }
  });
});

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)("startWireCounter on Postgres", () => {
  it("forwards a client's statements and counts a prepared one parsed once", async () => {
    const upstream = new URL(adminUrl as string);
    const counter = await startWireCounter({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const proxied = new URL(upstream);
    proxied.host = `127.0.0.1:${counter.port}`;
    const sql = postgres(proxied.toString(), { max: 1, onnotice: () => {}, fetch_types: false });
    try {
      await sql`select 1`;
      const before = counter.counts();
      const results = [];
      for (const n of [1, 2, 3]) results.push(await sql`select ${n}::int as n`);
      await sql.unsafe("select 4");
      expect(results.map(([row]) => row?.n)).toEqual([1, 2, 3]);
      const after = counter.counts();
      expect({
        parse: after.parse - before.parse,
        execute: after.execute - before.execute,
        query: after.query - before.query,
      }).toEqual({ parse: 1, execute: 3, query: 1 });
    } finally {
      await sql.end({ timeout: 5 });
      await counter.close();
    }
  });
});

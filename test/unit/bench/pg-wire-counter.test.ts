import postgres from "postgres";
import { describe, expect, it } from "vitest";
import {
  connectionReader,
  type FrontendCounts,
  type StatementTimes,
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

const countingReader = (counts: FrontendCounts) => connectionReader(counts, new Map()).frontend;

describe("connectionReader", () => {
  it("counts queries, parses and executes after the untyped start-up messages", () => {
    const counts: FrontendCounts = { query: 0, parse: 0, execute: 0 };
    countingReader(counts)(STREAM);
    expect(counts).toEqual({ query: 1, parse: 1, execute: 2 });
  });

  it("counts the same whatever the chunks the stream arrives in", () => {
    for (const size of [1, 2, 3, 7, 13]) {
      const counts: FrontendCounts = { query: 0, parse: 0, execute: 0 };
      const count = countingReader(counts);
      for (let at = 0; at < STREAM.length; at += size) count(STREAM.subarray(at, at + size));
      expect(counts, `chunks of ${size}`).toEqual({ query: 1, parse: 1, execute: 2 });
    }
  });

  it("times each round trip under the statement it executed, a pipelined one from the answer before it", () => {
    let clock = 0;
    const times: StatementTimes = new Map();
    const reader = connectionReader({ query: 0, parse: 0, execute: 0 }, times, () => clock);
    const text = (value: string) => [...Buffer.from(`${value}\0`)];
    const ready = typed("Z", [73]);
    // The SSL request's one-byte answer, then the startup's answers.
    reader.frontend(concat(untyped(80877103), untyped(196608, [117, 115, 101, 114, 0, 112, 0, 0])));
    reader.backend(concat(new Uint8Array([78]), typed("R", [0, 0, 0, 0]), ready));
    // Prepared as s1 at 10 (answered at 14), executed twice at 20, pipelined: answered at 23 and 30.
    clock = 10;
    reader.frontend(concat(typed("P", [...text("s1"), ...text("select  $1::int"), 0, 0]), typed("S", [])));
    clock = 14;
    reader.backend(concat(typed("1", []), ready));
    clock = 20;
    const execute = concat(
      typed("B", [...text(""), ...text("s1"), 0, 0, 0, 0, 0, 0]),
      typed("E", [...text(""), 0, 0, 0, 0]),
      typed("S", []),
    );
    reader.frontend(concat(execute, execute));
    clock = 23;
    reader.backend(concat(typed("2", []), typed("C", text("SELECT 1")), ready));
    clock = 30;
    reader.backend(concat(typed("2", []), typed("C", text("SELECT 1")), ready));
    clock = 40;
    reader.frontend(typed("Q", text("begin")));
    clock = 41;
    reader.backend(concat(typed("C", text("BEGIN")), ready));
    expect(Object.fromEntries(times)).toEqual({
      "(parse) select $1::int": { roundTrips: 1, ms: 4 },
      "select $1::int": { roundTrips: 2, ms: 3 + 7 },
      begin: { roundTrips: 1, ms: 1 },
    });
  });
});

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)("startWireCounter on Postgres", () => {
  it("forwards a client's statements, counts a prepared one parsed once and times its round trips", async () => {
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
      const times = counter.times();
      expect(times.get("select $1::int as n")?.roundTrips).toBe(3);
      expect(times.get("select 4")?.roundTrips).toBe(1);
    } finally {
      await sql.end({ timeout: 5 });
      await counter.close();
    }
  });
});

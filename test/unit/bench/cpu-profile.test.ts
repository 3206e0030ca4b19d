import { describe, expect, it } from "vitest";
import { type CpuProfile, mergeSummaries, summariseCpuProfile } from "../../../bench/cpu-profile.ts";

const ROOT = "/srv/opsbot";
const frame = (functionName: string, url = "") => ({ functionName, url });

/**
 * A hand-made call tree: the HTTP answer and the Postgres query both end in the same native socket write, reached
 * through node's net internals from @hono/node-server and from postgres.
 */
const nodes = [
  { id: 1, callFrame: frame("(root)"), children: [2, 3, 4, 5, 20] },
  { id: 2, callFrame: frame("(idle)") },
  { id: 3, callFrame: frame("(program)") },
  { id: 4, callFrame: frame("(garbage collector)") },
  { id: 5, callFrame: frame("claim", `file://${ROOT}/src/inbox/claim.ts`), children: [6, 10] },
  {
    id: 6,
    callFrame: frame("select", `file://${ROOT}/node_modules/drizzle-orm/pg-core/select.js`),
    children: [7],
  },
  {
    id: 7,
    callFrame: frame("execute", `file://${ROOT}/node_modules/postgres/src/connection.js`),
    children: [8],
  },
  { id: 8, callFrame: frame("Socket._write", "node:net"), children: [9] },
  { id: 9, callFrame: frame("writev") },
  { id: 10, callFrame: frame("render", `file://${ROOT}/src/platforms/lark/card.ts`) },
  {
    id: 20,
    callFrame: frame("respond", `file://${ROOT}/node_modules/@hono/node-server/dist/index.mjs`),
    children: [21],
  },
  { id: 21, callFrame: frame("end", "node:_http_outgoing"), children: [22] },
  { id: 22, callFrame: frame("writeGeneric", "node:internal/stream_base_commons"), children: [23] },
  { id: 23, callFrame: frame("writev") },
];

/** Samples taken 1,000 µs apart from t = 1,000: each stands for the 1,000 µs until the next one. */
function profileOf(samples: number[]): CpuProfile {
  return {
    nodes,
    startTime: 0,
    endTime: 1000 * (samples.length + 1),
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe("summariseCpuProfile", () => {
  it("counts self time per category, native frames as their caller's", () => {
    const summary = summariseCpuProfile(profileOf([2, 2, 9, 9, 9, 23, 21, 6, 7, 10, 5, 4, 3]), ROOT);
    expect(summary.idleMicros).toBe(2000);
    expect(summary.busyMicros).toBe(11_000);
    expect(Object.fromEntries(summary.categories.map((c) => [c.category, c.selfMicros]))).toEqual({
      "node net/stream ← postgres": 3000,
      "node http ← @hono/node-server": 1000,
      "node net/stream ← @hono/node-server": 1000,
      "drizzle-orm": 1000,
      postgres: 1000,
      "src/platforms": 1000,
      "src/inbox": 1000,
      "(garbage collector)": 1000,
      "(program)": 1000,
    });
  });

  it("gives each category's share of the non-idle time", () => {
    const summary = summariseCpuProfile(profileOf([2, 9, 9, 9, 10]), ROOT);
    expect(summary.categories.map((c) => c.share)).toEqual([0.75, 0.25]);
  });

  it("lists the largest category first", () => {
    const summary = summariseCpuProfile(profileOf([9, 9, 10]), ROOT);
    expect(summary.categories.map((c) => c.category)).toEqual([
      "node net/stream ← postgres",
      "src/platforms",
    ]);
  });

  it("counts only the part of each sample inside the window", () => {
    // Samples at 1,000 (idle), 2,000 (inbox), 3,000 (GC), 4,000 (inbox); the window covers 2,500–4,750.
    const summary = summariseCpuProfile(profileOf([2, 5, 4, 5]), ROOT, [
      { fromMicros: 2500, toMicros: 4750 },
    ]);
    expect(summary.idleMicros).toBe(0);
    expect(summary.busyMicros).toBe(2250);
    expect(summary.categories.map((c) => [c.category, c.selfMicros])).toEqual([
      ["src/inbox", 1250],
      ["(garbage collector)", 1000],
    ]);
  });

  it("adds up several windows", () => {
    const summary = summariseCpuProfile(profileOf([2, 5, 4, 5]), ROOT, [
      { fromMicros: 1000, toMicros: 2000 },
      { fromMicros: 4000, toMicros: 4500 },
    ]);
    expect(summary.idleMicros).toBe(1000);
    expect(summary.categories.map((c) => [c.category, c.selfMicros])).toEqual([["src/inbox", 500]]);
  });
});

describe("mergeSummaries", () => {
  it("adds up the threads' busy, idle and category times, and shares of the sum", () => {
    const main = summariseCpuProfile(profileOf([2, 9, 9, 10]), ROOT);
    const loader = summariseCpuProfile(profileOf([2, 2, 10, 4]), ROOT);
    const merged = mergeSummaries([main, loader]);
    expect(merged.idleMicros).toBe(3000);
    expect(merged.busyMicros).toBe(5000);
    expect(merged.categories.map((c) => [c.category, c.selfMicros, c.share])).toEqual([
      ["node net/stream ← postgres", 2000, 0.4],
      ["src/platforms", 2000, 0.4],
      ["(garbage collector)", 1000, 0.2],
    ]);
  });
});

// Every webhook route under random and mutated requests (FUZZ_RUNS per route, default 200; the full run is
// 10,000): never a 5xx or a crash, no internal detail, a 4xx or a 200 that did nothing, and no row written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUZZED_ROUTES, fuzzRoute, startFuzzTarget } from "../helpers/webhook-fuzz.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** Fixed unless FUZZ_SEED says otherwise, so that a failure in CI repeats on a laptop. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

let target: Awaited<ReturnType<typeof startFuzzTarget>>;

beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(() => target.close());

describe(`every webhook route under ${RUNS} random and mutated requests (seed ${SEED})`, () => {
  it.each(FUZZED_ROUTES)("%s", { timeout: 120_000 + RUNS * 50 }, async (route) => {
    const tally = await fuzzRoute(target, route, RUNS, SEED);
    // The examples name the offending cases, so a failure here is its own reproduction recipe.
    expect({ ...tally, statuses: undefined }).toEqual({
      route,
      cases: expect.any(Number),
      statuses: undefined,
      status4xx: expect.any(Number),
      status200: tally.cases - tally.status4xx,
      status5xx: 0,
      crashes: 0,
      badAnswers: 0,
      rowsWritten: {},
      platformCalls: 0,
      examples: [],
    });
    // Nearly every case is a request of its own (a replacement equal to the original is skipped).
    expect(tally.cases).toBeGreaterThan(RUNS * 0.9);
  });
});

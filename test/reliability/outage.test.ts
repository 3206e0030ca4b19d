// The outage run, short: the platforms lose the answers to sends they accepted, then refuse every call (429, 500), during a digest and an alert burst.
import { describe, expect, it } from "vitest";
import { runOutage } from "../../bench/reliability/outage.ts";

const POSTGRES = process.env.TEST_DATABASE_URL;

describe("platform outage during a digest and an alert burst", () => {
  it("shows every push in its group after the platforms recover, Lark's once, within their send limits", async () => {
    const result = await runOutage({
      ...(POSTGRES ? { store: "postgres", adminUrl: POSTGRES } : { store: "pglite" }),
      outageMs: 4_000,
      complaints: 6,
      recoveryTimeoutMs: 40_000,
    });
    expect(result.jobs.join("\n")).toMatch(/2 digests for 2026-11-26/);
    // Two groups (Lark, DingTalk) get the digest and each alert.
    expect(result.pushes).toBeGreaterThanOrEqual(2 + 2 * 6);
    expect(result.answersLost).toBeGreaterThan(0);
    expect(result).toMatchObject({ sent: result.pushes, failed: 0, waiting: 0 });
    expect(result.delivered.lark + result.delivered.dingtalk).toBe(result.pushes);
    // Lark drops a retried create by its uuid; DingTalk's robot group messages have no such key.
    expect(result.deliveredTwice.lark).toBe(0);
    for (const rate of result.rates) expect(rate.worst, rate.name).toBeLessThanOrEqual(rate.limit);
    expect(result.secretsInLogs).toBe(0);
  }, 240_000);
});

// The crash run, short: SIGKILL the real server under mixed signed load, restart it, redeliver what got no ack, and count at the fakes.
import { describe, expect, it } from "vitest";
import { runCrash } from "../../bench/reliability/crash.ts";

const POSTGRES = process.env.TEST_DATABASE_URL;

describe("SIGKILL under load, then restart", () => {
  it("on the embedded database: every event has its reply and row once, nothing shows twice, and no log line holds a secret", async () => {
    const result = await runCrash({
      store: "pglite",
      rate: 30,
      loadMs: 5_000,
      recoveryTimeoutMs: 20_000,
    });
    // Killed mid-load: some events were acked before, and requests failed after.
    expect(result.effects.acked).toBeGreaterThan(0);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.redelivered).toBe(result.errors);
    expect(result.atPlatform.replies.expected).toBeGreaterThan(0);
    expect(result.atPlatform.cards.expected).toBeGreaterThan(0);
    expect(result.duplicated, result.atPlatform.examples.join("; ")).toBe(0);
    expect(result.atPlatform.replies).toMatchObject({ missing: 0, twice: 0 });
    expect(result.atPlatform.rows).toMatchObject({ missing: 0, twice: 0 });
    // A click whose answer the kill cut after its card was drawn is answered with that card on redelivery, never
    // shown twice; a click cut mid-work can still miss its redraw within the recovery window (see the Postgres case).
    expect(result.atPlatform.cards.twice).toBe(0);
    expect(result.effects).toMatchObject({ open: 0, dead: 0 });
    expect(result.secretsInLogs).toBe(0);
  }, 240_000);

  it.skipIf(!POSTGRES)(
    "on Postgres: every event has its reply and row once, nothing shows twice",
    async () => {
      const result = await runCrash({
        store: "postgres",
        adminUrl: POSTGRES as string,
        rate: 100,
        loadMs: 4_000,
        recoveryTimeoutMs: 20_000,
      });
      expect(result.effects.acked).toBeGreaterThan(0);
      expect(result.errors).toBeGreaterThan(0);
      expect(result.redelivered).toBe(result.errors);
      expect(result.duplicated, result.atPlatform.examples.join("; ")).toBe(0);
      expect(result.atPlatform.replies).toMatchObject({ missing: 0, twice: 0 });
      expect(result.atPlatform.rows).toMatchObject({ missing: 0, twice: 0 });
      // Cards are shown twice never, but not yet always once here: in 2 of 30 runs of `npm run reliability` a
      // DingTalk click cut mid-work by the kill had no card redrawn within the recovery window.
      expect(result.atPlatform.cards.twice).toBe(0);
      expect(result.effects).toMatchObject({ open: 0, dead: 0 });
      expect(result.secretsInLogs).toBe(0);
    },
    240_000,
  );
});

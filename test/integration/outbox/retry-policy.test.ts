// What the outbox does after a failed send: backoff with jitter, Retry-After, permanent errors, the 24 h cut-off.
import { describe, expect, it } from "vitest";
import { backoffMs, GIVE_UP_AFTER_MS, judgeFailure } from "../../../src/outbox/retry-policy.ts";
import { SendError } from "../../../src/platforms/errors.ts";

const NOW = Date.parse("2026-11-26T01:00:00.000Z");
const base = { attempts: 1, createdAt: new Date(NOW - 1000), now: NOW, pacingMs: 200, random: () => 0.5 };

describe("backoff", () => {
  it("doubles from 2 s, caps at 10 min and jitters by ±20 %", () => {
    expect([1, 2, 3, 9, 10, 30].map((n) => backoffMs(n, () => 0.5))).toEqual([
      2_000, 4_000, 8_000, 512_000, 600_000, 600_000,
    ]);
    expect(backoffMs(1, () => 0)).toBe(1_600);
    expect(backoffMs(1, () => 0.999_999)).toBe(2_400);
  });
});

describe("judgeFailure", () => {
  it("retries a transient error after the backoff", () => {
    const verdict = judgeFailure({
      ...base,
      attempts: 3,
      error: new SendError("transient", "HTTP 502", undefined, 502),
    });
    expect(verdict).toEqual({
      kind: "retry",
      at: NOW + 8_000,
      reason: "transient: HTTP 502 [platform code 502]",
      rateLimited: false,
    });
  });

  it("honours the platform's retry-after for a rate limit", () => {
    const verdict = judgeFailure({ ...base, error: new SendError("rate_limited", "429", 2_000, 99991400) });
    expect(verdict).toMatchObject({ kind: "retry", at: NOW + 2_000, rateLimited: true });
  });

  it("backs off a rate limit without retry-after, never sooner than the destination's pacing", () => {
    const verdict = judgeFailure({
      ...base,
      pacingMs: 3_000,
      error: new SendError("rate_limited", "slow down"),
    });
    expect(verdict).toMatchObject({ kind: "retry", at: NOW + 3_000, rateLimited: true });
  });

  it("fails a permanent error at once, keeping the platform code", () => {
    const verdict = judgeFailure({
      ...base,
      error: new SendError("permanent", "bot removed", undefined, 230002),
    });
    expect(verdict).toEqual({ kind: "fail", reason: "permanent: bot removed [platform code 230002]" });
  });

  it("retries an unexpected error (a fix and a redeploy should still deliver)", () => {
    const verdict = judgeFailure({ ...base, error: new TypeError("x is undefined") });
    expect(verdict).toMatchObject({ kind: "retry", reason: "unexpected: TypeError: x is undefined" });
  });

  it("gives up once the message is a day old", () => {
    const createdAt = new Date(NOW - GIVE_UP_AFTER_MS);
    const verdict = judgeFailure({ ...base, createdAt, error: new SendError("transient", "HTTP 500") });
    expect(verdict).toEqual({ kind: "fail", reason: "gave up after 24 h; last error: transient: HTTP 500" });
    const younger = judgeFailure({
      ...base,
      createdAt: new Date(createdAt.getTime() + 1),
      error: new SendError("transient", "HTTP 500"),
    });
    expect(younger.kind).toBe("retry");
  });
});

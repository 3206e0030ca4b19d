// The send budgets on their own: even spacing for per-second limits, bursts within per-minute windows, blocks.
import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../src/outbox/rate-limiter.ts";

const T0 = Date.parse("2026-11-26T01:00:00.000Z");
const LARK = { app: { count: 50, perMs: 1000 }, target: { count: 5, perMs: 1000 } };
const ROBOT = { app: { count: 20, perMs: 1000 }, target: { count: 20, perMs: 60_000 } };

/** Starts `count` sends to `target` as early as the limiter allows; returns their start times. */
function sendAll(
  limiter: ReturnType<typeof createRateLimiter>,
  platform: "lark" | "dingtalk",
  targets: string[],
) {
  let now = T0;
  return targets.map((target) => {
    now = limiter.earliest(platform, target, now);
    limiter.spend(platform, target, now);
    return now;
  });
}

describe("rate limiter", () => {
  it("spaces a per-second limit evenly, 2 % under it", () => {
    const limiter = createRateLimiter({ lark: LARK });
    const starts = sendAll(limiter, "lark", Array(6).fill("chat:a"));
    expect(starts.map((at) => at - T0)).toEqual([0, 204, 408, 612, 816, 1020]);
  });

  it("lets a per-minute limit burst, then waits for the window (plus 2 %)", () => {
    const limiter = createRateLimiter({ dingtalk: ROBOT });
    const starts = sendAll(limiter, "dingtalk", Array(21).fill("chat:g"));
    // 20 at the app's pace of 20/s, the 21st only once the first left the (61.2 s) window.
    expect(starts[19]).toBeLessThan(T0 + 1000);
    expect(starts[20]).toBe(T0 + 61_200);
    // The next ones, if nothing else is sent: each when the send 20 before it leaves the window.
    expect(limiter.projected("dingtalk", "chat:g", T0 + 61_200, 0)).toBe((starts[1] as number) + 61_200);
    expect(limiter.projected("dingtalk", "chat:g", T0 + 61_200, 1)).toBe((starts[2] as number) + 61_200);
  });

  it("shares the app budget between destinations but not the destination budgets", () => {
    const limiter = createRateLimiter({ lark: LARK });
    const starts = sendAll(limiter, "lark", ["chat:a", "chat:b", "chat:c"]);
    expect(starts.map((at) => Math.round((at - T0) * 10) / 10)).toEqual([0, 20.4, 40.8]);
  });

  it("keeps the grid through slightly late starts instead of letting lateness add up", () => {
    const limiter = createRateLimiter({ lark: LARK });
    limiter.spend("lark", "chat:a", T0);
    const due = limiter.earliest("lark", "chat:a", T0);
    limiter.spend("lark", "chat:a", due + 8);
    expect(limiter.earliest("lark", "chat:a", due + 8)).toBe(T0 + 2 * 204);
    // After a pause longer than the forgiven lateness, the grid starts again from the late send.
    limiter.spend("lark", "chat:a", T0 + 5_000);
    expect(limiter.earliest("lark", "chat:a", T0 + 5_000)).toBe(T0 + 5_204);
  });

  it("holds a destination the platform called too fast until the time it named", () => {
    const limiter = createRateLimiter({ lark: LARK });
    limiter.block("lark", "chat:a", T0 + 2_000);
    expect(limiter.earliest("lark", "chat:a", T0)).toBe(T0 + 2_000);
    expect(limiter.earliest("lark", "chat:b", T0)).toBe(T0);
  });

  it("forgets quiet destinations without changing any answer", () => {
    const limiter = createRateLimiter({ dingtalk: ROBOT });
    sendAll(limiter, "dingtalk", Array(20).fill("chat:g"));
    limiter.prune(T0 + 30_000);
    expect(limiter.earliest("dingtalk", "chat:g", T0 + 30_000)).toBe(T0 + 61_200);
    limiter.prune(T0 + 70_000);
    expect(limiter.earliest("dingtalk", "chat:g", T0 + 70_000)).toBe(T0 + 70_000);
  });
});

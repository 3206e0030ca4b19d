// The send budgets on their own: window logs on actual starts, least spacing for per-second limits, bursts
// within per-minute windows, blocks.
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
  it("spaces a per-second limit evenly, 3 % under it", () => {
    const limiter = createRateLimiter({ lark: LARK });
    const starts = sendAll(limiter, "lark", Array(6).fill("chat:a"));
    expect(starts.map((at) => at - T0)).toEqual([0, 206, 412, 618, 824, 1030]);
  });

  it("lets a per-minute limit burst, then waits for the window (plus 3 %)", () => {
    const limiter = createRateLimiter({ dingtalk: ROBOT });
    const starts = sendAll(limiter, "dingtalk", Array(21).fill("chat:g"));
    // 20 at the app's pace of 20/s, the 21st only once the first left the (61.8 s) window.
    expect(starts[19]).toBeLessThan(T0 + 1000);
    expect(starts[20]).toBe(T0 + 61_800);
    // The next ones, if nothing else is sent: each when the send 20 before it leaves the window.
    expect(limiter.projected("dingtalk", "chat:g", T0 + 61_800, 0)).toBe((starts[1] as number) + 61_800);
    expect(limiter.projected("dingtalk", "chat:g", T0 + 61_800, 1)).toBe((starts[2] as number) + 61_800);
  });

  it("shares the app budget between destinations but not the destination budgets", () => {
    const limiter = createRateLimiter({ lark: LARK });
    const starts = sendAll(limiter, "lark", ["chat:a", "chat:b", "chat:c"]);
    // Half the app's interval apart (10.3 ms): at most twice its rate at any instant.
    expect(starts.map((at) => Math.round((at - T0) * 10) / 10)).toEqual([0, 10.3, 20.6]);
  });

  it("opens the app's next window a whole window after the first start of the last, 50 at a time", () => {
    const limiter = createRateLimiter({ lark: LARK });
    const chats = Array.from({ length: 1000 }, (_, i) => `chat:${i}`);
    const starts = sendAll(limiter, "lark", chats).map((at) => at - T0);
    expect(starts[49]).toBeCloseTo(49 * 10.3);
    expect(starts[50]).toBe(1030);
    // No drift over a long fan-out: 20 windows of 50, the last one 19 windows in.
    expect(starts[950]).toBe(19 * 1030);
    expect(starts[999]).toBeCloseTo(19 * 1030 + 49 * 10.3);
  });

  it("keeps a window closed until a second after its first send's answer, when that answer was slow", () => {
    const limiter = createRateLimiter({ lark: LARK });
    let now = T0;
    const answers: ((roundTripMs: number) => void)[] = [];
    for (let i = 0; i < 50; i++) {
      now = limiter.earliest("lark", `chat:${i}`, now);
      answers.push(limiter.spend("lark", `chat:${i}`, now));
    }
    // The first request may have reached the platform as late as its answer came back, 80 ms after it left;
    // the second's answer was quick, within the margin.
    answers[0]?.(80);
    answers[1]?.(5);
    expect(limiter.earliest("lark", "chat:50", now) - T0).toBe(1080);
    limiter.spend("lark", "chat:50", T0 + 1080);
    // The next waits for the spacing and for the second window's start plus its margin, not a second answer.
    expect(limiter.earliest("lark", "chat:51", T0 + 1080) - T0).toBeCloseTo(1090.3);
  });

  it("counts the window and the spacing from actual starts, so late starts never let 51 into a window", () => {
    const limiter = createRateLimiter({ lark: LARK });
    const starts: number[] = [];
    let now = T0;
    for (let i = 0; i < 400; i++) {
      // Each send starts 0 to 10 ms after the limiter allowed it (a late timer, a busy event loop).
      now = limiter.earliest("lark", `chat:${i}`, now) + ((i * 37) % 11);
      limiter.spend("lark", `chat:${i}`, now);
      starts.push(now);
    }
    // Fractions of a millisecond this close are the float rounding of epoch milliseconds.
    const ROUNDING = 0.001;
    for (let i = 0; i + 1 < starts.length; i++)
      expect((starts[i + 1] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(10.3 - ROUNDING);
    // Any 51 consecutive starts span the whole 1030 ms: every 1-second window keeps its 30 ms margin.
    for (let i = 0; i + 50 < starts.length; i++)
      expect((starts[i + 50] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(1030 - ROUNDING);
  });

  it("lets a window whose first start came late still take its 50 once the spacing allows", () => {
    const limiter = createRateLimiter({ lark: LARK });
    // The first send waited 300 ms (for a token, say); the other 49 of its window follow at the spacing.
    limiter.spend("lark", "chat:0", T0 + 300);
    const starts = sendAll(
      limiter,
      "lark",
      Array.from({ length: 50 }, (_, i) => `chat:${i + 1}`),
    ).map((at) => at - T0);
    expect(starts[0]).toBeCloseTo(310.3);
    expect(starts[48]).toBeCloseTo(300 + 49 * 10.3);
    expect(starts[49]).toBe(300 + 1030);
  });

  it("keeps a destination's starts a whole interval apart, counted from the late start", () => {
    const limiter = createRateLimiter({ lark: LARK });
    limiter.spend("lark", "chat:a", T0);
    const due = limiter.earliest("lark", "chat:a", T0);
    expect(due).toBe(T0 + 206);
    limiter.spend("lark", "chat:a", due + 8);
    expect(limiter.earliest("lark", "chat:a", due + 8)).toBe(T0 + 2 * 206 + 8);
    // After a pause the spacing simply counts from the next start.
    limiter.spend("lark", "chat:a", T0 + 5_000);
    expect(limiter.earliest("lark", "chat:a", T0 + 5_000)).toBe(T0 + 5_206);
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
    expect(limiter.earliest("dingtalk", "chat:g", T0 + 30_000)).toBe(T0 + 61_800);
    limiter.prune(T0 + 70_000);
    expect(limiter.earliest("dingtalk", "chat:g", T0 + 70_000)).toBe(T0 + 70_000);
  });

  it("caps the app at a longer window too: Lark's 1,000 a minute besides its 50 a second", () => {
    const limiter = createRateLimiter({ lark: { ...LARK, appCaps: [{ count: 1000, perMs: 60_000 }] } });
    const chats = Array.from({ length: 1001 }, (_, i) => `chat:${i}`);
    const starts = sendAll(limiter, "lark", chats).map((at) => at - T0);
    // The first thousand at 50 a second; the next once the first has left the (61.8 s) minute.
    expect(starts[999]).toBeCloseTo(19 * 1030 + 49 * 10.3);
    expect(starts[1000]).toBe(61_800);
  });

  it("counts a send that calls no app API (a DingTalk session reply) under its group only", () => {
    const limiter = createRateLimiter({ dingtalk: ROBOT });
    let now = T0;
    for (let i = 0; i < 20; i++) {
      now = limiter.earliest("dingtalk", "chat:g", now, false);
      limiter.spend("dingtalk", "chat:g", now, false);
    }
    // Twenty replies at once, within the group's 20 a minute; the app's 20 a second untouched by them.
    expect(now).toBe(T0);
    expect(limiter.earliest("dingtalk", "chat:g", T0, false)).toBe(T0 + 61_800);
    expect(limiter.earliest("dingtalk", "chat:other", T0)).toBe(T0);
    expect(limiter.rules("dingtalk", "chat:g", false).map((rule) => rule.key)).toEqual(["dingtalk chat:g"]);
    expect(limiter.rules("dingtalk", "chat:g").map((rule) => rule.key)).toEqual([
      "dingtalk app 20/1000",
      "dingtalk chat:g",
    ]);
  });
});

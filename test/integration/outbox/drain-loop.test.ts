// The Node drain loop: drains at once, rests between rounds, survives a failed drain, and stops cleanly.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.ts";
import { startOutboxLoop } from "../../../src/outbox/drain-loop.ts";
import type { DrainOptions, Outbox, OutboxCounts } from "../../../src/outbox/outbox.ts";

const nothing: OutboxCounts = { sent: 0, retried: 0, failed: 0, deferred: 0 };

function scriptedOutbox(
  rounds: ((options?: DrainOptions) => Promise<OutboxCounts>)[],
): Outbox & { drains: number } {
  const box = {
    drains: 0,
    enqueue: () => Promise.reject(new Error("not used")),
    deliver: () => Promise.reject(new Error("not used")),
    sendNow: () => Promise.reject(new Error("not used")),
    releaseLeases: () => Promise.reject(new Error("not used")),
    findSent: () => Promise.reject(new Error("not used")),
    stored: () => Promise.reject(new Error("not used")),
    waiting: () => Promise.reject(new Error("not used")),
    drain: (options?: DrainOptions) => {
      const round = rounds[box.drains++] ?? (() => Promise.resolve(nothing));
      return round(options);
    },
  };
  return box;
}

describe("startOutboxLoop", () => {
  it("drains, rests idleMs between rounds, logs what it did and keeps going after a failure", async () => {
    const lines: string[] = [];
    const rests: number[] = [];
    let wakeRest = () => {};
    const box = scriptedOutbox([
      () => Promise.resolve({ ...nothing, sent: 3 }),
      () => Promise.reject(new Error("connection reset")),
    ]);
    const loop = startOutboxLoop({
      outbox: box,
      log: createLogger({ write: (line) => lines.push(line) }),
      idleMs: 750,
      sleep: (ms) => {
        rests.push(ms);
        return new Promise((resolve) => {
          wakeRest = resolve;
        });
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(box.drains).toBe(1);
    expect(rests).toEqual([750]);
    wakeRest();
    await new Promise((resolve) => setImmediate(resolve));
    expect(box.drains).toBe(2);
    await loop.stop();
    expect(box.drains).toBe(2);
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(["outbox.drained", "outbox.drain_failed"]);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ sent: 3 });
  });

  it("tells the drain in progress to claim nothing more, and lets it finish, when stopped", async () => {
    let finish = (_: OutboxCounts) => {};
    let signal: AbortSignal | undefined;
    const box = scriptedOutbox([
      (options) => {
        signal = options?.signal;
        return new Promise((resolve) => (finish = resolve));
      },
    ]);
    const loop = startOutboxLoop({ outbox: box, log: createLogger({ write: () => {} }) });
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(signal?.aborted).toBe(true);
    expect(stopped).toBe(false);
    finish(nothing);
    await stopping;
    expect(box.drains).toBe(1);
  });
});

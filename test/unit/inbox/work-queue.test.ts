import { describe, expect, it } from "vitest";
import { createWorkQueue } from "../../../src/inbox/work-queue.ts";

describe("work queue", () => {
  it("never runs more tasks at once than its concurrency, and runs every task in order of arrival", async () => {
    const queue = createWorkQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let open = () => {};
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { open, opened };
    });
    const results = gates.map((gate, index) =>
      queue.run(async () => {
        started.push(index);
        running++;
        peak = Math.max(peak, running);
        await gate.opened;
        running--;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const gate of gates) gate.open();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it("frees its slot when a task fails", async () => {
    const queue = createWorkQueue(1);
    await expect(queue.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await queue.run(async () => "next")).toBe("next");
  });
});

describe("work queue with a changing limit", () => {
  it("starts no new task above the current limit and starts the waiting ones on wake", async () => {
    let limit = 1;
    const queue = createWorkQueue(() => limit);
    const started: number[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const results = [0, 1, 2].map((index) =>
      queue.run(async () => {
        started.push(index);
        await held;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0]);

    limit = 3;
    queue.wake();
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    release();
    expect(await Promise.all(results)).toEqual([0, 1, 2]);
  });
});

import { describe, expect, it } from "vitest";
import { createProcessingQueue, type ProcessingQueueOptions } from "../../../src/inbox/processing-queue.ts";
import { createLogger } from "../../../src/log.ts";

/**
 * A stand-in inbox table: ids stored and not done (a row stays pending until its work commits, so reading
 * the table back can return an id that is running), and the work gated per id so a test decides when it ends.
 */
function harness(overrides: Partial<ProcessingQueueOptions> = {}) {
  const stored: number[] = [];
  const started: number[] = [];
  const gates = new Map<number, () => void>();
  const tracked: Promise<unknown>[] = [];
  const reads: number[] = [];
  const logged: string[] = [];
  let running = 0;
  let peak = 0;
  const queue = createProcessingQueue({
    limit: () => 2,
    maxWaiting: 3,
    async process(id) {
      started.push(id);
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => gates.set(id, resolve));
      stored.splice(stored.indexOf(id), 1);
      running--;
      return undefined;
    },
    async unstarted(count) {
      reads.push(count);
      return stored.slice(0, count);
    },
    background: (work) => {
      tracked.push(work);
    },
    log: createLogger({ write: (line) => logged.push(JSON.parse(line).event) }),
    ...overrides,
  });
  const store = (...ids: number[]) => {
    for (const id of ids) {
      stored.push(id);
      queue.add(id);
    }
  };
  /** Runs every callback that is ready (the queue's own promise chains), without waiting on any clock. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Lets every started task end, again and again, until nothing is left running. */
  const finishAll = async () => {
    for (let round = 0; round < 100; round++) {
      await settle();
      const open = [...gates.values()];
      gates.clear();
      if (open.length === 0) return Promise.all(tracked);
      for (const end of open) end();
    }
    throw new Error("work never ended");
  };
  const finish = async (id: number) => {
    gates.get(id)?.();
    gates.delete(id);
    await settle();
  };
  return { queue, store, started, finish, finishAll, reads, logged, peak: () => peak, stored };
}

describe("processing queue", () => {
  it("runs at most `limit` at once, in order of arrival, and starts the next when one ends", async () => {
    const h = harness();
    h.store(1, 2, 3);
    expect(h.started).toEqual([1, 2]);
    await h.finish(1);
    expect(h.started).toEqual([1, 2, 3]);
    await h.finishAll();
    expect(h.peak()).toBe(2);
  });

  it("keeps no more than maxWaiting ids in memory and reads the rest back from the table, oldest first", async () => {
    const h = harness();
    // 2 running, 3 waiting, 5 left in the table.
    h.store(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    expect(h.started).toEqual([1, 2]);
    expect(h.reads).toEqual([]);
    await h.finishAll();
    expect(h.started).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.stored).toEqual([]);
    expect(h.reads.every((count) => count === 3)).toBe(true);
  });

  it("does not start an id again that the table still shows while it runs", async () => {
    const h = harness({ maxWaiting: 1 });
    // 1 and 2 run, 3 waits, 4 is left in the table.
    h.store(1, 2, 3, 4);
    await h.finish(1);
    await h.finish(2);
    // 3 runs and is still pending in the table: the read back returns [3], which is already here.
    expect(h.reads).toEqual([1]);
    expect(h.started).toEqual([1, 2, 3]);
    await h.finishAll();
    expect(h.started).toEqual([1, 2, 3, 4]);
  });

  it("takes an id once when a request adds it again", async () => {
    const h = harness({ limit: () => 1 });
    h.store(1, 2);
    h.queue.add(2);
    await h.finishAll();
    expect(h.started).toEqual([1, 2]);
  });

  it("logs a failing task and goes on with the next", async () => {
    const h = harness({
      limit: () => 1,
      process: async (id) => {
        if (id === 1) throw new Error("database gone");
        return undefined;
      },
    });
    h.store(1, 2);
    await h.finishAll();
    expect(h.logged).toEqual(["inbox.processing_failed"]);
  });

  it("leaves the table to the sweep when reading it back fails, without trying again at once", async () => {
    const h = harness({
      maxWaiting: 1,
      unstarted: async () => {
        throw new Error("database gone");
      },
    });
    h.store(1, 2, 3, 4);
    await h.finishAll();
    expect(h.started).toEqual([1, 2, 3]);
    expect(h.logged).toEqual(["inbox.read_back_failed"]);
  });

  it("starts nothing more once stopped: what waits stays in the table", async () => {
    const stop = new AbortController();
    const h = harness({ signal: stop.signal });
    h.store(1, 2, 3, 4);
    stop.abort();
    h.store(5);
    await h.finishAll();
    expect(h.started).toEqual([1, 2]);
    expect(h.stored).toEqual([3, 4, 5]);
  });
});

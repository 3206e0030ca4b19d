// postgres.js's connection queue as installed: patches/postgres+3.4.9.patch (patch-package, postinstall) must be applied.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T;
  remove(x: T): T | null;
}
type QueueFactory = <T>(initial?: T[]) => Queue<T>;

const modules = new URL("../../../node_modules/postgres/", import.meta.url);
const load: Record<string, () => Promise<QueueFactory>> = {
  "ES module build (Node)": async () =>
    ((await import(new URL("src/queue.js", modules).href)) as { default: QueueFactory }).default,
  "Workers build": async () =>
    ((await import(new URL("cf/src/queue.js", modules).href)) as { default: QueueFactory }).default,
  "CommonJS build": async () => createRequire(import.meta.url)(new URL("cjs/src/queue.js", modules).pathname),
};

/** An array that remembers the most slots it ever had; Queue's slices of it stay of this class. */
class MeasuredArray<T> extends Array<T> {
  static most = 0;
  override push(...items: T[]): number {
    const length = super.push(...items);
    MeasuredArray.most = Math.max(MeasuredArray.most, length);
    return length;
  }
}

describe.each(Object.entries(load))("postgres.js queue, %s", (_build, loadQueue) => {
  it("stays as small as its live elements while one of them always waits (an idle pool connection)", async () => {
    const Queue = await loadQueue();
    MeasuredArray.most = 0;
    const queue = Queue(MeasuredArray.from(["idle", "busy"]));
    // A pool with two connections, one taken and given back per query while the other stays idle.
    for (let query = 0; query < 10_000; query++) queue.push(queue.shift());

    expect(queue).toHaveLength(2);
    // The unmended queue kept one dead slot per query: 10,002 slots here.
    expect(MeasuredArray.most, "not patched: see docs/postgres-js-queue-bug.md").toBeLessThan(8);
  });

  it("keeps order and removes what it holds", async () => {
    const Queue = await loadQueue();
    const queue = Queue<string>();
    for (const x of ["a", "b", "c", "d"]) queue.push(x);
    expect(queue.shift()).toBe("a");
    expect(queue.remove("c")).toBe("c");
    expect(queue.remove("a")).toBeNull();
    queue.push("e");
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(["b", "d", "e"]);
    expect(queue).toHaveLength(0);
    queue.push("f");
    expect(queue.shift()).toBe("f");
  });
});

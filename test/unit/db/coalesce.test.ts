import { describe, expect, it } from "vitest";
import { coalesce } from "../../../src/db/coalesce.ts";

/** A statement that answers only when told to, recording each batch it was given. */
function heldStatement() {
  const batches: number[][] = [];
  const open: (() => void)[] = [];
  const run = (batch: number[]) => {
    batches.push(batch);
    return new Promise<number[]>((resolve, reject) => {
      open.push(() =>
        batch.includes(-1) ? reject(new Error("refused")) : resolve(batch.map((n) => n * 10)),
      );
    });
  };
  const answerNext = async () => {
    open.shift()?.();
    // Let the answered calls and the next flush run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { run, batches, answerNext };
}

describe("coalesce", () => {
  it("sends a lone call at once, and the calls made meanwhile together in the next statement", async () => {
    const statement = heldStatement();
    const call = coalesce(statement.run, 10);
    const first = call(1);
    const later = [call(2), call(3), call(4)];
    expect(statement.batches).toEqual([[1]]);
    await statement.answerNext();
    expect(await first).toBe(10);
    expect(statement.batches).toEqual([[1], [2, 3, 4]]);
    await statement.answerNext();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it("puts at most the batch size into one statement", async () => {
    const statement = heldStatement();
    const call = coalesce(statement.run, 2);
    const calls = [1, 2, 3, 4, 5].map((n) => call(n));
    await statement.answerNext();
    await statement.answerNext();
    await statement.answerNext();
    expect(await Promise.all(calls)).toEqual([10, 20, 30, 40, 50]);
    expect(statement.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it("fails only the calls of a failed statement, with its error, and goes on with the next", async () => {
    const statement = heldStatement();
    const call = coalesce(statement.run, 10);
    const first = call(1);
    const failing = [call(-1), call(2)].map((p) => p.then(String, (error: Error) => error.message));
    await statement.answerNext();
    await statement.answerNext();
    expect(await first).toBe(10);
    expect(await Promise.all(failing)).toEqual(["refused", "refused"]);
    const after = call(3);
    await statement.answerNext();
    expect(await after).toBe(30);
    expect(statement.batches).toEqual([[1], [-1, 2], [3]]);
  });
});

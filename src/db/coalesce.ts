// Calls that come while a statement is under way wait and go together in the next one: a burst costs one round
// trip per batch, a lone call goes out at once, and nothing is held back on purpose.

/**
 * Wraps `run`, which answers a batch of inputs in one statement (an answer per input, in order). A failed
 * statement fails every call of its batch with its error.
 */
export function coalesce<I, O>(
  run: (batch: I[]) => Promise<O[]>,
  maxBatch: number,
): (input: I) => Promise<O> {
  let waiting: { input: I; resolve(output: O): void; reject(error: unknown): void }[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const outputs = await run(batch.map((call) => call.input));
        batch.forEach((call, i) => {
          if (i < outputs.length) call.resolve(outputs[i] as O);
          else call.reject(new Error(`a batch of ${batch.length} was answered ${outputs.length} times`));
        });
      } catch (error) {
        for (const call of batch) call.reject(error);
      }
    }
    flushing = false;
  }

  return (input) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!flushing) void flush();
    });
}

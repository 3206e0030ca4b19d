// Runs background tasks a few at a time: a burst of events waits in the inbox instead of crowding out the acks.
export interface WorkQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createWorkQueue(concurrency: number): WorkQueue {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(task) {
      if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
  };
}

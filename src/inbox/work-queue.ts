// Runs background tasks a few at a time, and fewer while acks are being answered: a burst of events waits
// in the inbox instead of crowding out the acks.
export interface WorkQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Starts waiting tasks if the limit has grown since (the last ack of a burst went out). */
  wake(): void;
}

/** `limit` is read each time a task could start. */
export function createWorkQueue(limit: number | (() => number)): WorkQueue {
  const current = typeof limit === "number" ? () => limit : limit;
  let active = 0;
  const waiting: (() => void)[] = [];
  const startWaiting = () => {
    while (waiting.length > 0 && active < current()) {
      active++;
      waiting.shift()?.();
    }
  };
  return {
    async run(task) {
      // A waiting task gets its slot counted when it is handed over; a new one queues behind the waiting.
      if (waiting.length === 0 && active < current()) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        active--;
        startWaiting();
      }
    },
    wake: startWaiting,
  };
}

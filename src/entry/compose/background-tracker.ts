// Background work on Node: every promise handed over is tracked so graceful shutdown can await it.
import type { Logger } from "../../log.ts";

export interface BackgroundTracker {
  track(work: Promise<unknown>): void;
  /** Resolves when every tracked promise has settled, including ones added while waiting. */
  drain(): Promise<void>;
  readonly size: number;
}

export function createBackgroundTracker(log: Logger): BackgroundTracker {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const tracked = work.then(
        () => {},
        (error) => log.error("background.failed", { error }),
      );
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
    },
    async drain() {
      while (pending.size > 0) await Promise.all(pending);
    },
    get size() {
      return pending.size;
    },
  };
}

// The Node sender: drains the outbox over and over, resting a moment whenever nothing is due.
import type { Logger } from "../log.ts";
import { type Outbox, timerSleep } from "./outbox.ts";

export interface OutboxLoop {
  /**
   * The drain in progress claims nothing more; resolves once the rows it holds have finished. Nothing is cut
   * off mid-send, and what is still due waits in the table for the next start.
   */
  stop(): Promise<void>;
}

export interface OutboxLoopOptions {
  outbox: Outbox;
  log: Logger;
  /** Rest between drains: how late a retry or a message enqueued without deliver() may go out. */
  idleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function startOutboxLoop({
  outbox,
  log,
  idleMs = 1_000,
  sleep = timerSleep,
}: OutboxLoopOptions): OutboxLoop {
  let stopped = false;
  const stopping = new AbortController();
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  const running = (async () => {
    while (!stopped) {
      try {
        const counts = await outbox.drain({ signal: stopping.signal });
        if (counts.sent + counts.retried + counts.failed + counts.deferred > 0)
          log.info("outbox.drained", { ...counts });
      } catch (error) {
        // A database hiccup: the rows stay in the table and the next round takes them.
        log.error("outbox.drain_failed", { error });
      }
      if (!stopped) await Promise.race([sleep(idleMs), interrupted]);
    }
  })();
  return {
    stop() {
      stopped = true;
      stopping.abort();
      interrupt();
      return running;
    },
  };
}

// Runs acked messages' work a few at a time. Only ids wait in memory, and at most `maxWaiting` of them:
// beyond that an event waits as its inbox row, and the queue reads such rows back once it has room, so a
// backlog costs rows in the table, not memory in the process.
import type { Logger } from "../log.ts";
import type { ClaimedOnAccept } from "./inbox.ts";

/** Work that goes on after an event is handled: the sends of its stored replies, paced to the limits. */
export interface FollowingWork {
  settled: Promise<unknown>;
}

export interface ProcessingQueueOptions {
  /** How many tasks run at once; read each time one could start. */
  limit: () => number;
  maxWaiting: number;
  /**
   * The work for one event (with the claim its accept made, if it did); resolves when its slot can be freed,
   * with what goes on after that (the reply's send waiting for the platform's limits). A rejection is logged.
   */
  process: (id: number, claimed?: ClaimedOnAccept) => Promise<FollowingWork | undefined>;
  /** Ids of stored events nobody has started yet, oldest first, at most `count`. */
  unstarted: (count: number) => Promise<number[]>;
  /** Keeps started work alive and tracked (a tracker on Node, waitUntil on Workers). */
  background: (work: Promise<unknown>) => void;
  /** Once aborted nothing more starts: what waits stays in the table for the next start or the sweep. */
  signal?: AbortSignal;
  log: Logger;
}

export interface ProcessingQueue {
  /**
   * Whether a newly stored event would wait here rather than in the table: only then is it worth storing it
   * claimed (an event added with its claim is never left to the table).
   */
  hasRoom(): boolean;
  /** A newly stored event: started when a slot is free. */
  add(id: number, claimed?: ClaimedOnAccept): void;
  /** Starts waiting work if the limit has grown since (the last ack of a burst went out). */
  wake(): void;
}

export function createProcessingQueue(options: ProcessingQueueOptions): ProcessingQueue {
  const { limit, maxWaiting, process, unstarted, background, signal, log } = options;
  const waiting: { id: number; claimed?: ClaimedOnAccept }[] = [];
  /** Waiting or running: an id read back from the table while it is already here is not taken twice. */
  const here = new Set<number>();
  let active = 0;
  /** Some event was left to the table for want of room, and has not been read back yet. */
  let leftInTable = false;
  let reading = false;
  /** The last read back found only ids already running: read again once one of them has ended. */
  let readOnlyRunning = false;

  async function runOne(id: number, claimed?: ClaimedOnAccept): Promise<void> {
    try {
      const following = await process(id, claimed);
      if (following) background(following.settled);
    } catch (error) {
      log.error("inbox.processing_failed", { id, error });
    } finally {
      active--;
      here.delete(id);
      readOnlyRunning = false;
      startWaiting();
    }
  }

  function readBack(): void {
    reading = true;
    leftInTable = false;
    const read = async () => {
      try {
        const ids = await unstarted(maxWaiting);
        // A full page means more may be there; a short one means the table had nothing more to give.
        if (ids.length === maxWaiting) leftInTable = true;
        const fresh = ids.filter((id) => !here.has(id));
        readOnlyRunning = fresh.length === 0;
        for (const id of fresh) {
          here.add(id);
          waiting.push({ id });
        }
      } catch (error) {
        // The rows keep their leases: the sweep takes them when those run out.
        log.warn("inbox.read_back_failed", { error });
      } finally {
        reading = false;
        startWaiting();
      }
    };
    background(read());
  }

  function startWaiting(): void {
    if (signal?.aborted) return;
    while (waiting.length > 0 && active < limit()) {
      const { id, claimed } = waiting.shift() as (typeof waiting)[number];
      active++;
      background(runOne(id, claimed));
    }
    if (waiting.length === 0 && leftInTable && !reading && !readOnlyRunning && active < limit()) readBack();
  }

  return {
    hasRoom: () => waiting.length < maxWaiting && !signal?.aborted,
    add(id, claimed) {
      if (here.has(id) || signal?.aborted) return;
      // Room was there when the event was stored claimed; accepts under way together may go a little over.
      if (waiting.length >= maxWaiting && !claimed) {
        leftInTable = true;
        return;
      }
      here.add(id);
      waiting.push(claimed ? { id, claimed } : { id });
      startWaiting();
    },
    wake: startWaiting,
  };
}

// The inbox sweep: runs again every event whose work did not finish (a crash after the ack, a failure).
import type { EventHandler } from "../events/event-handler.ts";
import type { Logger } from "../log.ts";
import type { Inbox } from "./inbox.ts";

const BATCH = 100;

export async function sweepInbox({
  inbox,
  handler,
  log,
}: {
  inbox: Inbox;
  handler: EventHandler;
  log: Logger;
}): Promise<{ done: number; failed: number }> {
  const counts = { done: 0, failed: 0 };
  /** The replies' sends, paced to the limits: the sweep ends when they have, not one event at a time. */
  const sends: Promise<unknown>[] = [];
  // Batch after batch until none is full: a crash can leave far more than one batch behind, and the next
  // sweep is a minute away. Every event taken gets a new lease (done, failed or claimed elsewhere), so each
  // batch holds new ones; a batch that moved nothing ends the sweep all the same.
  for (;;) {
    const ids = await inbox.due(BATCH);
    const before = counts.done + counts.failed;
    for (const id of ids) {
      const outcome = await inbox.process(id, async (event, attempt) => {
        if (event.kind === "message") {
          sends.push((await handler.message(event, attempt)).settled);
          return;
        }
        // The click's callback answer is long gone: show the result by updating the card.
        const result = await handler.action(event);
        await handler.actionFollowUp(event, result);
      });
      if (outcome.status === "done") counts.done++;
      if (outcome.status === "failed") counts.failed++;
    }
    if (ids.length < BATCH || counts.done + counts.failed === before) break;
  }
  await Promise.all(sends);
  if (counts.done + counts.failed > 0) log.info("inbox.swept", counts);
  return counts;
}

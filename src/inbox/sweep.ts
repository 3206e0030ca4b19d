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
  for (const id of await inbox.due(BATCH)) {
    const outcome = await inbox.process(id, async (event) => {
      if (event.kind === "message") return handler.message(event);
      // The click's callback answer is long gone: show the result by updating the card.
      const result = await handler.action(event);
      await handler.actionFollowUp(event, result);
    });
    if (outcome.status === "done") counts.done++;
    if (outcome.status === "failed") counts.failed++;
  }
  if (counts.done + counts.failed > 0) log.info("inbox.swept", counts);
  return counts;
}

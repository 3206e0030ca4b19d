// Sends the alert notices that are due: notice n of an alert goes out once, keyed alert:<kind>:<entity>:<level>:<n>.
import { and, asc, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts } from "../../db/schema/index.ts";
import type { Outbox, OutboxCounts } from "../../outbox/outbox.ts";
import { enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { alertCard } from "./card.ts";
import { goesToManagers, noticeKeyPrefix } from "./levels.ts";
import { alertRecipients } from "./recipients.ts";
import type { AlertRow } from "./store.ts";
import type { AlertTiming } from "./timing.ts";

export interface NoticeDeps {
  db: Db;
  outbox: Outbox;
  timezone: string;
  timing: AlertTiming;
}

/**
 * Claims notice n of one alert (sent_count still n, still due and open) and stores its outbox rows in the
 * same transaction; another instance on the same tick finds sent_count moved on and stores nothing.
 */
async function claimNotice(deps: NoticeDeps, alert: AlertRow, now: Date): Promise<string[] | undefined> {
  const n = alert.sentCount;
  return deps.db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(alerts)
      .set({
        sentCount: n + 1,
        notifyAt: deps.timing.nextRepeat(now),
        firstSentAt: alert.firstSentAt ?? now,
        escalateAt: goesToManagers(alert.level)
          ? null
          : (alert.escalateAt ?? deps.timing.escalationDue(alert.firstSentAt ?? now)),
      })
      .where(
        and(
          eq(alerts.id, alert.id),
          eq(alerts.sentCount, n),
          lte(alerts.notifyAt, now),
          isNull(alerts.ackedAt),
          isNull(alerts.closedAt),
        ),
      )
      .returning();
    if (!claimed) return undefined;
    const recipients = await alertRecipients(tx, goesToManagers(claimed.level));
    const card = alertCard(claimed, { now, timezone: deps.timezone });
    const items = fanOutItems(noticeKeyPrefix(claimed, n), recipients, { type: "card", card });
    return enqueueFanOut(deps.outbox, items, tx);
  });
}

/** Stores and sends every notice due at `now` (or only those of `ids`); returns the outbox keys and counts. */
export async function sendDueNotices(
  deps: NoticeDeps,
  now: Date,
  ids?: readonly number[],
): Promise<{ notices: number; keys: string[]; counts: OutboxCounts }> {
  if (ids?.length === 0) return { notices: 0, keys: [], counts: await deps.outbox.deliver([]) };
  const due = await deps.db
    .select()
    .from(alerts)
    .where(
      and(
        lte(alerts.notifyAt, now),
        isNull(alerts.ackedAt),
        isNull(alerts.closedAt),
        ids ? inArray(alerts.id, [...ids]) : undefined,
      ),
    )
    .orderBy(asc(alerts.raisedAt), asc(alerts.id));
  const keys: string[] = [];
  let notices = 0;
  for (const alert of due) {
    const stored = await claimNotice(deps, alert, now);
    if (stored === undefined) continue;
    notices++;
    keys.push(...stored);
  }
  const counts = await deps.outbox.deliver(keys);
  return { notices, keys, counts };
}

// Sends the alert notices that are due, in batches: notice n of an alert goes out once, keyed alert:<kind>:<entity>:<level>:<n>.
import { and, asc, eq, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { inJsonList } from "../../db/any-of.ts";
import type { Db } from "../../db/database.ts";
import { alerts } from "../../db/schema/index.ts";
import type { Outbox, OutboxCounts } from "../../outbox/outbox.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { type Recipient, subscribedRecipients } from "../notifications/recipients.ts";
import { alertEntityId, goesToManagers, noticeKeyPrefix } from "./levels.ts";
import { managerRecipients, peopleRecipients } from "./recipients.ts";
import { type AlertRow, alertFacts } from "./store.ts";
import type { AlertTiming } from "./timing.ts";
import { urgentItems } from "./urgent.ts";

export interface NoticeDeps {
  db: Db;
  outbox: Outbox;
  timezone: string;
  timing: AlertTiming;
  /** The notice of an alert as it stands at `now` (commands/alerts draws it). */
  draw: (alert: AlertRow, now: Date, timezone: string) => DrawnMessage;
  /** OPS_URGENT=on: the top of the ladder also goes out as the platforms' urgent notice (urgent.ts). */
  urgent?: boolean;
}

/** Outbox rows per transaction at most: well under the bind parameters one INSERT may carry. */
const OUTBOX_ROWS_PER_BATCH = 2000;

/** `case id when … then … end` over the alerts of one batch: a per-alert value in a single UPDATE. */
const perAlert = (batch: readonly AlertRow[], value: (alert: AlertRow) => SQL) =>
  sql`case ${alerts.id} ${sql.join(
    batch.map((alert) => sql`when ${alert.id} then ${value(alert)}`),
    sql` `,
  )} end`;

interface AlertRecipients {
  groups: Recipient[];
  withManagers: Recipient[];
  /** Each manager's direct chats alone: who an urgent notice goes to. */
  managers: Recipient[];
  /** The direct chats of each overdue task's owner. */
  owners: Map<number, Recipient[]>;
}

/** Reviews and escalations go to the managers as well, an overdue task to its owner as well. */
function recipientsOf(alert: AlertRow, recipients: AlertRecipients): Recipient[] {
  const base = goesToManagers(alert.level) ? recipients.withManagers : recipients.groups;
  const facts = alertFacts(alert);
  if (facts.type !== "task") return base;
  const owner = (recipients.owners.get(facts.ownerPersonId) ?? []).filter(
    (direct) => !base.some((other) => other.platform === direct.platform && other.chatId === direct.chatId),
  );
  return [...base, ...owner];
}

/**
 * Claims notice n of each alert of `batch` (sent_count still n, still due and open) and stores their outbox
 * rows in the same transaction; another instance on the same tick finds sent_count moved on and stores
 * nothing for that alert.
 */
async function claimNotices(
  deps: NoticeDeps,
  batch: readonly AlertRow[],
  recipients: AlertRecipients,
  now: Date,
): Promise<{ claimed: number; keys: string[] }> {
  const { timing } = deps;
  const position = new Map(batch.map((alert, index) => [alert.id, index]));
  return deps.db.transaction(async (tx) => {
    const claimed = await tx
      .update(alerts)
      .set({
        sentCount: sql`${alerts.sentCount} + 1`,
        notifyAt: timing.nextRepeat(now),
        firstSentAt: sql`coalesce(${alerts.firstSentAt}, ${now.toISOString()}::timestamptz)`,
        escalateAt: perAlert(batch, (alert) => {
          const at = goesToManagers(alert.level)
            ? null
            : (alert.escalateAt ?? timing.escalationDue(alert.firstSentAt ?? now));
          return sql`${at?.toISOString() ?? null}::timestamptz`;
        }),
      })
      .where(
        and(
          inJsonList(
            alerts.id,
            batch.map((alert) => alert.id),
          ),
          eq(
            alerts.sentCount,
            perAlert(batch, (alert) => sql`${alert.sentCount}::int`),
          ),
          lte(alerts.notifyAt, now),
          isNull(alerts.ackedAt),
          isNull(alerts.closedAt),
        ),
      )
      .returning();
    // In the order they were read (raised first), as the outbox sends each destination's rows in id order.
    claimed.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
    const items = claimed.flatMap((alert) => {
      const prefix = noticeKeyPrefix(alert, alert.sentCount - 1);
      const message = deps.draw(alert, now, deps.timezone);
      const notices = fanOutItems(prefix, recipientsOf(alert, recipients), message);
      if (!deps.urgent || !goesToManagers(alert.level)) return notices;
      // Keyed without the notice's number: a repeat of the notice urges nobody again.
      const urgent = urgentItems(
        `urgent:${alertEntityId(alert)}`,
        prefix,
        recipients.managers,
        message,
        timing.release(now, false),
      );
      return [...notices, ...urgent];
    });
    return { claimed: claimed.length, keys: await enqueueFanOut(deps.outbox, items, tx) };
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
  if (due.length > 0) {
    const groups = await subscribedRecipients(deps.db, "alerts");
    const owners = await peopleRecipients(
      deps.db,
      due.flatMap((alert) => {
        const facts = alertFacts(alert);
        return facts.type === "task" ? [facts.ownerPersonId] : [];
      }),
    );
    const managers = await managerRecipients(deps.db);
    const recipients = { groups, withManagers: [...groups, ...managers], managers, owners };
    const perBatch = Math.max(
      1,
      Math.floor(
        OUTBOX_ROWS_PER_BATCH /
          Math.max(
            1,
            recipients.withManagers.length +
              Math.max(0, ...[...owners.values()].map((r) => r.length)) +
              // An urgent notice per manager on Lark and one DING, at most.
              (deps.urgent ? managers.length + 1 : 0),
          ),
      ),
    );
    for (let from = 0; from < due.length; from += perBatch) {
      const stored = await claimNotices(deps, due.slice(from, from + perBatch), recipients, now);
      notices += stored.claimed;
      keys.push(...stored.keys);
    }
  }
  const counts = await deps.outbox.deliver(keys);
  return { notices, keys, counts };
}

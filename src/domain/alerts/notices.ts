// Sends the alert notices that are due, in batches: notice n of an alert goes out once, keyed alert:<kind>:<entity>:<level>:<n>.
import { and, asc, desc, inArray, isNull, lte, sql } from "drizzle-orm";
import { inJsonList } from "../../db/any-of.ts";
import { type Db, rowsOf } from "../../db/database.ts";
import { alerts } from "../../db/schema/index.ts";
import type { Outbox, OutboxCounts } from "../../outbox/outbox.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { type Recipient, subscribedRecipients } from "../notifications/recipients.ts";
import { alertEntityId, goesToManagers, NOTICE_KEY_START, noticeKeyPrefix, rankSql } from "./levels.ts";
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

/** Outbox rows per transaction at most (they go as one JSON parameter): a few megabytes a statement. */
const OUTBOX_ROWS_PER_BATCH = 5000;
/**
 * Notices handed to the outbox to send at once; the rest wait in its table for the drain, which sends them at
 * the platform's pace. Holding thousands in memory (a first sweep) would only hand most of them back unsent,
 * one statement each, once past the outbox's horizon: a few minutes' worth of a chat's limit is plenty.
 */
const NOTICES_SENT_AT_ONCE = 200;
/**
 * Notice rows that may wait unsent in the outbox at once: a minute of Lark's per-app cap. In a storm (a first
 * sweep raising thousands) the other notices stay due in the alerts table, where an ack or a condition that ended
 * still stops them, and each sweep tops the outbox up as the platforms take what it holds, gravest first.
 */
const NOTICE_ROWS_WAITING_AT_MOST = 1000;

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
  // Most alerts of a batch were first sent at the same instant (or are sent first now): one calendar sum each.
  const escalationDue = new Map<number, Date>();
  const escalateAt = (alert: AlertRow): Date | null => {
    if (goesToManagers(alert.level)) return null;
    if (alert.escalateAt) return alert.escalateAt;
    const from = alert.firstSentAt ?? now;
    const due = escalationDue.get(from.getTime()) ?? timing.escalationDue(from);
    escalationDue.set(from.getTime(), due);
    return due;
  };
  const claims = JSON.stringify(
    batch.map((alert) => ({
      id: alert.id,
      sent_count: alert.sentCount,
      escalate_at: escalateAt(alert)?.toISOString() ?? null,
    })),
  );
  return deps.db.transaction(async (tx) => {
    const updated = await tx.execute(sql`
      update ${alerts} set
          sent_count = ${alerts.sentCount} + 1,
          notify_at = ${timing.nextRepeat(now).toISOString()}::timestamptz,
          first_sent_at = coalesce(${alerts.firstSentAt}, ${now.toISOString()}::timestamptz),
          escalate_at = claim.escalate_at
        from jsonb_to_recordset(${claims}::jsonb) as claim(id int, sent_count int, escalate_at timestamptz)
        where ${alerts.id} = claim.id and ${alerts.sentCount} = claim.sent_count
          and ${lte(alerts.notifyAt, now)} and ${isNull(alerts.ackedAt)} and ${isNull(alerts.closedAt)}
        returning ${alerts.id}`);
    const ids = rowsOf<{ id: number }>(updated).map((row) => Number(row.id));
    const claimed = ids.length === 0 ? [] : await tx.select().from(alerts).where(inJsonList(alerts.id, ids));
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

/**
 * Stores the notices due at `now` (or only those of `ids`) in the outbox, escalations and safety first, as many
 * as fit beside what already waits there; returns how many and their keys.
 */
export async function storeDueNotices(
  deps: NoticeDeps,
  now: Date,
  ids?: readonly number[],
): Promise<{ notices: number; keys: string[] }> {
  const room = ids
    ? Number.POSITIVE_INFINITY
    : NOTICE_ROWS_WAITING_AT_MOST - (await deps.outbox.waiting(NOTICE_KEY_START));
  if (ids?.length === 0 || room <= 0) return { notices: 0, keys: [] };
  const query = deps.db
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
    .orderBy(desc(rankSql(sql`${alerts.level}`)), desc(alerts.safety), asc(alerts.raisedAt), asc(alerts.id));
  // Each notice is one row at least, so no more alerts than there is room for rows are needed.
  const due = ids ? await query : await query.limit(room);
  const keys: string[] = [];
  let notices = 0;
  if (due.length === 0) return { notices, keys };
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
  const urgentRows = deps.urgent ? managers.length + 1 : 0;
  const rowsOf = (alert: AlertRow) =>
    recipientsOf(alert, recipients).length + (goesToManagers(alert.level) ? urgentRows : 0);
  const fitting = takeWhileRoom(due, rowsOf, room);
  let batch: AlertRow[] = [];
  let batchRows = 0;
  for (const alert of fitting) {
    // Outbox rows per transaction at most: they go as one JSON parameter.
    if (batch.length > 0 && batchRows + rowsOf(alert) > OUTBOX_ROWS_PER_BATCH) {
      const stored = await claimNotices(deps, batch, recipients, now);
      notices += stored.claimed;
      keys.push(...stored.keys);
      batch = [];
      batchRows = 0;
    }
    batch.push(alert);
    batchRows += rowsOf(alert);
  }
  if (batch.length > 0) {
    const stored = await claimNotices(deps, batch, recipients, now);
    notices += stored.claimed;
    keys.push(...stored.keys);
  }
  return { notices, keys };
}

/** The first alerts whose rows fit in `room`; the first always does while there is any room, however many it has. */
function takeWhileRoom(
  due: readonly AlertRow[],
  rowsOf: (alert: AlertRow) => number,
  room: number,
): AlertRow[] {
  const taken: AlertRow[] = [];
  let used = 0;
  for (const alert of due) {
    const rows = rowsOf(alert);
    if (used >= room || (taken.length > 0 && used + rows > room)) break;
    taken.push(alert);
    used += rows;
  }
  return taken;
}

/** Sends the first of these notices now (the outbox's drain takes the rest); settles with their outcomes. */
export const sendStoredNotices = (outbox: Outbox, keys: readonly string[]): Promise<OutboxCounts> =>
  outbox.deliver(keys.slice(0, NOTICES_SENT_AT_ONCE));

/** Stores and sends every notice due at `now` (or only those of `ids`); returns the outbox keys and counts. */
export async function sendDueNotices(
  deps: NoticeDeps,
  now: Date,
  ids?: readonly number[],
): Promise<{ notices: number; keys: string[]; counts: OutboxCounts }> {
  const { notices, keys } = await storeDueNotices(deps, now, ids);
  return { notices, keys, counts: await sendStoredNotices(deps.outbox, keys) };
}

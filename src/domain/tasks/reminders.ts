// Sends the task reminders that are due: to the owner directly, else into the chat the task was created in.
import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { tasks } from "../../db/schema/index.ts";
import type { Outbox, OutboxCounts } from "../../outbox/outbox.ts";
import { peopleRecipients } from "../alerts/recipients.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { chatRecipient, type Recipient } from "../notifications/recipients.ts";
import { findTask, type Task } from "./store.ts";

export interface ReminderDeps {
  db: Db;
  outbox: Outbox;
  /** The reminder of a task as it stands (commands/tasks draws it). */
  draw: (task: Task) => DrawnMessage;
}

/** The outbox key prefix of a reminder: one per task and reminder time, so a snoozed task is reminded again. */
export const reminderKeyPrefix = (number: string, remindAt: Date): string =>
  `task-reminder:${number}:${remindAt.toISOString()}`;

async function whereToRemind(db: Db, task: Task, direct: Recipient[]): Promise<Recipient[]> {
  if (direct.length > 0) return direct;
  if (!task.platform || !task.chatId) return [];
  const chat = await chatRecipient(db, task.platform as PlatformId, { id: task.chatId, kind: "group" });
  return chat ? [chat] : [];
}

/**
 * Claims each due reminder (its remind_at still what was read) and stores its outbox rows in the same
 * transaction, so two instances on the same tick send it once; returns how many and the delivery counts.
 */
export async function sendDueReminders(
  deps: ReminderDeps,
  now: Date,
): Promise<{ reminded: number; counts: OutboxCounts }> {
  const { db } = deps;
  const due = await db
    .select({ number: tasks.number, remindAt: tasks.remindAt })
    .from(tasks)
    .where(and(eq(tasks.status, "open"), isNotNull(tasks.remindAt), lte(tasks.remindAt, now)))
    .orderBy(asc(tasks.remindAt), asc(tasks.id));
  const keys: string[] = [];
  let reminded = 0;
  for (const { number, remindAt } of due) {
    const task = await findTask(db, number);
    if (!task || !remindAt) continue;
    const direct = (await peopleRecipients(db, [task.ownerId])).get(task.ownerId) ?? [];
    const recipients = await whereToRemind(db, task, direct);
    const stored = await db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(tasks)
        .set({ remindAt: null, remindedAt: now })
        .where(and(eq(tasks.id, task.id), eq(tasks.remindAt, remindAt)))
        .returning({ id: tasks.id });
      if (!claimed) return null;
      return enqueueFanOut(
        deps.outbox,
        fanOutItems(reminderKeyPrefix(number, remindAt), recipients, deps.draw(task)),
        tx,
      );
    });
    if (stored) {
      reminded++;
      keys.push(...stored);
    }
  }
  return { reminded, counts: await deps.outbox.deliver(keys) };
}

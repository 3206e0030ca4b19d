// Every state change of a task: create (from a command or another area), complete, snooze; one audit row each.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { tasks } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { type LocalDate, localDateOf } from "../calendar/local-time.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar, type WorkingCalendar } from "../calendar/working-calendar.ts";
import { nextNumber } from "../numbering.ts";
import { TASK_SNOOZE_WORKING_HOURS } from "../policy.ts";
import { versionedChange } from "../versioned-change.ts";
import { TaskRefused } from "./refusal.ts";
import { taskReminderAt } from "./reminder-time.ts";
import { findTask, type Task, type TaskRow, type TaskSource } from "./store.ts";

export interface NewTask {
  title: string;
  ownerPersonId: number;
  /** The last day it may be done on, in the timezone below. */
  due: LocalDate;
  /** `{ type: "command", id: <platform message> }` from /task new; other areas name their own thing. */
  source: TaskSource;
  /** The chat it came from, where the reminder goes when the owner cannot be messaged directly. */
  chat?: { platform: string; chatId: string } | undefined;
  timezone: string;
}

async function taskCalendar(db: Db, timezone: string): Promise<WorkingCalendar> {
  return createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
}

/**
 * Creates a task numbered T-<today>-<seq> with its reminder set for the working day before its due date.
 * Every area that gives someone something to do by a date calls this: one reminder engine for all of them.
 */
export async function createTask(db: Db, actor: Actor, input: NewTask): Promise<Task> {
  const title = input.title.trim();
  if (title === "") throw new TaskRefused({ kind: "empty_title" });
  const today = localDateOf(actor.at, input.timezone);
  if (input.due < today) throw new TaskRefused({ kind: "due_in_past", due: input.due, today });
  const calendar = await taskCalendar(db, input.timezone);
  const number = await db.transaction(async (tx) => {
    const number = await nextNumber(tx, "T", actor.at, input.timezone);
    const [row] = await tx
      .insert(tasks)
      .values({
        number,
        title,
        ownerId: input.ownerPersonId,
        dueDate: input.due,
        status: "open",
        sourceType: input.source.type,
        sourceId: input.source.id,
        remindAt: taskReminderAt(input.due, calendar, actor.at),
        platform: input.chat?.platform ?? null,
        chatId: input.chat?.chatId ?? null,
        createdAt: actor.at,
        createdBy: actor.personId,
      })
      .returning();
    await audit(tx, auditEntry(actor, number, "task.created", null, row));
    return number;
  });
  return mustFind(db, number);
}

export interface TaskChange {
  before: Task;
  after: Task;
}

/** Reads the task, lets `decide` refuse or say what to set, writes it only if nobody changed it meanwhile. */
async function change(
  db: Db,
  actor: Actor,
  number: string,
  action: string,
  decide: (current: Task) => Partial<TaskRow>,
): Promise<TaskChange> {
  return versionedChange(
    async () => {
      const before = await findTask(db, number);
      if (!before) throw new TaskRefused({ kind: "not_found", number });
      const set = decide(before);
      const written = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(tasks)
          .set({ ...set, version: before.version + 1 })
          .where(and(eq(tasks.id, before.id), eq(tasks.version, before.version)))
          .returning();
        if (row) await audit(tx, auditEntry(actor, number, action, before, row));
        return row !== undefined;
      });
      return written ? { before, after: await mustFind(db, number) } : undefined;
    },
    () => new TaskRefused({ kind: "busy", number }),
  );
}

/** The owner, whoever created it, a manager or an admin may complete or snooze a task. */
export const mayChangeTask = (actor: Actor, task: Task): boolean =>
  actor.personId === task.ownerId ||
  actor.personId === task.createdBy ||
  actor.roles.includes("manager") ||
  actor.roles.includes("admin");

function refuseUnlessOpenAndAllowed(actor: Actor, task: Task): void {
  if (task.status === "done") throw new TaskRefused({ kind: "already_done", task });
  if (!mayChangeTask(actor, task)) throw new TaskRefused({ kind: "not_allowed", task });
}

/** Done: the reminder is dropped and the sweep clears its overdue alert. */
export const completeTask = (db: Db, actor: Actor, number: string) =>
  change(db, actor, number, "task.done", (current) => {
    refuseUnlessOpenAndAllowed(actor, current);
    return { status: "done", doneAt: actor.at, doneBy: actor.personId, remindAt: null };
  });

/**
 * Marks done the open tasks another area created for one of its things, once that thing no longer needs them
 * (a service recorded, a risk closed); `action` names why in each task's audit row. Pass the area's transaction.
 */
export async function closeTasksOfSource(
  db: Db,
  actor: Actor,
  source: TaskSource,
  action: string,
): Promise<string[]> {
  const closed = await db
    .update(tasks)
    .set({
      status: "done",
      doneAt: actor.at,
      doneBy: actor.personId,
      remindAt: null,
      version: sql`${tasks.version} + 1`,
    })
    .where(and(eq(tasks.sourceType, source.type), eq(tasks.sourceId, source.id), eq(tasks.status, "open")))
    .returning();
  for (const row of closed)
    await audit(db, auditEntry(actor, row.number, action, { status: "open" }, { status: row.status }));
  return closed.map((row) => row.number);
}

/**
 * Snooze pushes the reminder by TASK_SNOOZE_WORKING_HOURS working hours and never the due date: the date
 * is a promise to others, moving it is a new task. The owner is reminded again, even after an earlier one.
 */
export async function snoozeTask(
  db: Db,
  actor: Actor,
  number: string,
  timezone: string,
): Promise<TaskChange> {
  const calendar = await taskCalendar(db, timezone);
  return change(db, actor, number, "task.snoozed", (current) => {
    refuseUnlessOpenAndAllowed(actor, current);
    return {
      remindAt: calendar.addWorkingHours(actor.at, TASK_SNOOZE_WORKING_HOURS).due,
      remindedAt: null,
    };
  });
}

async function mustFind(db: Db, number: string): Promise<Task> {
  const task = await findTask(db, number);
  if (!task) throw new Error(`task ${number} vanished after it was written`);
  return task;
}

const auditEntry = (actor: Actor, number: string, action: string, before: unknown, after: unknown) => ({
  ...auditedBy(actor),
  entityType: "task",
  entityId: number,
  action,
  before,
  after,
});

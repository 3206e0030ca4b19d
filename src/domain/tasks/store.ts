// Reading tasks: one by number with the owner's and creator's names, and the filtered lists.
import { and, asc, count, eq, lt, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import { people, tasks } from "../../db/schema/index.ts";
import type { LocalDate } from "../calendar/local-time.ts";

export type TaskRow = typeof tasks.$inferSelect;
export type TaskStatus = "open" | "done";

/** What created a task: a command, or another area's thing (a plan, a service, a risk plan) by its id. */
export interface TaskSource {
  type: string;
  id: string;
}

export interface Task extends TaskRow {
  status: TaskStatus;
  ownerName: string;
  createdByName: string;
  doneByName: string | null;
}

export type TaskFilter = "open" | "overdue" | "mine";

/** How many tasks a list shows; the total is reported beside it. */
export const TASK_LIST_LIMIT = 20;

const owner = alias(people, "task_owner");
const creator = alias(people, "task_creator");
const finisher = alias(people, "task_finisher");

function selectTasks(db: Db) {
  return db
    .select({
      task: tasks,
      ownerName: owner.displayName,
      createdByName: creator.displayName,
      doneByName: finisher.displayName,
    })
    .from(tasks)
    .innerJoin(owner, eq(owner.id, tasks.ownerId))
    .innerJoin(creator, eq(creator.id, tasks.createdBy))
    .leftJoin(finisher, eq(finisher.id, tasks.doneBy));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectTasks>["execute"]>>[number];

const toTask = ({ task, ...names }: Joined): Task => ({
  ...task,
  status: task.status as TaskStatus,
  ...names,
});

export async function findTask(db: Db, number: string): Promise<Task | undefined> {
  const [row] = await selectTasks(db).where(eq(tasks.number, number));
  return row ? toTask(row) : undefined;
}

/** The tasks another area created for one of its things (a risk's plan, an equipment's service). */
export async function tasksOfSource(db: Db, source: TaskSource): Promise<Task[]> {
  const rows = await selectTasks(db)
    .where(and(eq(tasks.sourceType, source.type), eq(tasks.sourceId, source.id)))
    .orderBy(asc(tasks.id));
  return rows.map(toTask);
}

/** Open tasks by due date: all of them, the overdue ones (due before `today`), or the caller's own. */
export async function listTasks(
  db: Db,
  filter: TaskFilter,
  today: LocalDate,
  personId: number,
): Promise<{ tasks: Task[]; total: number }> {
  const conditions: SQL[] = [eq(tasks.status, "open")];
  if (filter === "overdue") conditions.push(lt(tasks.dueDate, today));
  if (filter === "mine") conditions.push(eq(tasks.ownerId, personId));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    selectTasks(db).where(where).orderBy(asc(tasks.dueDate), asc(tasks.id)).limit(TASK_LIST_LIMIT),
    db.select({ n: count() }).from(tasks).where(where),
  ]);
  return { tasks: rows.map(toTask), total: total?.n ?? 0 };
}

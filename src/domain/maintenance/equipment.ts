// Equipment maintenance: add equipment, record a service, list what is due, and give each service due within a
// week its task (through the one task engine), once per due date.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { equipment } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { addDays, calendarDaysBetween, type LocalDate, localDateOf } from "../calendar/local-time.ts";
import { MAINTENANCE_AHEAD_DAYS } from "../policy.ts";
import { Refused } from "../refused.ts";
import { closeTasksOfSource, createTask } from "../tasks/changes.ts";
import { tasksOfSource } from "../tasks/store.ts";
import { nextServiceSql } from "./next-service.ts";

export type MaintenanceRefusal =
  | { kind: "exists"; code: string }
  | { kind: "not_found"; code: string }
  | { kind: "last_service_in_future"; lastService: LocalDate; today: LocalDate };

export class MaintenanceRefused extends Refused<MaintenanceRefusal> {
  override readonly name = "MaintenanceRefused";

  constructor(refusal: MaintenanceRefusal) {
    super("maintenance", refusal);
  }
}

type EquipmentRow = typeof equipment.$inferSelect;

export interface Equipment {
  code: string;
  name: string;
  everyDays: number;
  lastService: LocalDate;
  nextDue: LocalDate;
  /** Days from today to the next service; negative when it is overdue. */
  daysLeft: number;
  ownerId: number;
}

/** An equipment with the task of its next service, once it has one. */
export interface ScheduledEquipment extends Equipment {
  task?: { number: string; ownerName: string } | undefined;
}

const serviceSource = (code: string, due: LocalDate) => ({ type: "equipment", id: `${code}:${due}` });

async function withTask(db: Db, item: Equipment): Promise<ScheduledEquipment> {
  const [task] = await tasksOfSource(db, serviceSource(item.code, item.nextDue));
  return task ? { ...item, task: { number: task.number, ownerName: task.ownerName } } : item;
}

const nextDueOf = (row: Pick<EquipmentRow, "lastService" | "everyDays">): LocalDate =>
  addDays(row.lastService, row.everyDays);

const toEquipment = (row: EquipmentRow, today: LocalDate): Equipment => {
  const nextDue = nextDueOf(row);
  return {
    code: row.code,
    name: row.name,
    everyDays: row.everyDays,
    lastService: row.lastService,
    nextDue,
    daysLeft: calendarDaysBetween(today, nextDue),
    ownerId: row.ownerId,
  };
};

/** Equipment codes are matched without regard to case or width. */
const normaliseCode = (typed: string): string => typed.normalize("NFKC").trim().toUpperCase();

/**
 * Gives the service of `row` its task when it is due within MAINTENANCE_AHEAD_DAYS and has none yet for that
 * due date. The task is created on behalf of whoever added the equipment; its source names the equipment and date.
 */
async function scheduleOne(db: Db, row: EquipmentRow, now: Date, timezone: string): Promise<boolean> {
  const today = localDateOf(now, timezone);
  const due = nextDueOf(row);
  if (due > addDays(today, MAINTENANCE_AHEAD_DAYS) || row.scheduledDue === due) return false;
  return db.transaction(async (tx) => {
    const claimed = await tx
      .update(equipment)
      .set({ scheduledDue: due })
      .where(and(eq(equipment.id, row.id), sql`${equipment.scheduledDue} is distinct from ${due}`))
      .returning({ id: equipment.id });
    if (claimed.length === 0) return false;
    const actor: Actor = {
      personId: row.createdBy,
      name: "maintenance schedule",
      roles: [],
      platform: "lark",
      platformMessageId: `maintenance:${row.code}:${due}`,
      at: now,
    };
    await createTask(tx, actor, {
      title: `Service ${row.code} ${row.name} / 保养 ${row.code} ${row.name}`,
      ownerPersonId: row.ownerId,
      due: [due, today].sort().at(-1) as LocalDate,
      source: serviceSource(row.code, due),
      timezone,
    });
    return true;
  });
}

/** Every service due within a week that has no task yet gets one; returns how many were created. */
export async function scheduleMaintenance(db: Db, now: Date, timezone: string): Promise<number> {
  const horizon = addDays(localDateOf(now, timezone), MAINTENANCE_AHEAD_DAYS);
  const rows = await db
    .select()
    .from(equipment)
    .where(
      and(
        sql`${nextServiceSql} <= ${horizon}::date`,
        sql`${equipment.scheduledDue} is distinct from ${nextServiceSql}`,
      ),
    )
    .orderBy(asc(equipment.id));
  let created = 0;
  for (const row of rows) if (await scheduleOne(db, row, now, timezone)) created++;
  return created;
}

export interface NewEquipment {
  code: string;
  name: string;
  everyDays: number;
  lastService: LocalDate;
  /** Who owns its maintenance; the actor when absent. */
  ownerPersonId?: number | undefined;
}

/** Adds equipment; a service already due within a week gets its task at once. */
export async function addEquipment(
  db: Db,
  actor: Actor,
  input: NewEquipment,
  timezone: string,
): Promise<ScheduledEquipment> {
  const code = normaliseCode(input.code);
  const today = localDateOf(actor.at, timezone);
  if (input.lastService > today)
    throw new MaintenanceRefused({ kind: "last_service_in_future", lastService: input.lastService, today });
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(equipment)
      .values({
        code,
        name: input.name,
        everyDays: input.everyDays,
        lastService: input.lastService,
        ownerId: input.ownerPersonId ?? actor.personId,
        createdAt: actor.at,
        createdBy: actor.personId,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) throw new MaintenanceRefused({ kind: "exists", code });
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "equipment",
      entityId: code,
      action: "equipment.added",
      after: {
        name: input.name,
        everyDays: input.everyDays,
        lastService: input.lastService,
        ownerId: inserted.ownerId,
      },
    });
    return inserted;
  });
  await scheduleOne(db, row, actor.at, timezone);
  return withTask(db, toEquipment(row, today));
}

/**
 * Records a service done today: the open task of that service is done with it, and the next service counts from
 * today and gets its task when due within a week.
 */
export async function recordService(
  db: Db,
  actor: Actor,
  typedCode: string,
  timezone: string,
): Promise<Equipment> {
  const code = normaliseCode(typedCode);
  const today = localDateOf(actor.at, timezone);
  const row = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(equipment).where(eq(equipment.code, code)).for("update");
    if (!before) throw new MaintenanceRefused({ kind: "not_found", code });
    const [after] = await tx
      .update(equipment)
      .set({ lastService: today })
      .where(eq(equipment.id, before.id))
      .returning();
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "equipment",
      entityId: code,
      action: "equipment.serviced",
      before: { lastService: before.lastService },
      after: { lastService: today },
    });
    // The service just done is the one its task asked for: that task is done with it.
    await closeTasksOfSource(tx, actor, serviceSource(code, nextDueOf(before)), "task.done");
    return after as EquipmentRow;
  });
  await scheduleOne(db, row, actor.at, timezone);
  return withTask(db, toEquipment(row, today));
}

/** All equipment, or only what is due within a week or overdue, soonest first. */
export async function listEquipment(
  db: Db,
  { now, timezone, dueOnly = false }: { now: Date; timezone: string; dueOnly?: boolean },
): Promise<Equipment[]> {
  const today = localDateOf(now, timezone);
  const rows = await db.select().from(equipment).orderBy(asc(nextServiceSql), asc(equipment.code));
  const all = rows.map((row) => toEquipment(row, today));
  return dueOnly ? all.filter((item) => item.daysLeft <= MAINTENANCE_AHEAD_DAYS) : all;
}

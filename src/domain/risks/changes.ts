// Every state change of a risk: raise, plan (its owner gets a task through the task engine), close; audited each.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { risks } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { type LocalDate, localDateOf, startOfLocalDay } from "../calendar/local-time.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../calendar/working-calendar.ts";
import { nextNumber } from "../numbering.ts";
import { RISK_PLAN_DUE_WORKING_DAYS } from "../policy.ts";
import { closeTasksOfSource, createTask } from "../tasks/changes.ts";
import type { Task } from "../tasks/store.ts";
import { RiskRefused } from "./refusal.ts";
import { onRiskScale } from "./score.ts";
import { findRisk, type Risk, type RiskRow } from "./store.ts";

export interface NewRisk {
  likelihood: number;
  impact: number;
  description: string;
  /** The chat it was raised in. */
  chat?: { platform: string; chatId: string } | undefined;
}

/** The tasks of a risk's plan name the risk as their source. */
const planSource = (number: string) => ({ type: "risk", id: number });

export async function raiseRisk(db: Db, actor: Actor, input: NewRisk, timezone: string): Promise<Risk> {
  for (const what of ["likelihood", "impact"] as const)
    if (!onRiskScale(input[what])) throw new RiskRefused({ kind: "out_of_scale", what, value: input[what] });
  const description = input.description.trim();
  if (description === "") throw new RiskRefused({ kind: "empty_text", what: "description" });
  const number = await db.transaction(async (tx) => {
    const number = await nextNumber(tx, "R", actor.at, timezone);
    const [row] = await tx
      .insert(risks)
      .values({
        number,
        description,
        likelihood: input.likelihood,
        impact: input.impact,
        status: "open",
        raisedAt: actor.at,
        raisedBy: actor.personId,
        platform: input.chat?.platform ?? null,
        chatId: input.chat?.chatId ?? null,
      })
      .returning();
    await audit(tx, auditEntry(actor, number, "risk.raised", null, row));
    return number;
  });
  return mustFind(db, number);
}

/** A manager, an admin, or whoever owns the plan now may plan a risk. */
export const mayPlanRisk = (actor: Actor, risk: Pick<RiskRow, "planOwnerId">): boolean =>
  actor.roles.includes("manager") || actor.roles.includes("admin") || actor.personId === risk.planOwnerId;

export interface RiskPlan {
  plan: string;
  /** Who carries it out; they get a task. Without one the plan is recorded and its owner stays as it was. */
  ownerPersonId?: number | undefined;
  /** The day the owner's task is due; RISK_PLAN_DUE_WORKING_DAYS working days from today when absent. */
  due?: LocalDate | undefined;
}

/** Reads the risk under a row lock within `tx`; refuses an unknown or closed one. */
async function lockOpen(tx: Db, number: string): Promise<RiskRow> {
  const [row] = await tx.select().from(risks).where(eq(risks.number, number)).for("update");
  if (!row) throw new RiskRefused({ kind: "not_found", number });
  if (row.status !== "open") throw new RiskRefused({ kind: "closed", number });
  return row;
}

/**
 * Records the plan. With an owner, the plan becomes that owner's task (source: the risk), and a task of an
 * earlier plan still open is done with, replaced by the new one.
 */
export async function planRisk(
  db: Db,
  actor: Actor,
  number: string,
  input: RiskPlan,
  timezone: string,
): Promise<{ risk: Risk; task?: Task | undefined }> {
  const plan = input.plan.trim();
  if (plan === "") throw new RiskRefused({ kind: "empty_text", what: "plan" });
  const today = localDateOf(actor.at, timezone);
  if (input.due && input.due < today) throw new RiskRefused({ kind: "due_in_past", due: input.due, today });
  const due = input.due ?? (await defaultPlanDue(db, today, timezone));
  const task = await db.transaction(async (tx) => {
    const before = await lockOpen(tx, number);
    if (!mayPlanRisk(actor, before)) throw new RiskRefused({ kind: "not_allowed", number });
    const owner = input.ownerPersonId;
    const task =
      owner === undefined
        ? undefined
        : await replacePlanTask(tx, actor, before, { plan, ownerPersonId: owner, due }, timezone);
    const [after] = await tx
      .update(risks)
      .set({
        plan,
        plannedAt: actor.at,
        plannedBy: actor.personId,
        ...(task ? { planOwnerId: task.ownerId, planDue: task.dueDate, planTask: task.number } : {}),
        ...(task === undefined && input.due ? { planDue: input.due } : {}),
        version: before.version + 1,
      })
      .where(eq(risks.id, before.id))
      .returning();
    await audit(tx, auditEntry(actor, number, "risk.planned", planOf(before), after && planOf(after)));
    return task;
  });
  return { risk: await mustFind(db, number), task };
}

async function replacePlanTask(
  tx: Db,
  actor: Actor,
  risk: RiskRow,
  { plan, ownerPersonId, due }: { plan: string; ownerPersonId: number; due: LocalDate },
  timezone: string,
): Promise<Task> {
  await closeTasksOfSource(tx, actor, planSource(risk.number), "task.replaced");
  return createTask(tx, actor, {
    title: `${risk.number} ${plan}`,
    ownerPersonId,
    due,
    source: planSource(risk.number),
    chat: risk.platform && risk.chatId ? { platform: risk.platform, chatId: risk.chatId } : undefined,
    timezone,
  });
}

async function defaultPlanDue(db: Db, today: LocalDate, timezone: string): Promise<LocalDate> {
  const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
  const { due } = calendar.addWorkingDays(startOfLocalDay(today, timezone), RISK_PLAN_DUE_WORKING_DAYS);
  return localDateOf(due, timezone);
}

/** Closes the risk; the open task of its plan is no longer owed and is done with it. */
export async function closeRisk(
  db: Db,
  actor: Actor,
  number: string,
): Promise<{ risk: Risk; closedTasks: string[] }> {
  const closedTasks = await db.transaction(async (tx) => {
    const before = await lockOpen(tx, number);
    await tx
      .update(risks)
      .set({ status: "closed", closedAt: actor.at, closedBy: actor.personId, version: before.version + 1 })
      .where(eq(risks.id, before.id));
    const closedTasks = await closeTasksOfSource(tx, actor, planSource(number), "task.closed_with_risk");
    await audit(
      tx,
      auditEntry(actor, number, "risk.closed", { status: "open" }, { status: "closed", closedTasks }),
    );
    return closedTasks;
  });
  return { risk: await mustFind(db, number), closedTasks };
}

const planOf = (row: RiskRow) => ({
  plan: row.plan,
  planOwnerId: row.planOwnerId,
  planDue: row.planDue,
  planTask: row.planTask,
});

async function mustFind(db: Db, number: string): Promise<Risk> {
  const risk = await findRisk(db, number);
  if (!risk) throw new Error(`risk ${number} vanished after it was written`);
  return risk;
}

const auditEntry = (actor: Actor, number: string, action: string, before: unknown, after: unknown) => ({
  ...auditedBy(actor),
  entityType: "risk",
  entityId: number,
  action,
  before,
  after,
});

// The daily reconciliation: income and expenses of a business day, one record per day; a second one replaces the
// first, audited with both. A working day not reconciled by the next working day's cut-off is an alert.
import { and, eq, gte, inArray, lte, min } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts, people, reconciliations } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import type { AlertCondition } from "../alerts/conditions.ts";
import { audit } from "../audit.ts";
import {
  addDays,
  DAY_MS,
  instantAt,
  type LocalDate,
  localDateOf,
  parseTimeOfDay,
} from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { RECONCILE_BY_TIME, RECONCILE_LOOKBACK_DAYS } from "../policy.ts";
import { type Fen, fenToStored, storedToFen } from "./money.ts";
import { FinanceRefused } from "./refusal.ts";

export interface Reconciliation {
  day: LocalDate;
  income: Fen;
  expense: Fen;
  note: string | null;
  recordedAt: Date;
  recordedByName: string;
}

export interface ReconcileInput {
  day: LocalDate;
  income: Fen;
  expense: Fen;
  note?: string | undefined;
  timezone: string;
}

async function findReconciliation(db: Db, day: LocalDate): Promise<Reconciliation | undefined> {
  const [row] = await db
    .select({ record: reconciliations, recordedByName: people.displayName })
    .from(reconciliations)
    .innerJoin(people, eq(people.id, reconciliations.recordedBy))
    .where(eq(reconciliations.day, day));
  if (!row) return undefined;
  const { record } = row;
  return {
    day: record.day,
    income: storedToFen(record.income),
    expense: storedToFen(record.expense),
    note: record.note,
    recordedAt: record.recordedAt,
    recordedByName: row.recordedByName,
  };
}

const snapshot = (record: Pick<Reconciliation, "income" | "expense" | "note">) => ({
  income: fenToStored(record.income),
  expense: fenToStored(record.expense),
  note: record.note,
});

/**
 * Records a day's income and expenses. A second record for the same day replaces the first rather than being
 * refused: finance corrects a mistyped figure the same way it typed it, and the audit row keeps both.
 */
export async function reconcileDay(
  db: Db,
  actor: Actor,
  input: ReconcileInput,
): Promise<{ saved: Reconciliation; replaced?: Reconciliation }> {
  const today = localDateOf(actor.at, input.timezone);
  if (input.day > today) throw new FinanceRefused({ kind: "future_day", day: input.day, today });
  const note = input.note?.trim() || null;
  const replaced = await db.transaction(async (tx) => {
    await tx.select().from(reconciliations).where(eq(reconciliations.day, input.day)).for("update");
    const before = await findReconciliation(tx, input.day);
    const values = {
      income: fenToStored(input.income),
      expense: fenToStored(input.expense),
      note,
      recordedAt: actor.at,
      recordedBy: actor.personId,
    };
    await tx
      .insert(reconciliations)
      .values({ day: input.day, ...values })
      .onConflictDoUpdate({ target: reconciliations.day, set: values });
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "reconciliation",
      entityId: input.day,
      action: before ? "reconciliation.replaced" : "reconciliation.recorded",
      before: before ? { ...snapshot(before), recordedBy: before.recordedByName } : null,
      after: snapshot({ ...input, note }),
    });
    return before;
  });
  const saved = await findReconciliation(db, input.day);
  if (!saved) throw new Error(`the reconciliation of ${input.day} vanished after it was stored`);
  return { saved, ...(replaced && { replaced }) };
}

/** When a working day's reconciliation is due: the next working day at RECONCILE_BY_TIME. */
function reconciliationDue(day: LocalDate, calendar: WorkingCalendar): { due: Date; provisional: boolean } {
  const next = calendar.nextWorkingDay(day);
  return {
    due: instantAt(next.day, parseTimeOfDay(RECONCILE_BY_TIME), calendar.timezone),
    provisional: next.provisional || calendar.isWorkingDay(day).provisional,
  };
}

/**
 * The working days past their reconciliation deadline (within the look-back, and after the first day ever
 * reconciled) with no reconciliation and no alert yet. Days off are never due; a make-up Saturday is a working
 * day like any other.
 */
export async function missedReconciliations(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  // Days are owed from the first reconciliation recorded on: before it, finance did not reconcile here yet.
  const [first] = await db.select({ day: min(reconciliations.day) }).from(reconciliations);
  if (!first?.day) return [];
  const today = localDateOf(now, calendar.timezone);
  const since = now.getTime() - RECONCILE_LOOKBACK_DAYS * DAY_MS;
  const candidates: { day: LocalDate; due: Date; provisional: boolean }[] = [];
  // A deadline lies at most the longest run of days off after its day: start the search well before the window.
  for (let back = RECONCILE_LOOKBACK_DAYS + 31; back >= 1; back--) {
    const day = addDays(today, -back);
    if (day <= first.day || !calendar.isWorkingDay(day).working) continue;
    const { due, provisional } = reconciliationDue(day, calendar);
    if (due.getTime() <= now.getTime() && due.getTime() > since) candidates.push({ day, due, provisional });
  }
  if (candidates.length === 0) return [];
  const days = candidates.map((candidate) => candidate.day);
  const [done, raised] = await Promise.all([
    db
      .select({ day: reconciliations.day })
      .from(reconciliations)
      .where(and(gte(reconciliations.day, days[0] as string), lte(reconciliations.day, today))),
    db
      .select({ entity: alerts.entity })
      .from(alerts)
      .where(and(eq(alerts.kind, "reconciliation"), inArray(alerts.entity, days))),
  ]);
  const settled = new Set([...done.map((row) => row.day), ...raised.map((row) => row.entity)]);
  return candidates
    .filter((candidate) => !settled.has(candidate.day))
    .map(({ day, due, provisional }) => ({
      kind: "reconciliation",
      entity: day,
      level: "missed",
      safety: false,
      facts: { type: "reconciliation", day, dueAt: due.toISOString(), provisional },
    }));
}

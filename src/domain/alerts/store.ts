// The alerts table: raise once per (kind, entity, level), close what ended or was outranked, escalate the unacked.
import { and, asc, eq, inArray, isNull, lte, not, or, type SQL, sql } from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import { inJsonList } from "../../db/any-of.ts";
import { type Db, rowsOf } from "../../db/database.ts";
import {
  alertRechecks,
  alerts,
  complaints,
  equipment,
  expenses,
  lots,
  orders,
  reconciliations,
  risks,
  stockItems,
  stocktakes,
  tasks,
} from "../../db/schema/index.ts";
import type { Actor } from "../actor.ts";
import { audit } from "../audit.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import { nextNumbers } from "../numbering.ts";
import {
  type AlertCondition,
  type AlertFacts,
  holdingSubjects,
  maintenanceAlertEntity,
  stockAlertEntity,
} from "./conditions.ts";
import {
  type AlertKind,
  alertEntityId,
  type EscalationReason,
  goesToManagers,
  rankOf,
  rankSql,
} from "./levels.ts";
import type { AlertTiming } from "./timing.ts";

export type AlertRow = typeof alerts.$inferSelect;

export const alertFacts = (row: AlertRow): AlertFacts => row.facts as AlertFacts;

/** Alerts per INSERT (one JSON parameter each). */
const INSERT_BATCH = 5000;

/**
 * Gives the alerts just inserted their A- numbers, in id order, inside the transaction that inserted them: only
 * rows really raised take a number, so a rerun that raises nothing uses none up.
 */
async function numberAlerts(tx: Db, raised: readonly { id: number }[], now: Date, timezone: string) {
  if (raised.length === 0) return;
  const ids = raised.map((row) => row.id).sort((a, b) => a - b);
  const numbers = await nextNumbers(tx, "A", ids.length, now, timezone);
  // One JSON parameter joined by id: a CASE with a branch per alert is tried branch by branch for every row.
  const numbered = JSON.stringify(ids.map((id, n) => ({ id, number: numbers[n] })));
  await tx.execute(sql`
    update ${alerts} set number = numbered.number
      from jsonb_to_recordset(${numbered}::jsonb) as numbered(id int, number text)
      where ${alerts.id} = numbered.id`);
}

const pairOf = (alert: { kind: string; entity: string }) => `${alert.kind}\u0000${alert.entity}`;

/** The gravest level ever raised for each (kind, entity) among the conditions' subjects. */
async function raisedRanks(db: Db, conditions: readonly AlertCondition[]): Promise<Map<string, number>> {
  const entitiesByKind = new Map<string, string[]>();
  for (const { kind, entity } of conditions) {
    const entities = entitiesByKind.get(kind);
    if (entities) entities.push(entity);
    else entitiesByKind.set(kind, [entity]);
  }
  const rows = await db
    .select({ kind: alerts.kind, entity: alerts.entity, level: alerts.level })
    .from(alerts)
    .where(
      or(
        ...[...entitiesByKind].map(([kind, entities]) =>
          and(eq(alerts.kind, kind), inJsonList(alerts.entity, entities)),
        ),
      ),
    );
  const ranks = new Map<string, number>();
  for (const row of rows) ranks.set(pairOf(row), Math.max(ranks.get(pairOf(row)) ?? 0, rankOf(row.level)));
  return ranks;
}

/**
 * Inserts the conditions not raised before and closes the open lesser levels the new ones outrank; returns how
 * many of each. A raised alert is never raised again, nor a lesser level once a graver one of its subject
 * exists (a rerun of an older tick finds the warning's time again after the breach was raised).
 */
export async function raiseAlerts(
  db: Db,
  conditions: readonly AlertCondition[],
  now: Date,
  timing: AlertTiming,
): Promise<{ raised: number; superseded: number }> {
  if (conditions.length === 0) return { raised: 0, superseded: 0 };
  const ranks = await raisedRanks(db, conditions);
  const fresh = conditions.filter(
    (condition) => rankOf(condition.level) >= (ranks.get(pairOf(condition)) ?? 0),
  );
  const inserted: { kind: string; entity: string }[] = [];
  const notifyAt = (safety: boolean) => timing.release(now, safety).toISOString();
  for (let from = 0; from < fresh.length; from += INSERT_BATCH) {
    // One JSON parameter per batch: a first sweep raises thousands, one bind parameter per value costs more. The
    // batch is numbered in the transaction that inserts it, so a sweep that raises nothing uses no number.
    const input = JSON.stringify(fresh.slice(from, from + INSERT_BATCH));
    const rows = await db.transaction(async (tx) => {
      const batch = rowsOf<{ id: number; kind: string; entity: string }>(
        await tx.execute(sql`
          insert into ${alerts} (kind, entity, level, safety, facts, raised_at, notify_at)
          select kind, entity, level, safety, facts, ${now.toISOString()}::timestamptz,
                 case when safety then ${notifyAt(true)}::timestamptz else ${notifyAt(false)}::timestamptz end
            from rows from (jsonb_to_recordset(${input}::jsonb)
                as (kind text, entity text, level text, safety boolean, facts jsonb))
              with ordinality as x(kind, entity, level, safety, facts, position)
            order by position
          on conflict do nothing
          returning id, kind, entity`),
      ).map((row) => ({ ...row, id: Number(row.id) }));
      await numberAlerts(tx, batch, now, timing.timezone);
      return batch;
    });
    inserted.push(...rows);
  }
  return { raised: inserted.length, superseded: await supersedeOutranked(db, now, inserted) };
}

const closedBy = (reason: string, now: Date) => ({
  closedAt: now,
  closedReason: reason,
  notifyAt: null,
  escalateAt: null,
});

/** Open (not acked, not closed) and raised by `now`: only those are judged, so a rerun of an older tick cannot close what a later tick raised. */
const openBy = (now: Date, table: Record<"ackedAt" | "closedAt" | "raisedAt", PgColumn> = alerts) =>
  and(isNull(table.ackedAt), isNull(table.closedAt), lte(table.raisedAt, now));

/** The kinds whose conditions are judged in code each tick rather than selected by SQL. */
const JUDGED_KINDS = ["inspection", "system_check"] as const;

/** The kinds whose conditions are judged in SQL, each with the test that its alert's subject still holds. */
function stillHoldingByKind(now: Date, today: LocalDate) {
  const holding = holdingSubjects(now, today);
  const entityIn = (subjects: SQL) => sql`${alerts.entity} in (${subjects})`;
  return {
    response: entityIn(sql`select ${complaints.number} from ${complaints} where ${holding.response}`),
    resolution: entityIn(sql`select ${complaints.number} from ${complaints} where ${holding.resolution}`),
    order: entityIn(sql`select ${orders.number} from ${orders} where ${holding.order}`),
    task: entityIn(sql`select ${tasks.number} from ${tasks} where ${holding.task}`),
    stock: entityIn(sql`select ${stockAlertEntity} from ${stockItems} where ${holding.stock}`),
    maintenance: entityIn(
      sql`select ${maintenanceAlertEntity} from ${equipment} where ${holding.maintenance}`,
    ),
    risk: entityIn(sql`select ${risks.number} from ${risks} where ${holding.risk}`),
    quality: entityIn(sql`select ${lots.number} from ${lots} where ${holding.quality}`),
    stocktake: entityIn(sql`select ${stocktakes.number} from ${stocktakes} where ${holding.stocktake}`),
    // A warehouse not counted in a month (raised by its month-end job) holds until a count of it closes that month.
    stocktake_due: sql`not exists (select 1 from ${stocktakes} where ${stocktakes.status} = 'closed'
      and ${stocktakes.warehouse} || ':' || to_char(${stocktakes.closedOn}, 'YYYY-MM') = ${alerts.entity})`,
    expense: entityIn(sql`select ${expenses.number} from ${expenses} where ${holding.expense}`),
    // A missed reconciliation holds until the day is reconciled, however late.
    reconciliation: sql`${alerts.entity} not in (select to_char(${reconciliations.day}, 'YYYY-MM-DD') from ${reconciliations})`,
  } satisfies Record<Exclude<AlertKind, (typeof JUDGED_KINDS)[number]>, SQL>;
}

type SqlJudgedKind = keyof ReturnType<typeof stillHoldingByKind>;

/**
 * Closes the open alerts whose subject's condition no longer holds ("cleared"); returns how many. Only the kinds
 * whose subjects were written since the last time are judged (alert_rechecks), and those it takes: the subjects
 * still holding are selected by the same SQL that raises alerts. The missed inspections and system checks are
 * judged in code: `clearUnjudged` closes those.
 */
export async function clearEndedAlerts(db: Db, now: Date, today: LocalDate): Promise<number> {
  const stillHolds = stillHoldingByKind(now, today);
  return db.transaction(async (tx) => {
    // The rows of writes committed by now; a write committed later leaves its row for the next sweep.
    const taken = rowsOf<{ kind: string }>(
      await tx.execute(sql`with taken as (delete from ${alertRechecks} returning kind)
        select distinct kind from taken`),
    );
    const kinds = taken
      .map((row) => row.kind)
      .filter((kind): kind is SqlJudgedKind => Object.hasOwn(stillHolds, kind));
    if (kinds.length === 0) return 0;
    const cleared = await closeCleared(
      tx,
      now,
      or(...kinds.map((kind) => and(eq(alerts.kind, kind), not(stillHolds[kind])))),
    );
    // A rerun of an older tick judges only the alerts raised by then: the kinds of the later ones stay marked.
    await tx.execute(sql`insert into ${alertRechecks} (kind)
      select distinct ${alerts.kind} from ${alerts}
      where ${inArray(alerts.kind, kinds)} and ${alerts.raisedAt} > ${now.toISOString()}::timestamptz
        and ${isNull(alerts.ackedAt)} and ${isNull(alerts.closedAt)}`);
    return cleared;
  });
}

/**
 * Closes the open missed inspections and system checks that are not among `judged`, the ones that hold now
 * (a late inspection or check clears its alert); returns how many.
 */
export async function clearUnjudged(db: Db, now: Date, judged: readonly AlertCondition[]): Promise<number> {
  const stillHolds = or(
    ...JUDGED_KINDS.map((kind) =>
      and(
        eq(alerts.kind, kind),
        inArray(
          alerts.entity,
          judged.filter((condition) => condition.kind === kind).map((condition) => condition.entity),
        ),
      ),
    ),
  );
  return closeCleared(db, now, and(inArray(alerts.kind, JUDGED_KINDS), not(stillHolds ?? sql`false`)));
}

async function closeCleared(db: Db, now: Date, ended: SQL | undefined): Promise<number> {
  const cleared = await db
    .update(alerts)
    .set(closedBy("cleared", now))
    .where(and(openBy(now), ended))
    .returning({ id: alerts.id });
  return cleared.length;
}

/**
 * Closes the open alerts of these subjects that a graver open level of the same subject outranks. The sweep
 * passes the subjects it has just raised an alert for: only a new alert can outrank an open one.
 */
async function supersedeOutranked(
  db: Db,
  now: Date,
  subjects: readonly { kind: string; entity: string }[],
): Promise<number> {
  if (subjects.length === 0) return 0;
  const lesser = alias(alerts, "lesser");
  const graver = alias(alerts, "graver");
  // Driven from the subjects list (a lateral index lookup per subject), so that the plan does not depend on
  // statistics of the alerts table that a first sweep has just filled.
  const outranked = sql`select ${lesser.id}
    from jsonb_to_recordset(${JSON.stringify(subjects)}::jsonb) as subject(kind text, entity text)
    cross join lateral (
      select ${lesser.id}, ${lesser.level} from ${alerts} as ${sql.raw('"lesser"')}
      where ${lesser.kind} = subject.kind and ${lesser.entity} = subject.entity and ${openBy(now, lesser)}
    ) as ${sql.raw('"lesser"')}
    where ${rankSql(sql`${lesser.level}`)} < (
      select max(${rankSql(sql`${graver.level}`)}) from ${alerts} as ${sql.raw('"graver"')}
      where ${graver.kind} = subject.kind and ${graver.entity} = subject.entity and ${openBy(now, graver)}
    )`;
  const ids = rowsOf<{ id: number }>(await db.execute(outranked)).map((row) => Number(row.id));
  if (ids.length === 0) return 0;
  const superseded = await db
    .update(alerts)
    .set(closedBy("superseded", now))
    .where(and(inJsonList(alerts.id, ids), openBy(now)))
    .returning({ id: alerts.id });
  return superseded.length;
}

/**
 * Closes `source` as escalated and raises the escalation of its subject, in one transaction. Returns the
 * new escalation's id, or undefined when the source was no longer open or its subject had already been
 * escalated (the source is closed then too: its subject is with the managers).
 */
export async function escalateAlert(
  db: Db,
  source: AlertRow,
  escalation: { reason: EscalationReason; by?: Actor; now: Date; timing: AlertTiming },
): Promise<number | undefined> {
  const { now, timing } = escalation;
  return db.transaction(async (tx) => {
    const closed = await tx
      .update(alerts)
      .set({ ...closedBy("escalated", now), version: source.version + 1 })
      .where(
        and(
          eq(alerts.id, source.id),
          eq(alerts.version, source.version),
          isNull(alerts.closedAt),
          isNull(alerts.ackedAt),
        ),
      )
      .returning({ id: alerts.id });
    if (closed.length === 0) return undefined;
    const facts: AlertFacts = {
      ...alertFacts(source),
      escalation: {
        reason: escalation.reason,
        from: source.level,
        ...(escalation.by ? { by: escalation.by.name } : {}),
      },
    };
    const [raised] = await tx
      .insert(alerts)
      .values({
        kind: source.kind,
        entity: source.entity,
        level: "escalation",
        safety: source.safety,
        facts,
        raisedAt: now,
        notifyAt: timing.release(now, source.safety),
      })
      .onConflictDoNothing()
      .returning({ id: alerts.id });
    if (!raised) return undefined;
    await numberAlerts(tx, [raised], now, timing.timezone);
    const by = escalation.by;
    await audit(tx, {
      at: now,
      actorPersonId: by?.personId ?? null,
      platform: by?.platform,
      platformMessageId: by?.platformMessageId,
      entityType: "alert",
      entityId: alertEntityId(source),
      action: "alert.escalated",
      before: { level: source.level, sentCount: source.sentCount },
      after: { escalationId: raised.id, reason: escalation.reason },
    });
    return raised.id;
  });
}

/** Escalates every alert unacked past its escalation time; returns how many were escalated. */
export async function escalateUnacked(db: Db, now: Date, timing: AlertTiming): Promise<number> {
  const due = await db
    .select()
    .from(alerts)
    .where(and(lte(alerts.escalateAt, now), isNull(alerts.ackedAt), isNull(alerts.closedAt)))
    .orderBy(asc(alerts.id));
  let escalated = 0;
  for (const source of due) {
    if (goesToManagers(source.level)) continue;
    if ((await escalateAlert(db, source, { reason: "unacked", now, timing })) !== undefined) escalated++;
  }
  return escalated;
}

export async function findAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  return row;
}

/** The alert of an A- number, as /ack, /snooze and /escalate name it. */
export async function findAlertByNumber(db: Db, number: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.number, number));
  return row;
}

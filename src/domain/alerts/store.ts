// The alerts table: raise once per (kind, entity, level), close what ended or was outranked, escalate the unacked.
import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts } from "../../db/schema/index.ts";
import { audit } from "../audit.ts";
import type { AlertCondition, AlertFacts } from "./conditions.ts";
import { alertEntityId, type EscalationReason, goesToManagers, rankOf } from "./levels.ts";
import type { AlertTiming } from "./timing.ts";

export type AlertRow = typeof alerts.$inferSelect;

export const alertFacts = (row: AlertRow): AlertFacts => row.facts as AlertFacts;

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
          and(eq(alerts.kind, kind), inArray(alerts.entity, entities)),
        ),
      ),
    );
  const ranks = new Map<string, number>();
  for (const row of rows) ranks.set(pairOf(row), Math.max(ranks.get(pairOf(row)) ?? 0, rankOf(row.level)));
  return ranks;
}

/**
 * Inserts the conditions not raised before; returns how many are new. A raised alert is never raised again,
 * nor a lesser level once a graver one of its subject exists (a rerun of an older tick finds the warning's
 * time again after the breach was raised).
 */
export async function raiseAlerts(
  db: Db,
  conditions: readonly AlertCondition[],
  now: Date,
  timing: AlertTiming,
): Promise<number> {
  if (conditions.length === 0) return 0;
  const ranks = await raisedRanks(db, conditions);
  const fresh = conditions.filter(
    (condition) => rankOf(condition.level) >= (ranks.get(pairOf(condition)) ?? 0),
  );
  if (fresh.length === 0) return 0;
  const inserted = await db
    .insert(alerts)
    .values(
      fresh.map((condition) => ({
        ...condition,
        raisedAt: now,
        notifyAt: timing.release(now, condition.safety),
      })),
    )
    .onConflictDoNothing()
    .returning({ id: alerts.id });
  return inserted.length;
}

const closedBy = (reason: string, now: Date) => ({
  closedAt: now,
  closedReason: reason,
  notifyAt: null,
  escalateAt: null,
});

/**
 * Closes open alerts whose condition no longer holds ("cleared") and those outranked by a graver level of the
 * same subject ("superseded"). Only alerts raised by `now` are judged, so a rerun of an older tick cannot
 * close what a later tick raised.
 */
export async function closeEndedAlerts(
  db: Db,
  conditions: readonly AlertCondition[],
  now: Date,
): Promise<{ cleared: number; superseded: number }> {
  const open = await db
    .select({ id: alerts.id, kind: alerts.kind, entity: alerts.entity, level: alerts.level })
    .from(alerts)
    .where(and(isNull(alerts.ackedAt), isNull(alerts.closedAt), lte(alerts.raisedAt, now)));
  const topRank = new Map<string, number>();
  for (const alert of open) {
    const pair = pairOf(alert);
    topRank.set(pair, Math.max(topRank.get(pair) ?? 0, rankOf(alert.level)));
  }
  const holding = new Set(conditions.map(pairOf));
  const cleared = open.filter((alert) => !holding.has(pairOf(alert))).map((alert) => alert.id);
  const superseded = open
    .filter((alert) => holding.has(pairOf(alert)) && rankOf(alert.level) < (topRank.get(pairOf(alert)) ?? 0))
    .map((alert) => alert.id);
  const close = async (ids: number[], reason: string) => {
    if (ids.length === 0) return;
    await db
      .update(alerts)
      .set(closedBy(reason, now))
      .where(and(inArray(alerts.id, ids), isNull(alerts.closedAt), isNull(alerts.ackedAt)));
  };
  await close(cleared, "cleared");
  await close(superseded, "superseded");
  return { cleared: cleared.length, superseded: superseded.length };
}

/** Who pressed Escalate, from which platform message: the escalation's audit row. */
export interface EscalatingPerson {
  personId: number;
  name: string;
  platform: string;
  platformMessageId: string;
}

/**
 * Closes `source` as escalated and raises the escalation of its subject, in one transaction. Returns the
 * new escalation's id, or undefined when the source was no longer open or its subject had already been
 * escalated (the source is closed then too: its subject is with the managers).
 */
export async function escalateAlert(
  db: Db,
  source: AlertRow,
  escalation: { reason: EscalationReason; by?: EscalatingPerson; now: Date; timing: AlertTiming },
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

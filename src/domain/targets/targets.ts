// Targets: set (replacing the one of the same metric, period and department, audited) and listed.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { targets } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import type { Kpis } from "../kpi/compute.ts";
import { findMetric, type Metric, meetsTarget } from "./metrics.ts";

export const TARGET_PERIODS = ["day", "week", "month"] as const;
export type TargetPeriod = (typeof TARGET_PERIODS)[number];

export interface Target {
  metric: string;
  period: TargetPeriod;
  /** "" for the company as a whole. */
  department: string;
  /** A count, or a rate as a share 0–1. */
  value: number;
  ownerName: string | null;
}

/** Sets a target; one of the same metric, period and department is replaced, the audit row keeps it. */
export async function setTarget(db: Db, actor: Actor, target: Target): Promise<{ replaced: Target | null }> {
  return db.transaction(async (tx) => {
    const same = and(
      eq(targets.metric, target.metric),
      eq(targets.period, target.period),
      eq(targets.department, target.department),
    );
    const [previous] = await tx.select().from(targets).where(same).for("update");
    const row = { ...target, setBy: actor.personId, setAt: actor.at };
    const [saved] = previous
      ? await tx.update(targets).set(row).where(eq(targets.id, previous.id)).returning({ id: targets.id })
      : await tx.insert(targets).values(row).returning({ id: targets.id });
    const replaced = previous ? toTarget(previous) : null;
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "target",
      entityId: String(saved?.id),
      action: replaced ? "replace" : "set",
      before: replaced,
      after: target,
    });
    return { replaced };
  });
}

const toTarget = (row: typeof targets.$inferSelect): Target => ({
  metric: row.metric,
  period: row.period as TargetPeriod,
  department: row.department,
  value: row.value,
  ownerName: row.ownerName,
});

export async function listTargets(db: Db): Promise<Target[]> {
  const rows = await db
    .select()
    .from(targets)
    .orderBy(asc(targets.period), asc(targets.metric), asc(targets.department));
  return rows.map(toTarget);
}

/** A target next to its actual value in one window; `met` is null when there is nothing to count. */
export interface TargetStanding {
  target: Target;
  metric: Metric;
  actual: number | null;
  met: boolean | null;
}

/** The targets of `period` measured against one window's KPIs. */
export function standings(all: readonly Target[], period: TargetPeriod, kpis: Kpis): TargetStanding[] {
  return all.flatMap((target) => {
    const metric = findMetric(target.metric);
    if (target.period !== period || !metric) return [];
    const actual = metric.actual(kpis);
    return [{ target, metric, actual, met: meetsTarget(metric, actual, target.value) }];
  });
}

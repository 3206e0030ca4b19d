// The sampling metrics for /kpi, the digest and targets: sampling coverage and lot pass rate per window.
import { and, eq, gte, isNull, lt, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { union } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import { lots, orders } from "../../db/schema/index.ts";
import type { AreaFigure, AreaMetricSource, AreaWindow } from "../kpi/area-metrics.ts";
import { countWhere, within } from "../kpi/count-where.ts";

const rate = (numerator: number, denominator: number): AreaFigure => ({
  unit: "rate",
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
});

/**
 * A lot finishes when it is released or rejected, or when its order is completed (the goods leave) while it is
 * still open, whichever comes first; its sample was met when the sampled total reached the required sample by then.
 */
const finishedAt = sql<Date>`least(${lots.decidedAt}, ${orders.completedAt})`;

/** One window's counts, as FILTER columns over the lots that finished or were decided in any window. */
function windowCounts(outcomes: LotOutcomes, { instants }: AreaWindow) {
  // The finishing instant is computed, so its bounds are encoded as the lot's timestamps are.
  const finished = within(outcomes.finishedAt, {
    start: sql.param(instants.start, lots.decidedAt),
    end: sql.param(instants.end, lots.decidedAt),
  });
  const decided = and(ne(outcomes.status, "open"), within(outcomes.decidedAt, instants));
  return {
    finished: countWhere(finished),
    met: countWhere(and(finished, lte(outcomes.sampleMetAt, outcomes.finishedAt))),
    decided: countWhere(decided),
    released: countWhere(and(decided, eq(outcomes.status, "released"))),
  };
}

type LotOutcomes = ReturnType<typeof lotOutcomes>;

/**
 * The lots that finished in the span: two indexed reads, one per way a lot can finish (decided, or its order
 * completed), merged by UNION (an OR across the two joined tables would scan both whole; the lot's id keeps two
 * lots apart).
 */
function lotOutcomes(db: Db, start: Date, end: Date) {
  const finishedIn = (finished: SQL | undefined) =>
    db
      .select({
        id: lots.id,
        finishedAt: sql<Date>`${finishedAt}`.as("finished_at"),
        decidedAt: lots.decidedAt,
        sampleMetAt: lots.sampleMetAt,
        status: lots.status,
      })
      .from(lots)
      .innerJoin(orders, eq(orders.id, lots.orderId))
      .where(finished);
  return union(
    finishedIn(and(gte(lots.decidedAt, start), lt(lots.decidedAt, end))),
    // A lot decided before the span finished before it; one decided in it is read above: only lots undecided
    // by the span's end can finish in it by their order's completion, and they are few.
    finishedIn(
      and(
        or(isNull(lots.decidedAt), gte(lots.decidedAt, end)),
        gte(orders.completedAt, start),
        lt(orders.completedAt, end),
      ),
    ),
  ).as("lot_outcomes");
}

export const SAMPLING_METRICS: AreaMetricSource = {
  area: { zh: "质量抽检", en: "Quality sampling" },
  metrics: [
    {
      id: "sampling_coverage",
      name: { zh: "抽检覆盖率", en: "sampling coverage" },
      unit: "rate",
      direction: "higher",
    },
    {
      id: "lot_pass_rate",
      name: { zh: "批次合格率", en: "lot pass rate" },
      unit: "rate",
      direction: "higher",
    },
  ],
  async compute(db: Db, windows: readonly AreaWindow[]) {
    if (windows.length === 0) return [];
    const start = new Date(Math.min(...windows.map((window) => window.instants.start.getTime())));
    const end = new Date(Math.max(...windows.map((window) => window.instants.end.getTime())));
    const outcomes = lotOutcomes(db, start, end);
    const perWindow = windows.map((window) => windowCounts(outcomes, window));
    const columns: Record<string, SQL<number>> = {};
    perWindow.forEach((counts, index) => {
      for (const [name, count] of Object.entries(counts)) columns[`w${index}_${name}`] = count;
    });
    const [row] = await db.select(columns).from(outcomes);
    return perWindow.map((_, index) => {
      const count = (name: keyof ReturnType<typeof windowCounts>) => Number(row?.[`w${index}_${name}`] ?? 0);
      return {
        sampling_coverage: rate(count("met"), count("finished")),
        lot_pass_rate: rate(count("released"), count("decided")),
      };
    });
  },
};

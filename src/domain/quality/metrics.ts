// The sampling metrics for /kpi, the digest and targets: sampling coverage and lot pass rate per window.
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { union } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import { lots, orders } from "../../db/schema/index.ts";
import type { AreaFigure, AreaMetricSource, AreaWindow } from "../kpi/area-metrics.ts";

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

interface LotOutcome {
  finishedAt: Date | null;
  decidedAt: Date | null;
  sampleMetAt: Date | null;
  status: string;
}

const inWindow = (at: Date | null, { instants }: AreaWindow): at is Date =>
  at !== null && at >= instants.start && at < instants.end;

function figuresOf(rows: readonly LotOutcome[], window: AreaWindow): Record<string, AreaFigure> {
  const finished = rows.filter((row) => inWindow(row.finishedAt, window));
  const met = finished.filter(
    (row) => row.sampleMetAt !== null && row.sampleMetAt <= (row.finishedAt as Date),
  );
  const decided = rows.filter((row) => row.status !== "open" && inWindow(row.decidedAt, window));
  const released = decided.filter((row) => row.status === "released");
  return {
    sampling_coverage: rate(met.length, finished.length),
    lot_pass_rate: rate(released.length, decided.length),
  };
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
    // Two indexed reads, one per way a lot can finish in the span (decided, or its order completed), merged by
    // UNION: an OR across the two joined tables would scan both whole. The lot's id keeps two lots apart.
    const finishedIn = (finished: SQL | undefined) =>
      db
        .select({
          id: lots.id,
          finishedAt: sql<Date | null>`${finishedAt}`.mapWith((value) => (value ? new Date(value) : null)),
          decidedAt: lots.decidedAt,
          sampleMetAt: lots.sampleMetAt,
          status: lots.status,
        })
        .from(lots)
        .innerJoin(orders, eq(orders.id, lots.orderId))
        .where(finished);
    const rows = await union(
      finishedIn(and(gte(lots.decidedAt, start), lt(lots.decidedAt, end))),
      finishedIn(and(gte(orders.completedAt, start), lt(orders.completedAt, end))),
    );
    return windows.map((window) => figuresOf(rows, window));
  },
};

// The stocktake metric for /kpi, the digest and targets: the stock error rate of the counts closed in a window.
import { and, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { stocktakes } from "../../db/schema/index.ts";
import type { AreaFigure, AreaMetricSource, AreaWindow } from "../kpi/area-metrics.ts";
import { formatQuantity, fromStored, type Milli } from "../stock/quantity.ts";

/** A share with its parts as decimals people read (12.5 of 1000): the rate itself is divided exactly first. */
function errorFigure(difference: Milli, book: Milli): AreaFigure {
  // Parts per billion in integers, then one division: the rate carries no drift from summing floats.
  const rate = book === 0n ? null : Number((difference * 1_000_000_000n) / book) / 1_000_000_000;
  return {
    unit: "rate",
    numerator: Number(formatQuantity(difference)),
    denominator: Number(formatQuantity(book)),
    rate,
  };
}

/**
 * Stock error rate = Σ|counted − book| ÷ Σ book over the counts closed in the window (lower is better); "—" when
 * those counts had nothing on the books.
 */
export const STOCKTAKE_METRICS: AreaMetricSource = {
  area: { zh: "物料盘点", en: "Stocktake" },
  metrics: [
    {
      id: "stock_error_rate",
      name: { zh: "盘点误差率", en: "stock error rate" },
      unit: "rate",
      direction: "lower",
    },
  ],
  async compute(db: Db, windows: readonly AreaWindow[]) {
    if (windows.length === 0) return [];
    const start = new Date(Math.min(...windows.map((window) => window.instants.start.getTime())));
    const end = new Date(Math.max(...windows.map((window) => window.instants.end.getTime())));
    const rows = await db
      .select({
        closedAt: stocktakes.closedAt,
        bookTotal: stocktakes.bookTotal,
        differenceTotal: stocktakes.differenceTotal,
      })
      .from(stocktakes)
      .where(
        and(eq(stocktakes.status, "closed"), gte(stocktakes.closedAt, start), lt(stocktakes.closedAt, end)),
      );
    return windows.map(({ instants }) => {
      let book = 0n;
      let difference = 0n;
      for (const row of rows) {
        if (!row.closedAt || row.closedAt < instants.start || row.closedAt >= instants.end) continue;
        book += fromStored(row.bookTotal ?? "0");
        difference += fromStored(row.differenceTotal ?? "0");
      }
      return { stock_error_rate: errorFigure(difference, book) };
    });
  },
};

// The extension point for the metrics each area of the procedure adds (sampling, sales, stocktake, …): an area
// declares its metrics and counts them per window; /kpi, the digest and targets pick them up from the registry.
import type { Bilingual } from "../../chat/language.ts";
import type { Db } from "../../db/database.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import type { KpiInstants, KpiWindow } from "./window.ts";

/** What one metric of an area is: a count or a share, and which way is better. */
export interface AreaMetricDefinition {
  /** The id `/target set` names; unique across all areas. */
  id: string;
  name: Bilingual;
  unit: "count" | "rate";
  direction: "higher" | "lower";
  /** The command that lists what is behind the figure ("/count list"), shown next to a missed target. */
  cause?: Bilingual;
}

/** One metric's figure in one window: a count, or a share with what it counts (rate null when 0/0). */
export type AreaFigure =
  | { unit: "count"; value: number }
  | { unit: "rate"; numerator: number; denominator: number; rate: number | null };

/** The window as local days and as the instants that bound them. */
export interface AreaWindow {
  window: KpiWindow;
  instants: KpiInstants;
}

export interface AreaMetricContext {
  timezone: string;
  now: Date;
  /** The local day of `now`. */
  today: LocalDate;
  calendar: WorkingCalendar;
}

/** An area's metrics and how to count them: one query per area for all windows, where it can. */
export interface AreaMetricSource {
  /** The heading the figures stand under in /kpi and the digest. */
  area: Bilingual;
  metrics: readonly AreaMetricDefinition[];
  /** The figures of every window, in the windows' order, each keyed by metric id. */
  compute(
    db: Db,
    windows: readonly AreaWindow[],
    context: AreaMetricContext,
  ): Promise<Record<string, AreaFigure>[]>;
}

/** One area's figures in one window, in the order its metrics are declared. */
export interface AreaFigures {
  area: Bilingual;
  figures: { metric: AreaMetricDefinition; figure: AreaFigure }[];
}

/** A figure's value for a target: the count, or the share (null when there is nothing to count). */
export const figureValue = (figure: AreaFigure): number | null =>
  figure.unit === "count" ? figure.value : figure.rate;

/** Counts every area's metrics for the windows; an area whose figure is missing is a bug, not a zero. */
export async function computeAreaFigures(
  db: Db,
  sources: readonly AreaMetricSource[],
  windows: readonly AreaWindow[],
  context: AreaMetricContext,
): Promise<AreaFigures[][]> {
  const perSource = await Promise.all(sources.map((source) => source.compute(db, windows, context)));
  return windows.map((_, windowIndex) =>
    sources.map((source, sourceIndex) => {
      const counted = perSource[sourceIndex]?.[windowIndex];
      return {
        area: source.area,
        figures: source.metrics.map((metric) => {
          const figure = counted?.[metric.id];
          if (!figure) throw new Error(`the ${metric.id} metric was not counted for a window`);
          return { metric, figure };
        }),
      };
    }),
  );
}

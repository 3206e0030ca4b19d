// The metrics a target may name: one registry, each with its id, names, unit, direction and actual value.
import type { Bilingual } from "../../chat/language.ts";
import { figureValue } from "../kpi/area-metrics.ts";
import { AREA_METRIC_SOURCES } from "../kpi/area-sources.ts";
import type { Kpis } from "../kpi/compute.ts";

export interface Metric {
  id: string;
  name: Bilingual;
  /** A count is a whole number; a rate is a share 0–1. */
  unit: "count" | "rate";
  direction: "higher" | "lower";
  /** The command that lists what is behind the figure (the late orders, the breached complaints). */
  cause?: Bilingual;
  /** The actual value in a window's KPIs; null when there is nothing to count. */
  actual(kpis: Kpis): number | null;
}

const CORE_METRICS: readonly Metric[] = [
  {
    id: "orders_completed",
    name: { zh: "完成订单数", en: "orders completed" },
    unit: "count",
    direction: "higher",
    cause: { zh: "/订单 未完成", en: "/order list open" },
    actual: (k) => k.orders.completed,
  },
  {
    id: "on_time_completion",
    name: { zh: "按期完成率", en: "on-time completion rate" },
    unit: "rate",
    direction: "higher",
    cause: { zh: "/订单 逾期", en: "/order list overdue" },
    actual: (k) => k.orders.onTime.rate,
  },
  {
    id: "csat",
    name: { zh: "客户满意度", en: "CSAT" },
    unit: "rate",
    direction: "higher",
    cause: { zh: "/投诉列表", en: "/complaint list" },
    actual: (k) => k.complaints.satisfaction.rate,
  },
  {
    id: "first_response_on_time",
    name: { zh: "首次响应及时率", en: "first response on-time rate" },
    unit: "rate",
    direction: "higher",
    cause: { zh: "/投诉列表 已超时", en: "/complaint list overdue" },
    actual: (k) => k.complaints.firstResponseOnTime.rate,
  },
  {
    id: "resolution_on_time",
    name: { zh: "解决及时率", en: "resolution on-time rate" },
    unit: "rate",
    direction: "higher",
    cause: { zh: "/投诉列表 已超时", en: "/complaint list overdue" },
    actual: (k) => k.complaints.resolutionOnTime.rate,
  },
  {
    id: "inspections_done",
    name: { zh: "已完成巡检数", en: "inspections done" },
    unit: "count",
    direction: "higher",
    cause: { zh: "/巡检", en: "/inspect" },
    actual: (k) => k.inspections.doneVsDue.numerator,
  },
];

/** A metric an area adds, read from the window's area figures. */
function areaMetric(definition: Omit<Metric, "actual">): Metric {
  return {
    ...definition,
    actual(kpis) {
      for (const { figures } of kpis.areas) {
        const found = figures.find(({ metric }) => metric.id === definition.id);
        if (found) return figureValue(found.figure);
      }
      return null;
    },
  };
}

/** The core metrics, then every area's, in /kpi's order. */
export const METRICS: readonly Metric[] = [
  ...CORE_METRICS,
  ...AREA_METRIC_SOURCES.flatMap((source) =>
    source.metrics.map(({ id, name, unit, direction, cause }) =>
      areaMetric({ id, name, unit, direction, ...(cause ? { cause } : {}) }),
    ),
  ),
];

export const findMetric = (id: string): Metric | undefined => METRICS.find((metric) => metric.id === id);

/** Whether `actual` reaches `target` in the metric's direction; null when there is nothing to count. */
export function meetsTarget(metric: Metric, actual: number | null, target: number): boolean | null {
  if (actual === null) return null;
  return metric.direction === "higher" ? actual >= target : actual <= target;
}

// Every area that adds metrics, in the order /kpi and the digest show them: add an area's source here.
import { SAMPLING_METRICS } from "../quality/metrics.ts";
import { SALES_METRICS } from "../sales/metrics.ts";
import { STOCKTAKE_METRICS } from "../stocktake/metrics.ts";
import type { AreaMetricSource } from "./area-metrics.ts";

export const AREA_METRIC_SOURCES: readonly AreaMetricSource[] = [
  SAMPLING_METRICS,
  SALES_METRICS,
  STOCKTAKE_METRICS,
];

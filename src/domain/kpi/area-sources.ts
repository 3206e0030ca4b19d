// Every area that adds metrics, in the order /kpi and the digest show them: add an area's source here.
import { SALES_METRICS } from "../sales/metrics.ts";
import type { AreaMetricSource } from "./area-metrics.ts";

export const AREA_METRIC_SOURCES: readonly AreaMetricSource[] = [SALES_METRICS];

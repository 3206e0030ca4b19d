// The targets' words: a value in its unit, a target's line, and a standing (actual against target) line.
import type { Language } from "../../src/chat/language.ts";
import { markup, md, type RichText } from "../../src/chat/rich-text.ts";
import { findMetric, METRICS, type Metric } from "../../src/domain/targets/metrics.ts";
import type { Target, TargetPeriod, TargetStanding } from "../../src/domain/targets/targets.ts";
import { formatRate } from "../kpi/cards.ts";
import { type Clip, whole } from "../risks/text.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

export const PERIOD_NAMES: Record<TargetPeriod, { zh: string; en: string }> = {
  day: { zh: "每日", en: "daily" },
  week: { zh: "每周", en: "weekly" },
  month: { zh: "每月", en: "monthly" },
};

export const formatValue = (metric: Metric, value: number | null): string =>
  metric.unit === "rate" ? formatRate(value) : value === null ? "—" : String(value);

/** "orders_completed (orders completed, count)", one per line: what /target set accepts. */
export const metricList = (language: Language): string =>
  METRICS.map(
    (metric) =>
      `${metric.id} (${pick(language, metric.name.zh, metric.name.en)}, ${
        metric.unit === "rate"
          ? pick(language, "比率, 如 90% 或 0.9", "rate, e.g. 90% or 0.9")
          : pick(language, "数量", "count")
      })`,
  ).join("\n");

/** " · owner Li · QC": who owns it and the department, both user text, rendered as text. */
function ownership(target: Target, language: Language, clip: Clip = whole): RichText {
  const owner = target.ownerName
    ? md` · ${markup(pick(language, "负责人 ", "owner "))}${clip(target.ownerName)}`
    : md``;
  const department = target.department ? md` · ${clip(target.department)}` : md``;
  return md`${owner}${department}`;
}

/** "daily orders completed ≥ 40 · owner Li · production". */
export function targetLine(target: Target, language: Language): RichText {
  const metric = findMetric(target.metric);
  if (!metric) return md`${target.metric}`;
  const period = PERIOD_NAMES[target.period];
  const head = `${pick(language, period.zh, period.en)} ${pick(language, metric.name.zh, metric.name.en)} ${
    metric.direction === "higher" ? "≥" : "≤"
  } ${formatValue(metric, target.value)}`;
  return md`${markup(head)}${ownership(target, language)}`;
}

/**
 * "monthly CSAT: 80% / target 85% ⚠ missed → /complaint list · owner Li · customer service": a missed target
 * names the command that lists its cause.
 */
export function standingLine(
  { target, metric, actual, met }: TargetStanding,
  language: Language,
  clip: Clip = whole,
): RichText {
  const verdict =
    met === null ? "" : met ? pick(language, " ✓ 达标", " ✓ met") : pick(language, " ⚠ 未达标", " ⚠ missed");
  const period = PERIOD_NAMES[target.period];
  const head = `${pick(language, period.zh, period.en)} ${pick(language, metric.name.zh, metric.name.en)}: ${formatValue(metric, actual)} / ${pick(
    language,
    "目标",
    "target",
  )} ${formatValue(metric, target.value)}${verdict}`;
  const cause = met === false && metric.cause ? ` → ${pick(language, metric.cause.zh, metric.cause.en)}` : "";
  return md`${markup(`${head}${cause}`)}${ownership(target, language, clip)}`;
}

// The KPI block as a neutral card in Chinese or English, for /kpi and the morning digest alike.
import type { Card, CardTone } from "../../src/chat/card.ts";
import type { Bilingual, Language } from "../../src/chat/language.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import type { AreaFigure } from "../../src/domain/kpi/area-metrics.ts";
import type { DeadlineRatio, Kpis, Ratio } from "../../src/domain/kpi/compute.ts";
import { CSAT_TARGET_PERCENT } from "../../src/domain/policy.ts";
import type { TargetStanding } from "../../src/domain/targets/targets.ts";
import { provisionalMark } from "../calendar/provisional-mark.ts";
import { standingLine } from "../targets/text.ts";

/** "50%", "66.7%"; "—" when there is nothing to count, never 0 % or 100 %. */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 1000) / 10}%`;
}

type Translate = (zh: string, en: string) => string;

/** "50% (1/2)", or "—" alone: a 0/0 is no result at all. */
function rateLine({ numerator, denominator, rate }: Ratio): string {
  return rate === null ? "—" : `${formatRate(rate)} (${numerator}/${denominator})`;
}

/** An area's figure: the count, or the share as "50% (1/2)". */
export const figureText = (figure: AreaFigure): string =>
  figure.unit === "count" ? String(figure.value) : rateLine(figure);

/** Counted deadlines that are still ahead explain a low rate while the window is running. */
function deadlineLine(share: DeadlineRatio, t: Translate): string {
  if (share.rate === null || share.pending === 0) return rateLine(share);
  const pending = t(`${share.pending} 未到期`, `${share.pending} not yet due`);
  return `${formatRate(share.rate)} (${share.numerator}/${share.denominator}, ${pending})`;
}

function satisfactionLine(kpis: Kpis, t: Translate): string {
  const { satisfaction } = kpis.complaints;
  const target = `${CSAT_TARGET_PERCENT}%`;
  if (satisfaction.belowTarget === null) return `— (${t(`目标 ${target}`, `target ${target}`)})`;
  const verdict = satisfaction.belowTarget
    ? t(`⚠ 低于目标 ${target}`, `⚠ below the ${target} target`)
    : t(`✓ 达到目标 ${target}`, `✓ meets the ${target} target`);
  return `${rateLine(satisfaction)} ${verdict}`;
}

function tone(kpis: Kpis): CardTone {
  if (kpis.orders.delayedOverFiveDays > 0) return "danger";
  if (kpis.orders.overdue > 0 || kpis.complaints.satisfaction.belowTarget || kpis.inspections.findings > 0)
    return "warning";
  return "info";
}

// Labels and figures are opsbot's own: markup, nothing to escape.
const section = (heading: string, lines: [string, string | number][]): RichText =>
  markup([`**${heading}**`, ...lines.map(([label, value]) => `${label}: ${value}`)].join("\n"));

/**
 * Actual against target, the company's first, then per department a target names (the department is user text,
 * rendered as text); nothing without targets.
 */
export function targetSection(
  targets: readonly TargetStanding[],
  language: Language,
  clip?: (text: string) => string,
): RichText[] {
  if (targets.length === 0) return [];
  const heading = markup(`**${language === "zh" ? "目标" : "Targets"}**`);
  const departments = [...new Set(targets.map(({ target }) => target.department))].sort((a, b) =>
    a === "" ? -1 : b === "" ? 1 : a.localeCompare(b),
  );
  const blocks = departments.flatMap((department) => {
    const lines = targets
      .filter(({ target }) => target.department === department)
      .map((standing) => standingLine(standing, language, clip));
    const title =
      department === ""
        ? markup(language === "zh" ? "公司" : "Company")
        : md`${markup(language === "zh" ? "部门: " : "Department: ")}${clip ? clip(department) : department}`;
    return departments.length === 1 && department === "" ? lines : [md`【${title}】`, ...lines];
  });
  return [joinRich([heading, ...blocks], "\n")];
}

/**
 * The card for one window. `heading` names it ("今天" / "today"); the dates follow in the title either way,
 * so a digest that sends two windows shows which is which.
 */
export function renderKpiCard(
  kpis: Kpis,
  language: Language,
  heading?: Bilingual,
  targets: readonly TargetStanding[] = [],
): Card {
  const t: Translate = (zh, en) => (language === "zh" ? zh : en);
  const { window, orders, complaints, inspections } = kpis;
  const dates = window.from === window.to ? window.from : `${window.from} – ${window.to}`;
  const name = heading ? `${t(heading.zh, heading.en)} (${dates})` : dates;
  const { doneVsDue } = inspections;
  return {
    title: `${t("指标", "KPIs")} · ${name}${provisionalMark(kpis.provisional, language)}`,
    tone: tone(kpis),
    markdown: joinRich(
      [
        section(t("订单", "Orders"), [
          [t("接单", "Received"), orders.received],
          [t("完成", "Completed"), orders.completed],
          [t("按期完成率", "On-time completion"), deadlineLine(orders.onTime, t)],
          [t("当前逾期", "Overdue now"), orders.overdue],
          [t("延期超过 5 天", "Delayed > 5 days"), orders.delayedOverFiveDays],
        ]),
        section(t("投诉", "Complaints"), [
          [t("新增", "Opened"), complaints.opened],
          [t("首次响应及时率", "First response on time"), deadlineLine(complaints.firstResponseOnTime, t)],
          [t("解决及时率", "Resolved on time"), deadlineLine(complaints.resolutionOnTime, t)],
          [t("客户满意度", "CSAT"), satisfactionLine(kpis, t)],
        ]),
        section(t("巡检", "Inspections"), [
          [
            t("已检/应检", "Done / due"),
            `${doneVsDue.numerator}/${doneVsDue.denominator} (${formatRate(doneVsDue.rate)})`,
          ],
          [t("发现问题", "Findings"), inspections.findings],
        ]),
        ...kpis.areas.map(({ area, figures }) =>
          section(
            t(area.zh, area.en),
            figures.map(({ metric, figure }) => [t(metric.name.zh, metric.name.en), figureText(figure)]),
          ),
        ),
        ...targetSection(targets, language),
      ],
      "\n\n",
    ),
  };
}

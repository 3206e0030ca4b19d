// The monthly review pack as a card: every section's count first, then the metrics against their targets and each
// section's items in the pack's reading order, so a platform that cuts a long card cuts the last items first.
import { buttonValue } from "../../src/bot/index.ts";
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import type {
  InspectionFinding,
  ReviewPack,
  ReviewSection,
  ReviewSectionId,
} from "../../src/domain/review/pack.ts";
import { provisionalMark } from "../calendar/provisional-mark.ts";
import { rangeText } from "../inspections/item-text.ts";
import { formatValue } from "../targets/text.ts";

export const REVIEW_ACTIONS = { recordAction: "review.record_action" } as const;

/** "31 °C, outside 18–26 °C", or "failed" for a check: the words for a finding's recorded facts. */
function findingReading({ value, range }: InspectionFinding, t: (zh: string, en: string) => string): string {
  if (value === "fail") return t("不合格", "failed");
  const reading = `${value}${range.unit ? ` ${range.unit}` : ""}`;
  return `${reading}${t(", 超出范围 ", ", outside ")}${rangeText(range)}`;
}

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

const HEADINGS: Record<ReviewSectionId, { zh: string; en: string }> = {
  metrics: { zh: "指标与目标", en: "Metrics against targets" },
  late_orders: { zh: "逾期订单", en: "Late orders" },
  complaint_breaches: { zh: "投诉超时", en: "Complaint breaches" },
  inspection_findings: { zh: "巡检发现", en: "Inspection findings" },
  overdue_tasks: { zh: "逾期待办", en: "Overdue tasks" },
  stock_shortages: { zh: "低于安全库存", en: "Below safety stock" },
  overdue_services: { zh: "设备保养逾期", en: "Equipment services overdue" },
};

function itemLines(section: ReviewSection, language: Language): RichText[] {
  const t = (zh: string, en: string) => pick(language, zh, en);
  switch (section.id) {
    case "metrics":
      return section.metrics.map(({ metric, actual, target, met }) => {
        const verdict = met === null ? "" : met ? t(" ✓ 达标", " ✓ met") : t(" ⚠ 未达标", " ⚠ missed");
        const goal =
          target === null
            ? t("未设目标", "no target")
            : `${t("目标", "target")} ${formatValue(metric, target)}`;
        return markup(
          `- ${t(metric.name.zh, metric.name.en)}: ${formatValue(metric, actual)} / ${goal}${verdict}`,
        );
      });
    case "late_orders":
      return section.items.map(
        (order) =>
          md`- ${order.number} ${order.customer} · ${t("原交期", "due")} ${order.originalDueDate} · ${markup(
            order.completed
              ? t(`晚 ${order.daysLate} 天完成`, `completed ${order.daysLate} days late`)
              : t(`已逾期 ${order.daysLate} 天`, `${order.daysLate} days late, open`),
          )}`,
      );
    case "complaint_breaches":
      return section.items.map((complaint) => {
        const clocks = [
          complaint.response ? t("首次回复", "first response") : "",
          complaint.resolution ? t("解决", "resolution") : "",
        ].filter(Boolean);
        return md`- ${complaint.number} ${complaint.customer} · ${markup(clocks.join(" + "))}`;
      });
    case "inspection_findings":
      return section.items.map(
        (finding) =>
          md`- ${markup(finding.safety ? t("⚠ 安全 ", "⚠ safety ") : "")}${finding.inspection} ${t(finding.area.zh, finding.area.en)} · ${t(finding.item.zh, finding.item.en)}: ${findingReading(finding, t)}`,
      );
    case "overdue_tasks":
      return section.items.map(
        (task) =>
          md`- ${task.number} ${task.title} · ${task.ownerName} · ${task.dueDate}${markup(
            task.done ? t(" (已迟完成)", " (done late)") : t(" (未完成)", " (open)"),
          )}`,
      );
    case "stock_shortages":
      return section.items.map((item) => md`- ${item.sku} ${item.name}`);
    case "overdue_services":
      return section.items.map((service) => md`- ${service.code} ${service.name} · ${service.dueDate}`);
  }
}

function sectionText(section: ReviewSection, language: Language): RichText {
  const heading = HEADINGS[section.id];
  const lines = itemLines(section, language);
  const total = section.id === "metrics" ? lines.length : section.total;
  const head = markup(`**${pick(language, heading.zh, heading.en)}** (${total})`);
  if (total === 0) return joinRich([head, markup(pick(language, "- 无", "- none"))], "\n");
  const more =
    total > lines.length
      ? [
          markup(
            pick(language, `- … 另有 ${total - lines.length} 条`, `- … and ${total - lines.length} more`),
          ),
        ]
      : [];
  return joinRich([head, ...lines, ...more], "\n");
}

/** Every section's count on the first line: a platform that cuts a long card cuts from the end, never this. */
function countLine(pack: ReviewPack, language: Language): RichText {
  const counts = pack.sections.flatMap((section) =>
    section.id === "metrics"
      ? []
      : [`${pick(language, HEADINGS[section.id].zh, HEADINGS[section.id].en)} ${section.total}`],
  );
  return markup(counts.join(" · "));
}

export function reviewPackCard(pack: ReviewPack, language: Language, hint?: RichText): Card {
  const metrics = pack.sections.find((section) => section.id === "metrics");
  const provisional = metrics?.id === "metrics" && metrics.provisional ? provisionalMark(true, language) : "";
  // The hint a button asked for goes right under the counts, so that no cut can drop it.
  const body = joinRich(
    [
      countLine(pack, language),
      ...(hint ? [hint] : []),
      ...pack.sections.map((section) => sectionText(section, language)),
    ],
    "\n\n",
  );
  const problems = pack.sections.some((section) => section.id !== "metrics" && section.total > 0);
  return {
    title: pick(
      language,
      `${pack.month} 月度评审材料${provisional}`,
      `Monthly review pack ${pack.month}${provisional}`,
    ),
    tone: problems ? "warning" : "success",
    markdown: body,
    buttons: [
      {
        label: pick(language, "记录行动", "Record action"),
        action: REVIEW_ACTIONS.recordAction,
        value: buttonValue(pack.month, language),
        style: "primary",
      },
    ],
    note: pick(
      language,
      `${pack.window.from} 至 ${pack.window.to}; 评审会: /会议 新建 评审 <YYYY-MM-DD HH:MM> @参会人`,
      `${pack.window.from} to ${pack.window.to}; review meeting: /meeting new review <YYYY-MM-DD HH:MM> @people…`,
    ),
  };
}

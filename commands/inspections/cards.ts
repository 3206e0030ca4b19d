// The inspection cards: the list of areas, an area's checklist form, the submitted summary and the finding alert.
import { buttonValue } from "../../src/bot/index.ts";
import type { Card, FormInput } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md, type RichText } from "../../src/chat/rich-text.ts";
import { localDateOf, localTimeOfDay, MINUTE_MS } from "../../src/domain/calendar/local-time.ts";
import type { ChecklistItem, InspectionArea, ItemResult } from "../../src/domain/inspections/checklist.ts";
import type { InspectionRecord } from "../../src/domain/inspections/records.ts";
import { provisionalMark } from "../calendar/provisional-mark.ts";
import { findingText, rangeText } from "./item-text.ts";

export const INSPECTION_OPEN_ACTION = "inspection.open";
export const INSPECTION_SUBMIT_ACTION = "inspection.submit";

type Words = (zh: string, en: string) => string;
const wordsIn =
  (language: Language): Words =>
  (zh, en) =>
    language === "zh" ? zh : en;

const areaName = (area: InspectionArea, language: Language): string =>
  language === "zh" ? area.nameZh : area.nameEn;

const itemLabel = (item: ChecklistItem, language: Language): string =>
  language === "zh" ? item.labelZh : item.labelEn;

/** "2026-11-26 09:12" in the business timezone. */
function localDateTime(at: Date, timezone: string): string {
  const minutes = Math.floor(localTimeOfDay(at, timezone) / MINUTE_MS);
  const clock = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return `${localDateOf(at, timezone)} ${clock}`;
}

/** "温度 (°C, 18–26)": the unit and the accepted range, so the reader knows what a finding is. */
function readingLabel(item: ChecklistItem, language: Language): string {
  const range = [item.unit, item.min !== null || item.max !== null ? rangeText({ ...item, unit: null }) : ""]
    .filter(Boolean)
    .join(", ");
  return range ? `${itemLabel(item, language)} (${range})` : itemLabel(item, language);
}

/** How the typed form names an item: the Chinese label, or the code (no spaces) in English. */
const placeholderOf = (item: ChecklistItem, language: Language): string =>
  `<${language === "zh" ? item.labelZh : item.code}>`;

/** The text form of a submission, for chats whose cards cannot take typed input (WeCom). */
export function typedUsage(area: InspectionArea, language: Language): string {
  const command = language === "zh" ? `/巡检 ${area.nameZh}` : `/inspect ${area.code}`;
  return [command, ...area.items.map((item) => placeholderOf(item, language))].join(" ");
}

const checkOptions = (t: Words) => [
  { value: "pass", label: t("合格", "Pass") },
  { value: "fail", label: t("不合格", "Fail") },
];

function formInput(item: ChecklistItem, language: Language): FormInput {
  const t = wordsIn(language);
  if (item.kind === "check") {
    return {
      name: item.code,
      label: itemLabel(item, language),
      type: "select",
      required: true,
      options: checkOptions(t),
    };
  }
  const range = rangeText({ ...item, unit: null });
  return {
    name: item.code,
    label: readingLabel(item, language),
    type: "number",
    required: true,
    ...(range ? { placeholder: range } : {}),
  };
}

/** The checklist to fill in: one number per reading, one pass/fail choice per check. */
export function inspectionFormCard(area: InspectionArea, language: Language): Card {
  const t = wordsIn(language);
  return {
    title: t(`巡检: ${area.nameZh}`, `Inspection: ${area.nameEn}`),
    tone: "info",
    markdown:
      language === "zh"
        ? md`逐项填写后提交。也可以直接发送 (检查项填 合格/不合格):\n${typedUsage(area, language)}`
        : md`Fill in every item and submit. Or send (checks as ok/fail):\n${typedUsage(area, language)}`,
    form: {
      action: INSPECTION_SUBMIT_ACTION,
      value: buttonValue(area.code, language),
      submitLabel: t("提交", "Submit"),
      inputs: area.items.map((item) => formInput(item, language)),
    },
  };
}

/**
 * The active areas, their cut-off and whether today's inspection is in, with a button per area; the cut-off
 * is marked when today is a day of the provisional rule.
 */
export function areaListCard(
  areas: readonly InspectionArea[],
  doneToday: ReadonlyMap<number, string>,
  language: Language,
  todayProvisional: boolean,
): Card {
  const t = wordsIn(language);
  const lines = areas.map((area) => {
    const done = doneToday.get(area.id);
    const status = done
      ? t(`✓ 今日已巡检 (${done})`, `✓ done today (${done})`)
      : t("今日未巡检", "not done today");
    const cutoff = `${area.cutoff}${provisionalMark(todayProvisional, language)}`;
    return md`• **${areaName(area, language)}** (${area.code}) — ${t("截止", "cut-off")} ${cutoff} — ${status}`;
  });
  return {
    title: t("巡检区域", "Inspection areas"),
    tone: "neutral",
    markdown:
      lines.length > 0 ? joinRich(lines, "\n") : md`${t("没有启用的巡检区域", "No active inspection areas")}`,
    buttons: areas.map((area) => ({
      label: areaName(area, language),
      action: INSPECTION_OPEN_ACTION,
      value: buttonValue(area.code, language),
    })),
    note: t("发送 /巡检 <区域> 填写巡检表", "Send /inspect <area> to fill in its checklist"),
  };
}

function resultLine(result: ItemResult, language: Language): RichText {
  const t = wordsIn(language);
  const { item } = result;
  const mark = result.passed ? "✓" : "✗";
  const label = itemLabel(item, language);
  // The checklist's labels, units and ranges and the reading typed in are text; the rest is our own markup.
  const line =
    item.kind === "check"
      ? md`${mark} ${label}: ${result.value === "pass" ? t("合格", "pass") : t("不合格", "fail")}`
      : md`${mark} ${label}: ${`${result.value}${item.unit ? ` ${item.unit}` : ""}`} (${rangeText(item)})`;
  return result.passed ? line : md`**${line}**`;
}

function commonFields(inspection: InspectionRecord, language: Language, timezone: string) {
  const t = wordsIn(language);
  return [
    { label: t("区域", "Area"), value: areaName(inspection.area, language) },
    { label: t("巡检人", "Inspector"), value: inspection.submittedBy.name },
    { label: t("时间", "Time"), value: localDateTime(inspection.submittedAt, timezone) },
    {
      label: t("发现问题", "Findings"),
      value: inspection.findingCount > 0 ? String(inspection.findingCount) : t("无", "none"),
    },
  ];
}

/** The submitted checklist: every result, findings in bold, who submitted it and when. */
export function inspectionSummaryCard(
  inspection: InspectionRecord,
  language: Language,
  timezone: string,
): Card {
  const t = wordsIn(language);
  const { number, submittedBy } = inspection;
  const when = localDateTime(inspection.submittedAt, timezone);
  return {
    title: t(
      `巡检 ${number} · ${inspection.area.nameZh}`,
      `Inspection ${number} · ${inspection.area.nameEn}`,
    ),
    tone: inspection.findingCount > 0 ? "danger" : "success",
    fields: commonFields(inspection, language, timezone),
    markdown: joinRich(
      inspection.results.map((result) => resultLine(result, language)),
      "\n",
    ),
    note: t(`由 ${submittedBy.name} 于 ${when} 提交`, `Submitted by ${submittedBy.name} at ${when}`),
  };
}

/** The alert a submission with findings posts to the alert groups and to the submitter's chat. */
export function findingAlertCard(inspection: InspectionRecord, language: Language, timezone: string): Card {
  const t = wordsIn(language);
  const lines = inspection.results
    .filter((result) => !result.passed)
    .map((result) => {
      const safety = result.item.safety ? t(" (安全项)", " (safety)") : "";
      return md`**✗ ${findingText(result, language)}${safety}**`;
    });
  return {
    title: t(
      `巡检发现问题: ${inspection.area.nameZh} ${inspection.number}`,
      `Inspection findings: ${inspection.area.nameEn} ${inspection.number}`,
    ),
    tone: "danger",
    fields: commonFields(inspection, language, timezone),
    markdown: joinRich(lines, "\n"),
    note: t("请尽快处理", "Please deal with it promptly"),
  };
}

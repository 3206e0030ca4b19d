// How a checklist item's range and a finding read: the words for the facts the domain records.
import type { Language } from "../../src/chat/language.ts";
import type { ChecklistItem, ItemResult } from "../../src/domain/inspections/checklist.ts";

/** "18–26 °C", "≥ 18 %", or "" for a reading without limits. */
export function rangeText(item: Pick<ChecklistItem, "min" | "max" | "unit">): string {
  const unit = item.unit ? ` ${item.unit}` : "";
  if (item.min !== null && item.max !== null) return `${item.min}–${item.max}${unit}`;
  if (item.min !== null) return `≥ ${item.min}${unit}`;
  if (item.max !== null) return `≤ ${item.max}${unit}`;
  return "";
}

/** "温度 30 °C, 超出范围 18–26 °C" / "Temperature 30 °C, outside 18–26 °C" / "灭火器在位: 不合格". */
export function findingText({ item, value }: ItemResult, language: Language): string {
  const zh = language === "zh";
  const label = zh ? item.labelZh : item.labelEn;
  if (item.kind === "check") return zh ? `${label}: 不合格` : `${label}: failed`;
  const reading = `${value}${item.unit ? ` ${item.unit}` : ""}`;
  return zh
    ? `${label} ${reading}, 超出范围 ${rangeText(item)}`
    : `${label} ${reading}, outside ${rangeText(item)}`;
}

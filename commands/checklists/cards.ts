// The /checklist cards: every area with its kind, version and cut-off; one area's current checklist.
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md } from "../../src/chat/rich-text.ts";
import type { ChecklistItem, InspectionArea } from "../../src/domain/inspections/checklist.ts";
import { rangeText } from "../inspections/item-text.ts";

const t = (language: Language) => (zh: string, en: string) => (language === "zh" ? zh : en);

const kindName = (area: InspectionArea, language: Language) =>
  area.kind === "system" ? t(language)("系统", "system") : t(language)("巡检", "inspection");

function itemLine(item: ChecklistItem, index: number, language: Language) {
  const say = t(language);
  const label = language === "zh" ? item.labelZh : item.labelEn;
  const what =
    item.kind === "check"
      ? say("检查 合格/不合格", "check pass/fail")
      : `${say("读数", "range")} ${rangeText(item)}`;
  const safety = item.safety ? say(" · 安全项", " · safety") : "";
  return md`${String(index + 1)}. **${label}** (${item.code}) — ${what}${safety}`;
}

/** One area's checklist as it is now, with a headline saying what changed. */
export function checklistCard(area: InspectionArea, language: Language, headline?: string): Card {
  const say = t(language);
  const name = language === "zh" ? area.nameZh : area.nameEn;
  const items = area.items.map((item, index) => itemLine(item, index, language));
  const body = items.length > 0 ? joinRich(items, "\n") : md`${say("还没有项目", "No items yet")}`;
  return {
    title: say(`检查清单: ${name} (第 ${area.version} 版)`, `Checklist: ${name} (version ${area.version})`),
    tone: headline ? "success" : "neutral",
    markdown: headline ? md`${headline}\n${body}` : body,
    fields: [
      { label: say("区域键", "Key"), value: area.code },
      { label: say("类型", "Kind"), value: kindName(area, language) },
      { label: say("每日截止", "Daily cut-off"), value: area.cutoff },
    ],
    note: say(
      "修改项目会生成新版本; 已有记录保持原样",
      "A change of items makes a new version; records made before keep theirs",
    ),
  };
}

/** Every active area: key, kind, version, cut-off and number of items. */
export function checklistListCard(areas: readonly InspectionArea[], language: Language): Card {
  const say = t(language);
  const lines = areas.map((area) => {
    const name = language === "zh" ? area.nameZh : area.nameEn;
    return md`• **${name}** (${area.code}) — ${kindName(area, language)} · ${say("第", "v")}${String(area.version)}${say(" 版", "")} · ${say("截止", "cut-off")} ${area.cutoff} · ${say(`${area.items.length} 项`, `${area.items.length} items`)}`;
  });
  return {
    title: say("检查清单", "Checklists"),
    tone: "neutral",
    markdown: lines.length > 0 ? joinRich(lines, "\n") : md`${say("没有启用的区域", "No active areas")}`,
    note: say("发送 /清单 <区域> 查看项目", "Send /checklist <area> to see its items"),
  };
}

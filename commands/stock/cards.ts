// Stock cards: one material with its safety stock and cover, the list of materials, and the words of a refusal.
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md } from "../../src/chat/rich-text.ts";
import { SAFETY_STOCK_DAYS } from "../../src/domain/policy.ts";
import { daysOfCover, formatQuantity, type Milli } from "../../src/domain/stock/quantity.ts";
import type { StockRefusal } from "../../src/domain/stock/refusal.ts";
import type { DailyUse, StockStatus } from "../../src/domain/stock/status.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

const amount = (value: Milli, unit: string | null): string =>
  `${formatQuantity(value)}${unit ? ` ${unit}` : ""}`;

/** "12.5 kg per day (declared)", or from the recorded outflows and on how many days. */
export function dailyUseText(use: DailyUse, unit: string | null, language: Language): string {
  const value = amount(use.value, unit);
  return use.source === "recorded"
    ? pick(
        language,
        `每天 ${value} (近 30 天实际出库平均, ${use.recordedDays} 天有出库)`,
        `${value} per day (average of recorded outflows, ${use.recordedDays} days with outflows in the last 30)`,
      )
    : pick(
        language,
        `每天 ${value} (申报值; 出库记录满 7 天后改用实际平均)`,
        `${value} per day (declared; the recorded average takes over after 7 days of outflows)`,
      );
}

const coverText = (status: StockStatus, language: Language): string => {
  const days = daysOfCover(status.onHand, status.dailyUse.value);
  return days === undefined ? "—" : pick(language, `${days} 天`, `${days} days`);
};

/** One material: on hand, daily use and where it comes from, safety stock, days of cover, what to order. */
export function stockItemCard(status: StockStatus, language: Language, headline?: string): Card {
  const { unit } = status;
  return {
    title: headline ?? `${status.sku} ${status.name}`,
    tone: status.low ? "warning" : "success",
    fields: [
      { label: pick(language, "物料", "Material"), value: `${status.sku} ${status.name}` },
      { label: pick(language, "仓库", "Warehouse"), value: status.warehouse },
      { label: pick(language, "现有", "On hand"), value: amount(status.onHand, unit) },
      { label: pick(language, "日用量", "Daily use"), value: dailyUseText(status.dailyUse, unit, language) },
      {
        label: pick(
          language,
          `安全库存 (${SAFETY_STOCK_DAYS} 天用量)`,
          `Safety stock (${SAFETY_STOCK_DAYS} days' use)`,
        ),
        value: amount(status.safetyStock, unit),
      },
      { label: pick(language, "可用天数", "Days of cover"), value: coverText(status, language) },
      ...(status.low
        ? [{ label: pick(language, "需补货", "To order"), value: amount(status.toOrder, unit) }]
        : []),
    ],
  };
}

/** Every material (or the ones below their safety stock), one line each. */
export function stockListCard(statuses: readonly StockStatus[], lowOnly: boolean, language: Language): Card {
  const lines = statuses.map((status) => {
    const unit = status.unit;
    const source =
      status.dailyUse.source === "recorded"
        ? pick(language, "实际", "recorded")
        : pick(language, "申报", "declared");
    const order = status.low
      ? pick(
          language,
          ` · ⚠ 需补 ${amount(status.toOrder, unit)}`,
          ` · ⚠ order ${amount(status.toOrder, unit)}`,
        )
      : "";
    return md`- ${status.sku} ${status.name}: ${amount(status.onHand, unit)} · ${pick(language, "安全", "safety")} ${amount(status.safetyStock, unit)} · ${coverText(status, language)} · ${pick(language, "日用", "daily")} ${amount(status.dailyUse.value, unit)} (${source})${order}`;
  });
  const empty = lowOnly
    ? pick(language, "没有低于安全库存的物料。", "No material is below its safety stock.")
    : pick(language, "还没有物料。用 /库存 物料 登记。", "No materials yet. Declare one with /stock item.");
  return {
    title: lowOnly
      ? pick(language, "低于安全库存的物料", "Materials below safety stock")
      : pick(language, "库存", "Stock"),
    tone: statuses.some((status) => status.low) ? "warning" : "info",
    markdown: lines.length === 0 ? md`${empty}` : joinRich(lines, "\n"),
  };
}

export function stockRefusalText(refusal: StockRefusal, language: Language): string {
  switch (refusal.kind) {
    case "unknown_sku":
      return pick(
        language,
        `没有物料 ${refusal.sku} — 先用 /库存 物料 <编码> <名称> <日用量> [单位] 登记`,
        `no material ${refusal.sku} — declare it first with /stock item <sku> <name> <daily-use> [unit]`,
      );
    case "being_counted":
      return pick(
        language,
        `${refusal.sku} 正在盘点 (${refusal.stocktake}), 盘点结束前不能出入库`,
        `${refusal.sku} is being counted (${refusal.stocktake}): no movement until that count is closed`,
      );
    case "not_enough":
      return pick(
        language,
        `${refusal.sku} 只有 ${amount(refusal.onHand, refusal.unit)}, 不能出库更多`,
        `only ${amount(refusal.onHand, refusal.unit)} of ${refusal.sku} on hand: cannot issue more`,
      );
  }
}

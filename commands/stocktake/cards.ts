// Stocktake cards: a count with its lines (book, counted, difference) and, once closed, its error rate; the list
// of counts; the words of a refusal.
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md } from "../../src/chat/rich-text.ts";
import { STOCK_ERROR_LIMIT_PERCENT } from "../../src/domain/policy.ts";
import { formatQuantity, type Milli } from "../../src/domain/stock/quantity.ts";
import type { StocktakeRefusal } from "../../src/domain/stocktake/refusal.ts";
import type { Stocktake, StocktakeLine } from "../../src/domain/stocktake/sessions.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

/** How many lines a card lists; the count of the rest is given. */
const LINES_SHOWN = 30;

const amount = (value: Milli, unit: string | null): string =>
  `${formatQuantity(value)}${unit ? ` ${unit}` : ""}`;

function lineText(line: StocktakeLine, language: Language) {
  const book = amount(line.book, line.unit);
  if (line.counted === null)
    return md`- ${line.sku} ${line.name}: ${pick(language, "账面", "book")} ${book} · ${pick(language, "未盘", "not counted")}`;
  const difference = line.counted - line.book;
  const sign = difference > 0n ? "+" : "";
  const mark = difference === 0n ? "" : ` (${sign}${formatQuantity(difference)})`;
  return md`- ${line.sku} ${line.name}: ${pick(language, "账面", "book")} ${book} · ${pick(language, "实盘", "counted")} ${amount(line.counted, line.unit)}${mark}`;
}

/** One count: its warehouse, how many lines are counted, the lines, and once closed its error rate. */
export function stocktakeCard(stocktake: Stocktake, language: Language, headline?: string): Card {
  const counted = stocktake.lines.filter((line) => line.counted !== null).length;
  const { result } = stocktake;
  const lines = stocktake.lines.slice(0, LINES_SHOWN).map((line) => lineText(line, language));
  const more = stocktake.lines.length - LINES_SHOWN;
  if (more > 0) lines.push(md`${pick(language, `…另有 ${more} 项`, `…and ${more} more`)}`);
  return {
    title: headline ?? pick(language, `盘点 ${stocktake.number}`, `Stocktake ${stocktake.number}`),
    tone: result ? (result.overLimit ? "danger" : "success") : "info",
    fields: [
      { label: pick(language, "盘点单", "Stocktake"), value: stocktake.number },
      { label: pick(language, "仓库", "Warehouse"), value: stocktake.warehouse },
      {
        label: pick(language, "已盘", "Counted"),
        value: `${counted} / ${stocktake.lines.length}`,
      },
      ...(result
        ? [
            {
              label: pick(language, "误差率", "Error rate"),
              value: `${result.rate} (${formatQuantity(result.differenceTotal)} / ${formatQuantity(result.bookTotal)})`,
            },
            {
              label: pick(
                language,
                `上限 ${STOCK_ERROR_LIMIT_PERCENT}%`,
                `Limit ${STOCK_ERROR_LIMIT_PERCENT}%`,
              ),
              value: result.overLimit
                ? pick(language, "超限: 已通知告警群", "over: the alert groups are told")
                : pick(language, "未超限", "within"),
            },
            ...(result.recountTasks.length > 0
              ? [
                  {
                    label: pick(language, "复盘待办", "Recount tasks"),
                    value: result.recountTasks.join(", "),
                  },
                ]
              : []),
          ]
        : []),
    ],
    markdown: joinRich(lines, "\n"),
  };
}

/** The open counts, then the last closed ones, one line each. */
export function stocktakeListCard(list: readonly Stocktake[], language: Language): Card {
  const lines = list.map((stocktake) => {
    const counted = stocktake.lines.filter((line) => line.counted !== null).length;
    const state = stocktake.result
      ? pick(language, `已结束 · 误差 ${stocktake.result.rate}`, `closed · error ${stocktake.result.rate}`)
      : pick(
          language,
          `进行中 · 已盘 ${counted}/${stocktake.lines.length}`,
          `open · ${counted}/${stocktake.lines.length} counted`,
        );
    return md`- ${stocktake.number} ${stocktake.warehouse}: ${state}`;
  });
  return {
    title: pick(language, "盘点", "Stocktakes"),
    tone: "info",
    markdown:
      lines.length === 0
        ? md`${pick(language, "还没有盘点。用 /盘点 开始 <仓库> 开始。", "No stocktake yet. Start one with /count start <warehouse>.")}`
        : joinRich(lines, "\n"),
  };
}

export function stocktakeRefusalText(refusal: StocktakeRefusal, language: Language): string {
  switch (refusal.kind) {
    case "unknown_warehouse":
      return pick(
        language,
        `仓库 ${refusal.warehouse} 没有物料 — 物料用 /库存 物料 <编码> <名称> <日用量> [单位] [仓库] 登记`,
        `no material is kept in warehouse ${refusal.warehouse} — declare materials with /stock item <sku> <name> <daily-use> [unit] [warehouse]`,
      );
    case "already_open":
      return pick(
        language,
        `仓库 ${refusal.warehouse} 正在盘点: ${refusal.number}`,
        `warehouse ${refusal.warehouse} is already being counted: ${refusal.number}`,
      );
    case "unknown_stocktake":
      return pick(language, `没有盘点单 ${refusal.number}`, `there is no stocktake ${refusal.number}`);
    case "closed":
      return pick(language, `盘点 ${refusal.number} 已结束`, `stocktake ${refusal.number} is closed`);
    case "not_in_stocktake":
      return pick(
        language,
        `物料 ${refusal.sku} 不在盘点 ${refusal.number} (仓库 ${refusal.warehouse}) 中`,
        `${refusal.sku} is not in stocktake ${refusal.number} (warehouse ${refusal.warehouse})`,
      );
    case "uncounted": {
      const named = refusal.skus.join(", ") + (refusal.total > refusal.skus.length ? " …" : "");
      return pick(
        language,
        `还有 ${refusal.total} 项未盘 (${named}): 全部盘完 (没有的记 0) 才能结束`,
        `${refusal.total} lines are not counted (${named}): count them all (0 when there is none) before closing`,
      );
    }
  }
}

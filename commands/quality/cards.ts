// Lot cards: a lot with its required sample and what was sampled, the list of lots, and the words of a refusal.
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md } from "../../src/chat/rich-text.ts";
import { percentText } from "../../src/domain/percent.ts";
import { DEFECT_LIMIT_PERCENT, SAMPLE_MIN, SAMPLE_PERCENT } from "../../src/domain/policy.ts";
import type { Lot } from "../../src/domain/quality/lots.ts";
import type { QualityRefusal } from "../../src/domain/quality/refusal.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

/** "sampled 12 of the required 50: 38 to go" — what stands between a lot and its release. */
export function shortfallText(sampled: number, required: number, language: Language): string {
  return pick(
    language,
    `已抽检 ${sampled} 件, 应抽 ${required} 件: 还差 ${required - sampled} 件`,
    `sampled ${sampled} of the required ${required}: ${required - sampled} to go`,
  );
}

function statusText(lot: Lot, language: Language): string {
  switch (lot.status) {
    case "released":
      return pick(language, "已放行", "released");
    case "rejected":
      return pick(
        language,
        `不合格 (不良率超过 ${DEFECT_LIMIT_PERCENT}%), 不得放行`,
        `rejected (defects over ${DEFECT_LIMIT_PERCENT}%): not to be released`,
      );
    case "open":
      return lot.sampleMet
        ? pick(language, "抽检已达要求, 待质检放行", "sample met: waiting for QA's release")
        : shortfallText(lot.sampled, lot.requiredSample, language);
  }
}

const defectRate = (lot: Lot): string => percentText(BigInt(lot.defects), BigInt(lot.sampled));

/** One lot: its order, size, the required sample and the rule behind it, what was sampled, its status. */
export function lotCard(lot: Lot, language: Language, headline?: string): Card {
  return {
    title: headline ?? pick(language, `批次 ${lot.number}`, `Lot ${lot.number}`),
    tone: lot.status === "rejected" ? "danger" : lot.status === "released" ? "success" : "info",
    fields: [
      { label: pick(language, "批次", "Lot"), value: lot.number },
      { label: pick(language, "订单", "Order"), value: `${lot.orderNumber} ${lot.customer} ${lot.model}` },
      { label: pick(language, "批量", "Lot size"), value: String(lot.size) },
      {
        label: pick(language, "应抽检", "Required sample"),
        value: pick(
          language,
          `${lot.requiredSample} 件 (${SAMPLE_PERCENT}% 向上取整, 至少 ${SAMPLE_MIN} 件)`,
          `${lot.requiredSample} (${SAMPLE_PERCENT}% rounded up, at least ${SAMPLE_MIN})`,
        ),
      },
      {
        label: pick(language, "已抽检 / 不良", "Sampled / defects"),
        value: `${lot.sampled} / ${lot.defects} (${defectRate(lot)})`,
      },
      { label: pick(language, "状态", "Status"), value: statusText(lot, language) },
    ],
  };
}

/** The open lots, then the last decided ones, one line each. */
export function lotListCard(list: readonly Lot[], language: Language): Card {
  const lines = list.map(
    (lot) =>
      md`- ${lot.number} · ${lot.orderNumber} ${lot.customer} · ${String(lot.size)} · ${statusText(lot, language)}`,
  );
  return {
    title: pick(language, "批次", "Lots"),
    tone: list.some((lot) => lot.status === "rejected") ? "warning" : "info",
    markdown:
      lines.length === 0
        ? md`${pick(language, "还没有批次。用 /批次 <订单号> <批量> 登记。", "No lots yet. Declare one with /lot new <O-no> <lot-size>.")}`
        : joinRich(lines, "\n"),
  };
}

export function qualityRefusalText(refusal: QualityRefusal, language: Language): string {
  switch (refusal.kind) {
    case "unknown_order":
      return pick(language, `没有订单 ${refusal.number}`, `there is no order ${refusal.number}`);
    case "order_not_in_production":
      return pick(
        language,
        `订单 ${refusal.number} 不在生产中 (${refusal.status}): 只有已确认的订单可以登记批次`,
        `order ${refusal.number} is not in production (${refusal.status}): lots are declared for confirmed orders`,
      );
    case "unknown_lot":
      return pick(language, `没有批次 ${refusal.number}`, `there is no lot ${refusal.number}`);
    case "defects_over_sampled":
      return pick(
        language,
        `不良数 ${refusal.defects} 不能多于抽样数 ${refusal.sampled}`,
        `defects (${refusal.defects}) cannot be more than sampled (${refusal.sampled})`,
      );
    case "sampled_over_size":
      return pick(
        language,
        `批次 ${refusal.number} 共 ${refusal.size} 件, 已抽 ${refusal.sampled} 件, 不能再抽 ${refusal.adding} 件`,
        `lot ${refusal.number} has ${refusal.size} units and ${refusal.sampled} were sampled: ${refusal.adding} more is too many`,
      );
    case "lot_decided":
      return refusal.status === "released"
        ? pick(language, `批次 ${refusal.number} 已放行`, `lot ${refusal.number} is already released`)
        : pick(
            language,
            `批次 ${refusal.number} 不合格 (不良率超过 ${DEFECT_LIMIT_PERCENT}%), 不得放行, 也不再抽检`,
            `lot ${refusal.number} is rejected (defects over ${DEFECT_LIMIT_PERCENT}%): it is not released nor sampled further`,
          );
    case "sample_short":
      return pick(
        language,
        `批次 ${refusal.number} 还不能放行: ${shortfallText(refusal.sampled, refusal.required, language)}`,
        `lot ${refusal.number} cannot be released yet: ${shortfallText(refusal.sampled, refusal.required, language)}`,
      );
  }
}

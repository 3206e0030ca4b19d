// The sales log's cards: an enquiry (Convert to order / Close), a feedback (Open a complaint), a follow-up; and
// the words of a refusal.
import { buttonValue, UserError } from "../../src/bot/index.ts";
import type { Card, CardButton } from "../../src/chat/card.ts";
import { type Language, translator } from "../../src/chat/language.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { formatLocalTime } from "../../src/domain/orders/index.ts";
import type { SalesEntry } from "../../src/domain/sales/entries.ts";
import type { SalesRefusal, SalesRefused } from "../../src/domain/sales/refusal.ts";

export const SALES_ACTIONS = {
  convert: "lead.convert",
  close: "lead.close",
  complaint: "feedback.complaint",
} as const;

export interface SalesView {
  language: Language;
  timezone: string;
  now: Date;
}

const when = (at: Date, view: SalesView): string =>
  formatLocalTime(at, view.timezone, localDateOf(view.now, view.timezone));

const KIND_TITLES = {
  lead: ["咨询", "Enquiry"],
  feedback: ["客户反馈", "Feedback"],
  followup: ["回访", "Follow-up"],
} as const;

/** "咨询 Q-20261125-001", "客户反馈 · 华为". */
const titleOf = (entry: SalesEntry, language: Language): string => {
  const [zh, en] = KIND_TITLES[entry.kind];
  const word = language === "zh" ? zh : en;
  return entry.number ? `${word} ${entry.number}` : `${word} · ${entry.customer}`;
};

/** What became of a lead or a feedback, and who did it when; undefined while nothing did. */
function outcomeText(entry: SalesEntry, view: SalesView): string | undefined {
  const t = translator(view.language);
  if (!entry.settledAt) return undefined;
  const by = `${entry.settledByName ?? "?"} · ${when(entry.settledAt, view)}`;
  if (entry.status === "converted")
    return t(`已转为订单 ${entry.orderNumber} (${by})`, `Converted to order ${entry.orderNumber} (${by})`);
  if (entry.status === "closed") return t(`已关闭 (${by})`, `Closed (${by})`);
  if (entry.complaintNumber)
    return t(
      `已转为投诉 ${entry.complaintNumber} (${by})`,
      `Complaint ${entry.complaintNumber} opened (${by})`,
    );
  return undefined;
}

function buttonsOf(entry: SalesEntry, language: Language): CardButton[] {
  const t = translator(language);
  if (entry.kind === "lead" && entry.status === "open" && entry.number) {
    const value = buttonValue(entry.number, language);
    return [
      { label: t("转为订单", "Convert to order"), action: SALES_ACTIONS.convert, value, style: "primary" },
      { label: t("关闭", "Close"), action: SALES_ACTIONS.close, value, style: "default" },
    ];
  }
  if (entry.kind === "feedback" && !entry.complaintNumber) {
    const value = buttonValue(String(entry.id), language);
    return [
      { label: t("转为投诉", "Open a complaint"), action: SALES_ACTIONS.complaint, value, style: "danger" },
    ];
  }
  return [];
}

/** One entry of the log: customer, what was said, who logged it when, and what became of it. */
export function salesEntryCard(entry: SalesEntry, view: SalesView, headline?: string): Card {
  const t = translator(view.language);
  const outcome = outcomeText(entry, view);
  const textLabel =
    entry.kind === "followup"
      ? t("回访结果", "Result")
      : entry.kind === "lead"
        ? t("咨询内容", "Enquiry")
        : t("反馈内容", "Feedback");
  const buttons = buttonsOf(entry, view.language);
  return {
    title: titleOf(entry, view.language),
    tone: entry.kind === "feedback" && !entry.complaintNumber ? "warning" : outcome ? "success" : "info",
    fields: [
      { label: t("客户", "Customer"), value: entry.customer },
      { label: textLabel, value: entry.text },
      { label: t("记录", "Logged"), value: `${entry.createdByName} · ${when(entry.at, view)}` },
      ...(outcome ? [{ label: t("结果", "Outcome"), value: outcome }] : []),
    ],
    ...(buttons.length > 0 && { buttons }),
    ...(headline && { note: headline }),
  };
}

export function salesRefusalWords(refusal: SalesRefusal): { zh: string; en: string } {
  switch (refusal.kind) {
    case "not_found":
      return { zh: `找不到记录 ${refusal.ref}`, en: `no sales log entry ${refusal.ref}` };
    case "lead_settled": {
      const { entry } = refusal;
      const zh = entry.status === "converted" ? `已转为订单 ${entry.orderNumber}` : "已关闭";
      const en =
        entry.status === "converted" ? `already converted to order ${entry.orderNumber}` : "already closed";
      return {
        zh: `咨询 ${entry.number} ${zh} (${entry.settledByName ?? "?"})`,
        en: `enquiry ${entry.number} was ${en} (${entry.settledByName ?? "?"})`,
      };
    }
    case "complaint_exists":
      return {
        zh: `这条反馈已转为投诉 ${refusal.entry.complaintNumber}`,
        en: `this feedback already has complaint ${refusal.entry.complaintNumber}`,
      };
    case "not_yours":
      return {
        zh: `只有记录人 (${refusal.entry.createdByName})、客服、经理或管理员可以关闭咨询 ${refusal.entry.number}`,
        en: `only whoever logged it (${refusal.entry.createdByName}), customer service, managers or admins close enquiry ${refusal.entry.number}`,
      };
  }
}

export function salesUserError(error: SalesRefused): UserError {
  const words = salesRefusalWords(error.refusal);
  return new UserError(words.zh, words.en, undefined, { cause: error });
}

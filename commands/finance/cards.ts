// Finance cards: a day's reconciliation (and what it replaced), a reimbursement with Sign / Reject for finance,
// the reason form of a rejection, and what the requester is told.
import { buttonValue } from "../../src/bot/index.ts";
import type { Card, OutboundMessage } from "../../src/chat/card.ts";
import { type Language, translator } from "../../src/chat/language.ts";
import { md } from "../../src/chat/rich-text.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import type { Expense } from "../../src/domain/finance/expenses.ts";
import { formatMoney } from "../../src/domain/finance/money.ts";
import type { Reconciliation } from "../../src/domain/finance/reconciliation.ts";
import type { FinanceRefusal } from "../../src/domain/finance/refusal.ts";
import { formatLocalTime } from "../../src/domain/orders/index.ts";

export const EXPENSE_ACTIONS = {
  sign: "expense.sign",
  reject: "expense.reject",
  rejectSubmit: "expense.reject.submit",
} as const;

/** The form input that carries a rejection's reason. */
export const REJECT_REASON_INPUT = "reason";

export interface FinanceView {
  language: Language;
  timezone: string;
  now: Date;
}

const when = (at: Date, view: FinanceView): string =>
  formatLocalTime(at, view.timezone, localDateOf(view.now, view.timezone));

/** A day's income, expenses and net; after a replacement, what the record said before. */
export function reconciliationCard(
  saved: Reconciliation,
  view: FinanceView,
  replaced?: Reconciliation,
): Card {
  const t = translator(view.language);
  const net = saved.income - saved.expense;
  return {
    title: t(`对账 ${saved.day}`, `Reconciliation ${saved.day}`),
    tone: replaced ? "warning" : "success",
    fields: [
      { label: t("收入", "Income"), value: formatMoney(saved.income) },
      { label: t("支出", "Expenses"), value: formatMoney(saved.expense) },
      { label: t("净额", "Net"), value: formatMoney(net) },
      ...(saved.note ? [{ label: t("备注", "Note"), value: saved.note }] : []),
      { label: t("记录", "Recorded"), value: `${saved.recordedByName} · ${when(saved.recordedAt, view)}` },
      ...(replaced
        ? [
            {
              label: t("已替换", "Replaced"),
              value: t(
                `收入 ${formatMoney(replaced.income)} · 支出 ${formatMoney(replaced.expense)}${replaced.note ? ` · ${replaced.note}` : ""} (${replaced.recordedByName} · ${when(replaced.recordedAt, view)})`,
                `income ${formatMoney(replaced.income)} · expenses ${formatMoney(replaced.expense)}${replaced.note ? ` · ${replaced.note}` : ""} (${replaced.recordedByName} · ${when(replaced.recordedAt, view)})`,
              ),
            },
          ]
        : []),
    ],
  };
}

function statusText(expense: Expense, view: FinanceView): string {
  const t = translator(view.language);
  const by = `${expense.decidedByName ?? "?"} · ${expense.decidedAt ? when(expense.decidedAt, view) : ""}`;
  switch (expense.status) {
    case "pending":
      return t(
        `待财务签批 (${when(expense.signDueAt, view)} 前)`,
        `Waiting for finance (due ${when(expense.signDueAt, view)})`,
      );
    case "signed":
      return t(`已签批 (${by})`, `Signed (${by})`);
    case "rejected":
      return t(`已驳回 (${by})`, `Rejected (${by})`);
  }
}

/** A reimbursement; while pending it carries Sign and Reject, which only finance may use. */
export function expenseCard(expense: Expense, view: FinanceView, headline?: string): Card {
  const t = translator(view.language);
  const value = buttonValue(expense.number, view.language);
  return {
    title: t(`报销 ${expense.number}`, `Reimbursement ${expense.number}`),
    tone: expense.status === "signed" ? "success" : expense.status === "rejected" ? "danger" : "info",
    fields: [
      { label: t("金额", "Amount"), value: formatMoney(expense.amount) },
      { label: t("事由", "Reason"), value: expense.reason },
      {
        label: t("申请人", "Requested by"),
        value: `${expense.requestedByName} · ${when(expense.requestedAt, view)}`,
      },
      { label: t("状态", "Status"), value: statusText(expense, view) },
      ...(expense.rejectReason
        ? [{ label: t("驳回原因", "Why rejected"), value: expense.rejectReason }]
        : []),
    ],
    ...(expense.status === "pending" && {
      buttons: [
        { label: t("签批", "Sign"), action: EXPENSE_ACTIONS.sign, value, style: "primary" as const },
        { label: t("驳回", "Reject"), action: EXPENSE_ACTIONS.reject, value, style: "danger" as const },
      ],
    }),
    ...(headline && { note: headline }),
  };
}

/** Reject asks why: a text box where cards have inputs, else the command to type (WeCom). */
export function rejectFormCard(expense: Expense, view: FinanceView): Card {
  const t = translator(view.language);
  const command = t(`/报销 驳回 ${expense.number} <原因…>`, `/expense reject ${expense.number} <reason…>`);
  return {
    ...expenseCard(expense, view),
    buttons: [],
    markdown: md`${t("请填写驳回原因, 或直接发送:", "Say why, or type:")} ${command}`,
    form: {
      action: EXPENSE_ACTIONS.rejectSubmit,
      value: buttonValue(expense.number, view.language),
      submitLabel: t("确认驳回", "Reject"),
      inputs: [
        {
          name: REJECT_REASON_INPUT,
          label: t("驳回原因", "Reason"),
          type: "text",
          required: true,
          placeholder: t("例如: 缺少发票", "e.g. no invoice"),
        },
      ],
    },
  };
}

/** What the requester is told once finance decided, in both languages (it may land in a group). */
export function expenseOutcomeMessage(expense: Expense): OutboundMessage {
  const amount = formatMoney(expense.amount);
  const by = expense.decidedByName ?? "?";
  const text =
    expense.status === "signed"
      ? `报销 ${expense.number} (${amount}, ${expense.reason}) 已由 ${by} 签批。\nReimbursement ${expense.number} (${amount}, ${expense.reason}) was signed by ${by}.`
      : `报销 ${expense.number} (${amount}, ${expense.reason}) 已被 ${by} 驳回: ${expense.rejectReason ?? ""}\nReimbursement ${expense.number} (${amount}, ${expense.reason}) was rejected by ${by}: ${expense.rejectReason ?? ""}`;
  return { type: "text", text };
}

export function financeRefusalWords(refusal: FinanceRefusal, view: FinanceView): { zh: string; en: string } {
  switch (refusal.kind) {
    case "future_day":
      return {
        zh: `不能对账还没到的日期 ${refusal.day} (今天 ${refusal.today})`,
        en: `cannot reconcile ${refusal.day}: it is after today (${refusal.today})`,
      };
    case "expense_not_found":
      return { zh: `找不到报销单 ${refusal.number}`, en: `no reimbursement ${refusal.number}` };
    case "expense_decided": {
      const { expense } = refusal;
      const by = `${expense.decidedByName ?? "?"} · ${expense.decidedAt ? when(expense.decidedAt, view) : ""}`;
      return expense.status === "signed"
        ? {
            zh: `报销 ${expense.number} 已签批 (${by})`,
            en: `reimbursement ${expense.number} was already signed (${by})`,
          }
        : {
            zh: `报销 ${expense.number} 已驳回 (${by})`,
            en: `reimbursement ${expense.number} was already rejected (${by})`,
          };
    }
  }
}

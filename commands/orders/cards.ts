// The order's cards: the confirmation card (Confirm / Cancel), the card after each change, the form and the list.

import { buttonValue } from "../../src/bot/index.ts";
import type { Card, CardButton, CardTone, FormInput } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { translator } from "../../src/chat/language.ts";
import { joinRich, md, type RichText } from "../../src/chat/rich-text.ts";
import { calendarDaysBetween, type LocalDate } from "../../src/domain/calendar/local-time.ts";
import {
  formatLocalTime,
  type OrderFilter,
  type OrderPage,
  type OrderRow,
  type OrderStatus,
  type OrderView,
} from "../../src/domain/orders/index.ts";
import { lastChange } from "./refusals.ts";

export const ORDER_ACTIONS = {
  confirm: "order.confirm",
  cancel: "order.cancel",
  submit: "order.submit",
} as const;

/** How a card is drawn: in whose language, and what "today" and times mean in OPS_TIMEZONE. */
export interface CardView {
  language: Language;
  timezone: string;
  today: LocalDate;
}

const STATUS_NAMES: Record<OrderStatus, { zh: string; en: string }> = {
  draft: { zh: "草稿", en: "draft" },
  confirmed: { zh: "已确认", en: "confirmed" },
  completed: { zh: "已完成", en: "completed" },
  cancelled: { zh: "已取消", en: "cancelled" },
};

const daysOverdue = (order: OrderRow, today: LocalDate): number =>
  order.status === "confirmed" ? Math.max(0, calendarDaysBetween(order.dueDate, today)) : 0;

function statusText(order: OrderRow, { language, today }: CardView): string {
  const t = translator(language);
  const name = STATUS_NAMES[order.status as OrderStatus] ?? { zh: order.status, en: order.status };
  const late = daysOverdue(order, today);
  return late > 0
    ? t(`${name.zh} · 逾期 ${late} 天`, `${name.en} · ${late} days overdue`)
    : t(name.zh, name.en);
}

function dueText(order: OrderRow, language: Language): string {
  if (order.delayCount === 0) return order.dueDate;
  return translator(language)(
    `${order.dueDate} (原交期 ${order.originalDueDate}, 已延期 ${order.delayCount} 次)`,
    `${order.dueDate} (originally ${order.originalDueDate}, delayed ${order.delayCount}×)`,
  );
}

function tone(order: OrderRow, duplicate: boolean, today: LocalDate): CardTone {
  switch (order.status) {
    case "draft":
      return duplicate ? "warning" : "info";
    case "confirmed":
      return daysOverdue(order, today) > 0 ? "danger" : "success";
    case "completed":
      return "success";
    default:
      return "neutral";
  }
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export interface OrderCardExtras {
  /** The number of a recent order with the same customer, model, quantity and due date (drafts only). */
  duplicateOf?: string | undefined;
  /** The delay just recorded, shown on the reply to /order delay. */
  delay?: { reason: string; by: string; at: Date };
}

/** The order as it stands: a draft gets Confirm / Cancel; any other state shows who acted and when, no buttons. */
export function orderCard(order: OrderView, view: CardView, extras: OrderCardExtras = {}): Card {
  const { language, timezone, today } = view;
  const t = translator(language);
  const creator = order.names[order.createdBy] ?? "?";
  const fields = [
    { label: t("客户", "Customer"), value: order.customer },
    { label: t("型号", "Model"), value: order.model },
    { label: t("数量", "Quantity"), value: String(order.quantity) },
    { label: t("交期", "Due"), value: dueText(order, language) },
    { label: t("状态", "Status"), value: statusText(order, view) },
    {
      label: t("下单", "Taken by"),
      value: `${creator} · ${formatLocalTime(order.createdAt, timezone, today)}`,
    },
  ];
  if (extras.delay) {
    const { reason, by, at } = extras.delay;
    fields.push({
      label: t("延期原因", "Delay reason"),
      value: `${reason} (${by} · ${formatLocalTime(at, timezone, today)})`,
    });
  }
  const isDraft = order.status === "draft";
  const duplicate = isDraft ? extras.duplicateOf : undefined;
  const duplicateWarning = duplicate
    ? t(
        `⚠️ 可能与 ${duplicate} 重复: 10 分钟内已有相同客户、型号、数量和交期的订单。确认前请核对。`,
        `⚠️ Possibly a duplicate of ${duplicate}: an order with the same customer, model, quantity and due date was taken in the last 10 minutes. Check before confirming.`,
      )
    : undefined;
  const value = buttonValue(order.number, language);
  const buttons: CardButton[] = isDraft
    ? [
        {
          label: t("确认", "Confirm"),
          action: ORDER_ACTIONS.confirm,
          value,
          style: "primary",
          ...(duplicate && {
            confirm: t(
              `是 ${duplicate} 的重复订单吗? 仍要确认 ${order.number}?`,
              `Duplicate of ${duplicate}? Confirm ${order.number} anyway?`,
            ),
          }),
        },
        { label: t("取消", "Cancel"), action: ORDER_ACTIONS.cancel, value, style: "danger" },
      ]
    : [];
  const change = lastChange(order, timezone, today);
  return {
    title: isDraft
      ? t(`确认订单 ${order.number}`, `Confirm order ${order.number}`)
      : t(`订单 ${order.number}`, `Order ${order.number}`),
    tone: tone(order, duplicate !== undefined, today),
    fields,
    ...(duplicateWarning && { markdown: md`${duplicateWarning}` }),
    ...(buttons.length > 0 && { buttons }),
    note: change
      ? t(change.zh, capitalised(change.en))
      : t("草稿: 确认后才进入生产", "Draft: production starts once it is confirmed"),
  };
}

/** What an order form starts from: a lead's customer, and the lead the order is drafted from. */
export interface OrderFormPrefill {
  customer: string;
  /** The lead's Q- number: the form's submit converts it. */
  lead: string;
}

/** The form /下单 alone answers with; where cards have no inputs (WeCom) the text shows the command to type. */
export function orderFormCard(
  view: CardView,
  usage: string,
  example: string,
  prefill?: OrderFormPrefill,
): Card {
  const t = translator(view.language);
  const inputs: FormInput[] = [
    {
      name: "customer",
      label: t("客户", "Customer"),
      type: "text",
      required: true,
      placeholder: t("客户名称", "customer name"),
      ...(prefill && { initial: prefill.customer }),
    },
    { name: "model", label: t("型号", "Model"), type: "text", required: true, placeholder: "X1" },
    { name: "quantity", label: t("数量", "Quantity"), type: "number", required: true, placeholder: "100" },
    {
      name: "due",
      label: t("交期", "Due date"),
      type: "date",
      required: true,
      placeholder: "YYYY-MM-DD",
      initial: view.today,
    },
  ];
  return {
    title: prefill
      ? t(`下单 (来自咨询 ${prefill.lead})`, `New order (from enquiry ${prefill.lead})`)
      : t("下单", "New order"),
    tone: "info",
    markdown:
      view.language === "zh"
        ? md`也可以直接发送: ${usage}\n例如: ${example}`
        : md`Or type: ${usage}\nFor example: ${example}`,
    form: {
      action: ORDER_ACTIONS.submit,
      value: buttonValue(prefill?.lead ?? "", view.language),
      submitLabel: t("提交", "Submit"),
      inputs,
    },
  };
}

const FILTER_WORDS: Record<OrderFilter, { zh: string; en: string; emptyZh: string; emptyEn: string }> = {
  open: { zh: "未完成", en: "open", emptyZh: "没有未完成的订单", emptyEn: "No open orders" },
  overdue: { zh: "逾期", en: "overdue", emptyZh: "没有逾期的订单", emptyEn: "No overdue orders" },
  mine: { zh: "我的", en: "mine", emptyZh: "你还没有下过订单", emptyEn: "You have not taken any orders" },
};

function listLine(order: OrderRow, view: CardView): RichText {
  const t = translator(view.language);
  return md`**${order.number}** ${order.customer} · ${order.model} × ${order.quantity} · ${t("交期", "due")} ${order.dueDate} · ${statusText(order, view)}`;
}

/** The orders of one filter, capped; says how many more there are. */
export function orderListCard(filter: OrderFilter, page: OrderPage, view: CardView): Card {
  const t = translator(view.language);
  const words = FILTER_WORDS[filter];
  const more = page.total - page.orders.length;
  return {
    title: t(`订单 · ${words.zh} (${page.total})`, `Orders · ${words.en} (${page.total})`),
    tone: filter === "overdue" && page.total > 0 ? "danger" : "info",
    markdown:
      page.orders.length > 0
        ? joinRich(
            page.orders.map((order) => md`- ${listLine(order, view)}`),
            "\n",
          )
        : md`${t(words.emptyZh, words.emptyEn)}`,
    ...(more > 0 && {
      note: t(`还有 ${more} 条未显示`, `${more} more not shown`),
    }),
  };
}

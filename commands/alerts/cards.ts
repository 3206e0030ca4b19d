// The alert card, in Chinese and English at once (it goes to groups): what is late, by how much, and its buttons.
import { buttonValue } from "../../src/bot/command.ts";
import type { Card, CardButton, CardField, OutboundMessage } from "../../src/chat/card.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import { daysLate } from "../../src/domain/alerts/conditions.ts";
import { goesToManagers } from "../../src/domain/alerts/levels.ts";
import { type AlertRow, alertFacts } from "../../src/domain/alerts/store.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { formatMoney, storedToFen } from "../../src/domain/finance/money.ts";
import { formatLocalTime } from "../../src/domain/orders/local-format.ts";
import { percentText } from "../../src/domain/percent.ts";
import { DEFECT_LIMIT_PERCENT, STOCK_ERROR_LIMIT_PERCENT } from "../../src/domain/policy.ts";
import { bilingualProvisionalMark } from "../calendar/provisional-mark.ts";

export const ALERT_ACTIONS = {
  ack: "alert.ack",
  snoozeHour: "alert.snooze_hour",
  snoozeTomorrow: "alert.snooze_tomorrow",
  escalate: "alert.escalate",
  /** On a late order's alert that went to the managers: says how to schedule its special meeting. */
  scheduleMeeting: "meeting.schedule",
} as const;

const both = (zh: string, en: string): string => `${zh} / ${en}`;

const HEADLINES: Record<string, [string, string]> = {
  "response:warning": ["投诉首次回复即将超时", "Complaint first response due soon"],
  "response:breach": ["投诉首次回复已超时", "Complaint first response overdue"],
  "resolution:warning": ["投诉解决即将超时", "Complaint resolution due soon"],
  "resolution:breach": ["投诉解决已超时", "Complaint resolution overdue"],
  "order:overdue": ["订单已逾期", "Order past due"],
  "order:review": [
    "订单逾期超过 5 天, 请召开专项评审会",
    "Order more than 5 days late: call a special review meeting",
  ],
  "inspection:missed": ["巡检未在截止时间前完成", "Inspection not done by its cut-off"],
  "system_check:missed": ["早间系统检查未按时完成", "Morning system check not done by its cut-off"],
  "task:overdue": ["待办已逾期", "Task overdue"],
  "maintenance:overdue": ["设备保养已逾期", "Equipment service overdue"],
  "stock:low": ["库存低于安全库存, 请补货", "Stock below its safety stock: reorder"],
  "risk:overdue": [
    "高风险尚无应对计划和负责人, 请用 /风险 计划 制定",
    "High risk without a plan and owner: plan it with /risk plan",
  ],
  "quality:finding": ["批次抽检不良率超限, 不得放行", "Lot over the defect limit: not to be released"],
  "stocktake:error": ["盘点误差率超限, 请复盘", "Stocktake error rate over the limit: recount"],
  "stocktake_due:missed": ["仓库本月尚未盘点", "Warehouse not counted this month"],
  "reconciliation:missed": ["工作日未按时对账", "A working day not reconciled in time"],
  "expense:overdue": ["报销单等待财务签批超时", "Reimbursement waiting for finance too long"],
};

function headline(kind: string, level: string): string {
  const [zh, en] = HEADLINES[`${kind}:${level}`] ?? ["告警", "Alert"];
  return both(zh, en);
}

export interface AlertCardState {
  /** The time the card is drawn at: days late and "today" are read from it. */
  now: Date;
  timezone: string;
  /** Who acknowledged or snoozed it, for the note. */
  ackedByName?: string | undefined;
  snoozedByName?: string | undefined;
  /** What a button asked to add under the card's text (the command to schedule a meeting, prefilled). */
  hint?: RichText | undefined;
}

function subjectFields(alert: AlertRow, { now, timezone }: AlertCardState): CardField[] {
  const facts = alertFacts(alert);
  const today = localDateOf(now, timezone);
  switch (facts.type) {
    case "complaint":
      return [
        { label: both("投诉", "Complaint"), value: facts.number },
        { label: both("客户", "Customer"), value: facts.customer },
        {
          label: both("期限", "Due"),
          value:
            formatLocalTime(new Date(facts.dueAt), timezone, today) +
            bilingualProvisionalMark(facts.provisional === true),
        },
      ];
    case "order": {
      const due =
        facts.dueDate === facts.originalDueDate
          ? facts.dueDate
          : `${facts.dueDate} (${both("原", "originally")} ${facts.originalDueDate})`;
      return [
        { label: both("订单", "Order"), value: facts.number },
        { label: both("客户", "Customer"), value: facts.customer },
        { label: both("型号 × 数量", "Model × qty"), value: `${facts.model} × ${facts.quantity}` },
        { label: both("交期", "Due"), value: due },
        { label: both("逾期天数", "Days late"), value: String(daysLate(facts.originalDueDate, today)) },
      ];
    }
    case "inspection":
      return [
        { label: both("区域", "Area"), value: both(facts.nameZh, facts.nameEn) },
        {
          label: both("截止", "Cut-off"),
          value: `${facts.day} ${facts.cutoff}${bilingualProvisionalMark(facts.provisional === true)}`,
        },
      ];
    case "system_check":
      return [
        { label: both("未检查的系统", "Systems not checked"), value: facts.systems.join(", ") },
        {
          label: both("截止", "Cut-off"),
          value: `${facts.day} ${facts.cutoff}${bilingualProvisionalMark(facts.provisional === true)}`,
        },
        { label: both("处理", "To do"), value: both("发送 /系统检查", "send /check") },
      ];
    case "task":
      return [
        { label: both("待办", "Task"), value: facts.number },
        { label: both("事项", "What"), value: facts.title },
        { label: both("负责人", "Owner"), value: facts.ownerName },
        { label: both("截止日期", "Due"), value: facts.dueDate },
      ];
    case "maintenance":
      return [
        { label: both("设备", "Equipment"), value: `${facts.code} ${facts.name}` },
        { label: both("应保养", "Service due"), value: facts.dueDate },
        { label: both("上次保养", "Last service"), value: facts.lastService },
      ];
    case "risk":
      return [
        { label: both("风险", "Risk"), value: facts.number },
        { label: both("描述", "What"), value: facts.description },
        {
          label: both("评分", "Score"),
          value: `${facts.score} (${both("可能性", "likelihood")} ${facts.likelihood} × ${both("影响", "impact")} ${facts.impact})`,
        },
        {
          label: both("计划期限", "Plan due"),
          value: formatLocalTime(new Date(facts.planDueAt), timezone, today),
        },
      ];
    case "quality":
      return [
        { label: both("批次", "Lot"), value: `${facts.number} (${facts.size})` },
        { label: both("订单", "Order"), value: `${facts.orderNumber} ${facts.customer} ${facts.model}` },
        {
          label: both("抽检", "Sampled"),
          value: `${facts.defects} / ${facts.sampled} (${percentText(BigInt(facts.defects), BigInt(facts.sampled))})`,
        },
        { label: both("不良率上限", "Defect limit"), value: `${DEFECT_LIMIT_PERCENT}%` },
      ];
    case "stocktake":
      return [
        { label: both("盘点", "Stocktake"), value: `${facts.number} (${facts.warehouse})` },
        {
          label: both("误差率", "Error rate"),
          value: `${facts.rate} (${facts.differenceTotal} / ${facts.bookTotal}) > ${STOCK_ERROR_LIMIT_PERCENT}%`,
        },
        { label: both("复盘待办", "Recount tasks"), value: String(facts.recounts) },
      ];
    case "stocktake_due":
      return [
        { label: both("仓库", "Warehouse"), value: facts.warehouse },
        { label: both("月份", "Month"), value: facts.month },
        {
          label: both("本月最后工作日", "Month's last working day"),
          value: facts.lastWorkingDay + bilingualProvisionalMark(facts.provisional === true),
        },
      ];
    case "reconciliation":
      return [
        { label: both("对账日", "Day"), value: facts.day },
        {
          label: both("期限", "Due"),
          value:
            formatLocalTime(new Date(facts.dueAt), timezone, today) +
            bilingualProvisionalMark(facts.provisional === true),
        },
        { label: both("处理", "To do"), value: `/对账 ${facts.day} <收入> <支出>` },
      ];
    case "expense":
      return [
        { label: both("报销单", "Reimbursement"), value: facts.number },
        { label: both("金额", "Amount"), value: formatMoney(storedToFen(facts.amount)) },
        { label: both("事由", "Reason"), value: facts.reason },
        { label: both("申请人", "Requested by"), value: facts.requestedByName },
        { label: both("期限", "Due"), value: formatLocalTime(new Date(facts.dueAt), timezone, today) },
      ];
    case "stock": {
      const unit = facts.unit ? ` ${facts.unit}` : "";
      const source =
        facts.dailyUseSource === "recorded"
          ? both("近期实际出库", "recorded outflows")
          : both("申报", "declared");
      return [
        { label: both("物料", "Material"), value: `${facts.sku} ${facts.name}` },
        { label: both("现有", "On hand"), value: `${facts.onHand}${unit}` },
        { label: both("安全库存", "Safety stock"), value: `${facts.safetyStock}${unit}` },
        { label: both("需补货", "To order"), value: `${facts.toOrder}${unit}` },
        { label: both("日用量", "Daily use"), value: `${facts.dailyUse}${unit} (${source})` },
      ];
    }
  }
}

/** The meeting request of an order review, or why an alert was escalated. */
function markdownOf(alert: AlertRow, { now, timezone }: AlertCardState): RichText | undefined {
  const facts = alertFacts(alert);
  if (facts.type === "order" && alert.level === "review") {
    const days = daysLate(facts.originalDueDate, localDateOf(now, timezone));
    return md`**请召开专项评审会**: 订单 ${facts.number} (客户 ${facts.customer}) 已逾期 ${days} 天。
**Call a special review meeting**: order ${facts.number} (customer ${facts.customer}) is ${days} days late.`;
  }
  const escalation = facts.escalation;
  if (!escalation) return undefined;
  return escalation.reason === "button"
    ? md`**已由 ${escalation.by ?? "?"} 升级给经理** / **Escalated to the managers by ${escalation.by ?? "?"}**`
    : markup(
        both(
          "**1 个工作日内无人确认, 已升级给经理**",
          "**Unacknowledged for 1 working day: escalated to the managers**",
        ),
      );
}

function titleOf(alert: AlertRow): string {
  const facts = alertFacts(alert);
  const base = headline(alert.kind, facts.escalation ? facts.escalation.from : alert.level);
  return alert.level === "escalation" ? `${both("升级", "Escalated")}: ${base}` : base;
}

function noteOf(alert: AlertRow, state: AlertCardState): string {
  const at = (instant: Date) =>
    formatLocalTime(instant, state.timezone, localDateOf(state.now, state.timezone));
  if (alert.ackedAt) {
    const who = state.ackedByName ?? "?";
    return both(`已由 ${who} 于 ${at(alert.ackedAt)} 确认`, `Acknowledged by ${who} at ${at(alert.ackedAt)}`);
  }
  if (alert.snoozedUntil && alert.notifyAt && alert.notifyAt > state.now) {
    const who = state.snoozedByName ?? "?";
    const until = at(alert.snoozedUntil);
    return both(`${who} 已推迟到 ${until} 再提醒`, `Snoozed by ${who} until ${until}`);
  }
  if (alert.closedReason === "escalated") return both("已升级给经理", "Escalated to the managers");
  if (alert.closedAt) return both("已结束", "Closed");
  return both(`第 ${alert.sentCount} 次提醒`, `Notice ${alert.sentCount}`);
}

function buttonsOf(alert: AlertRow): CardButton[] {
  if (alert.ackedAt || alert.closedAt) return [];
  const value = buttonValue(String(alert.id), "zh");
  const buttons: CardButton[] = [
    { label: both("确认", "Ack"), action: ALERT_ACTIONS.ack, value, style: "primary" },
    { label: both("1 小时后提醒", "Snooze 1 h"), action: ALERT_ACTIONS.snoozeHour, value },
    { label: both("明天再提醒", "Snooze to tomorrow"), action: ALERT_ACTIONS.snoozeTomorrow, value },
  ];
  if (alert.kind === "order" && goesToManagers(alert.level)) {
    buttons.push({
      label: both("安排会议", "Schedule meeting"),
      action: ALERT_ACTIONS.scheduleMeeting,
      value,
    });
  }
  if (!goesToManagers(alert.level)) {
    buttons.push({
      label: both("升级给经理", "Escalate"),
      action: ALERT_ACTIONS.escalate,
      value,
      style: "danger",
      confirm: both("通知所有经理?", "Tell every manager?"),
    });
  }
  return buttons;
}

/** The commands that answer an alert without its buttons, by its number. */
function commandsOf(alert: AlertRow): string | undefined {
  const number = alert.number;
  if (!number || alert.ackedAt || alert.closedAt) return undefined;
  const escalate = goesToManagers(alert.level) ? "" : ` · /升级 ${number}`;
  const escalateEn = goesToManagers(alert.level) ? "" : ` · /escalate ${number}`;
  return both(
    `回复 /确认 ${number} · /稍后 ${number} 1h|明天${escalate}`,
    `reply /ack ${number} · /snooze ${number} 1h|tomorrow${escalateEn}`,
  );
}

export function alertCard(alert: AlertRow, state: AlertCardState): Card {
  const text = markdownOf(alert, state);
  const markdown = text && state.hint ? joinRich([text, state.hint], "\n\n") : (text ?? state.hint);
  const withoutButtons = commandsOf(alert);
  return {
    title: titleOf(alert),
    tone: alert.level === "warning" ? "warning" : "danger",
    fields: [
      ...(alert.number ? [{ label: both("告警编号", "Alert no."), value: alert.number }] : []),
      ...subjectFields(alert, state),
    ],
    ...(markdown ? { markdown } : {}),
    buttons: buttonsOf(alert),
    note: noteOf(alert, state),
    ...(withoutButtons ? { withoutButtons } : {}),
  };
}

/** An alert's notice as the sweep sends it: its card at `now`. */
export const alertNotice = (alert: AlertRow, now: Date, timezone: string): OutboundMessage => ({
  type: "card",
  card: alertCard(alert, { now, timezone }),
});

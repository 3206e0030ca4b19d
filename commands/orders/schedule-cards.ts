// The production schedule's cards: the day's plan per line (with its people on shift and late orders flagged),
// the orders on no line, and the list of lines with their capacity.
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md, type RichText } from "../../src/chat/rich-text.ts";
import type {
  LinePlan,
  OpenOrder,
  PlannedOrder,
  ProductionLine,
  Schedule,
} from "../../src/domain/orders/index.ts";
import { priorityWord } from "./priority-words.ts";

/** A line's card stays readable in a chat window: this many orders, then how many more. */
const LIST_LIMIT = 10;

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

/** "…等另外 3 单" / "…and 3 more" after the first LIST_LIMIT. */
function capped<T>(items: readonly T[], draw: (item: T) => RichText, language: Language): RichText[] {
  const shown = items.slice(0, LIST_LIMIT).map(draw);
  const more = items.length - LIST_LIMIT;
  if (more > 0) shown.push(md`- ${pick(language, `…另外 ${more} 单`, `…and ${more} more`)}`);
  return shown;
}

/** "预计 2026-10-14 完成" / "finishes 2026-10-14"; past the horizon "after <its end>". */
function finishText(order: PlannedOrder, schedule: Schedule, language: Language): string {
  const when =
    order.finishes ?? pick(language, `${schedule.horizonEnd} 之后`, `after ${schedule.horizonEnd}`);
  return order.late
    ? pick(language, `⚠ 预计 ${when} 完成, 将逾期`, `⚠ late: finishes ${when}`)
    : pick(language, `预计 ${when} 完成`, `finishes ${when}`);
}

function todayLine(order: PlannedOrder, schedule: Schedule, language: Language): RichText {
  const priority = priorityWord(order.priority, language);
  const amounts = pick(
    language,
    `今日 ${order.units} / 共 ${order.quantity}`,
    `${order.units} today of ${order.quantity}`,
  );
  const due = pick(language, `交期 ${order.dueDate}`, `due ${order.dueDate}`);
  return md`- ${order.number} · ${priority} · ${amounts} · ${due} · ${finishText(order, schedule, language)}`;
}

function lateLine(order: PlannedOrder, schedule: Schedule, language: Language): RichText {
  const due = pick(language, `交期 ${order.dueDate}`, `due ${order.dueDate}`);
  return md`- ${order.number} · ${priorityWord(order.priority, language)} · ${due} · ${finishText(order, schedule, language)}`;
}

/** One line's day: its load, its people on shift, what it makes, and its other late orders. */
export function lineSection(plan: LinePlan, schedule: Schedule, language: Language): RichText {
  const { line } = plan;
  const load = pick(
    language,
    `产能 ${line.capacity}/天 · 今日计划 ${plan.planned}/${line.capacity} · 排队 ${plan.queued} 单`,
    `capacity ${line.capacity}/day · today ${plan.planned}/${line.capacity} · ${plan.queued} queued`,
  );
  const parts: RichText[] = [md`**${line.name}** — ${load}`];
  if (plan.rostered) {
    const people =
      plan.rostered.length > 0
        ? plan.rostered.join(pick(language, "、", ", "))
        : pick(language, "无", "none");
    parts.push(md`${pick(language, "当班", "On shift")}: ${people}`);
  }
  if (plan.today.length > 0)
    parts.push(...capped(plan.today, (o) => todayLine(o, schedule, language), language));
  else if (schedule.working) parts.push(md`${pick(language, "今日无生产任务", "Nothing to make today")}`);
  const lateLater = plan.late.filter((order) => order.units === 0);
  if (lateLater.length > 0) {
    parts.push(md`${pick(language, "之后将逾期的订单", "Late orders made on later days")}:`);
    parts.push(...capped(lateLater, (o) => lateLine(o, schedule, language), language));
  }
  return joinRich(parts, "\n");
}

function unassignedSection(orders: readonly OpenOrder[], language: Language): RichText {
  const label = pick(language, "未分配产线", "No line");
  const count = pick(
    language,
    `${orders.length} 单 (用 /订单 产线 <订单号> <产线> 分配)`,
    `${orders.length} ${orders.length === 1 ? "order" : "orders"} (assign with /order line <order-no> <line>)`,
  );
  const line = (order: OpenOrder) =>
    md`- ${order.number} · ${priorityWord(order.priority, language)} · ${order.quantity} · ${pick(language, `交期 ${order.dueDate}`, `due ${order.dueDate}`)}`;
  return joinRich([md`**${label}** — ${count}`, ...capped(orders, line, language)], "\n");
}

const title = (schedule: Schedule, language: Language, line?: ProductionLine): string =>
  pick(language, `排产 ${schedule.day}`, `Production schedule ${schedule.day}`) +
  (line ? ` · ${line.name}` : "");

/** What the plan assumes, and a day off said as such. */
function noteOf(schedule: Schedule, language: Language): string {
  const basis = pick(
    language,
    `按优先级 (高→低)、交期、订单号排队, 从 ${schedule.start} 起按每个工作日的产能推算`,
    `queued by priority (high first), due date and order number, filling each working day's capacity from ${schedule.start}`,
  );
  if (schedule.working) return basis;
  return `${pick(language, `${schedule.day} 不是工作日, 不排产。`, `${schedule.day} is not a working day: nothing is made.`)} ${basis}`;
}

const hasLate = (plans: readonly LinePlan[]) => plans.some((plan) => plan.late.length > 0);

/** The whole day in one card: /schedule's answer. */
export function scheduleCard(schedule: Schedule, language: Language): Card {
  const sections = schedule.lines.map((plan) => lineSection(plan, schedule, language));
  if (schedule.unassigned.length > 0) sections.push(unassignedSection(schedule.unassigned, language));
  const empty = pick(
    language,
    "还没有产线。用 /产线 设置 <产线> <日产能> 建立。",
    "No production lines yet. Set one up with /line set <line> <units-per-day>.",
  );
  return {
    title: title(schedule, language),
    tone: hasLate(schedule.lines) ? "warning" : "info",
    markdown: sections.length > 0 ? joinRich(sections, "\n\n") : md`${empty}`,
    note: noteOf(schedule, language),
  };
}

/** The morning push: one card per line, and one for the orders on no line when there are any. */
export function scheduleCards(schedule: Schedule, language: Language): Card[] {
  const cards: Card[] = schedule.lines.map((plan) => ({
    title: title(schedule, language, plan.line),
    tone: plan.late.length > 0 ? "warning" : "info",
    markdown: lineSection(plan, schedule, language),
    note: noteOf(schedule, language),
  }));
  if (schedule.unassigned.length > 0)
    cards.push({
      title: title(schedule, language),
      tone: "warning",
      markdown: unassignedSection(schedule.unassigned, language),
    });
  return cards;
}

/** /line: every line with its capacity. */
export function linesCard(lines: readonly ProductionLine[], language: Language): Card {
  const rows = lines.map(
    (line) => md`- ${line.name}: ${pick(language, `${line.capacity}/天`, `${line.capacity}/day`)}`,
  );
  const empty = pick(
    language,
    "还没有产线。用 /产线 设置 <产线> <日产能> 建立。",
    "No production lines yet. Set one up with /line set <line> <units-per-day>.",
  );
  return {
    title: pick(language, "产线", "Production lines"),
    tone: "info",
    markdown: rows.length > 0 ? joinRich(rows, "\n") : md`${empty}`,
  };
}

import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { Language } from "../../src/chat/language.ts";
import { traceWorkingDays } from "../../src/domain/calendar/deadline-trace.ts";
import { type LocalDate, localDateOf } from "../../src/domain/calendar/local-time.ts";
import type { CalendarChangeOutcome } from "../../src/domain/calendar/override-changes.ts";
import { createWorkingCalendar, type WorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { RESOLUTION_WORKING_DAYS } from "../../src/domain/policy.ts";
import { formatLocal } from "../complaints/cards.ts";
import type { CommandDeps } from "../deps.ts";
import { NoticeLineError, parseDayRange, parseNoticeList } from "./notice-list.ts";
import { provisionalMark } from "./provisional-mark.ts";
import { describeDay, describeTrace, overrideLines, provisionalLegend } from "./text.ts";

const CALENDAR = { zh: "日历", en: "Calendar" };
/** Overrides /calendar lists, from the day asked about on. */
const LISTED_OVERRIDES = 20;
const COMPLAINT_NO = /^C-\d{8}-\d{3,}$/;
const ORDER_NO = /^O-\d{8}-\d{3,}$/;

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

export function createCalendarCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { calendar: companyCalendar, complaints, orders } = deps.services;
  const { timezone } = deps.config;
  const calendarNow = async (): Promise<WorkingCalendar> =>
    createWorkingCalendar({ timezone, overrides: await companyCalendar.overrides() });

  async function explainDay(day: LocalDate, language: Language): Promise<string> {
    const calendar = await calendarNow();
    const overrides = await companyCalendar.list(day, LISTED_OVERRIDES);
    const note = overrides.find((override) => override.day === day)?.note;
    return [
      describeDay(day, calendar.isWorkingDay(day), language, note),
      overrideLines(overrides, language),
      provisionalLegend(language),
    ].join("\n\n");
  }

  async function explainComplaint(number: string, language: Language): Promise<string> {
    const complaint = await complaints.find(number);
    if (!complaint) throw new UserError(`没有投诉 ${number}`, `there is no complaint ${number}`);
    const trace = traceWorkingDays(await calendarNow(), complaint.receivedAt, RESOLUTION_WORKING_DAYS);
    const moved = complaint.resolutionDueMovedFrom
      ? pick(
          language,
          `\n因日历调整, 期限由 ${formatLocal(complaint.resolutionDueMovedFrom, timezone)} 改为现值。`,
          `\nA calendar change moved it from ${formatLocal(complaint.resolutionDueMovedFrom, timezone)}.`,
        )
      : "";
    return [
      pick(
        language,
        `${number} 解决期限 = 收到后 ${RESOLUTION_WORKING_DAYS} 个工作日 (首次回复为 24 小时, 不看日历)`,
        `${number} resolution due = ${RESOLUTION_WORKING_DAYS} working days after receipt (the first response is 24 clock hours, no calendar)`,
      ),
      describeTrace(trace, complaint.receivedAt, timezone, language) + moved,
      provisionalLegend(language),
    ].join("\n\n");
  }

  async function explainOrder(number: string, language: Language): Promise<string> {
    const order = await orders.find(number);
    if (!order) throw new UserError(`没有订单 ${number}`, `there is no order ${number}`);
    const calendar = await calendarNow();
    const lines = [
      pick(
        language,
        `${number} 的交期是下单时约定的日期, 不按工作日推算:`,
        `${number}'s due date is the date agreed when it was ordered, not counted in working days:`,
      ),
      `${pick(language, "交期", "Due")} ${describeDay(order.dueDate, calendar.isWorkingDay(order.dueDate), language)}`,
    ];
    if (order.originalDueDate !== order.dueDate)
      lines.push(
        `${pick(language, "原交期", "Originally due")} ${describeDay(order.originalDueDate, calendar.isWorkingDay(order.originalDueDate), language)}`,
      );
    return [lines.join("\n"), provisionalLegend(language)].join("\n\n");
  }

  function outcomeText(
    outcome: CalendarChangeOutcome,
    language: Language,
    verbZh: string,
    verbEn: string,
  ): string {
    const lines = [
      pick(
        language,
        `已${verbZh} ${outcome.changed.length} 天的公司调整。`,
        `${verbEn} ${outcome.changed.length} day(s) of company overrides.`,
      ),
    ];
    if (outcome.moved.length === 0)
      lines.push(pick(language, "没有未解决投诉的期限因此改变。", "No open complaint's deadline moved."));
    for (const moved of outcome.moved)
      lines.push(
        `${moved.number}: ${formatLocal(moved.from, timezone)} → ${formatLocal(moved.to, timezone)}${provisionalMark(moved.provisional, language)}`,
      );
    return lines.join("\n");
  }

  return {
    commands: [
      defineCommand({
        id: "calendar",
        group: CALENDAR,
        names: { en: ["calendar"], zh: ["日历"] },
        description: {
          zh: "某天是否工作日及原因, 或投诉/订单的期限如何推算; （暂定）标记的含义",
          en: "whether a day is a working day and why, or how a complaint's or order's deadline was counted; what (provisional) means",
        },
        example: "2027-02-05",
        args: {
          subject: arg.text({ label: { zh: "日期或单号", en: "date or number" }, optional: true }),
        },
        async handler({ args, language, reply }) {
          const typed = (args.subject ?? "").normalize("NFKC").trim().toUpperCase();
          let text: string;
          if (typed === "") text = await explainDay(localDateOf(deps.now(), timezone), language);
          else if (COMPLAINT_NO.test(typed)) text = await explainComplaint(typed, language);
          else if (ORDER_NO.test(typed)) text = await explainOrder(typed, language);
          else {
            const days = parseDayRange(typed);
            if (!Array.isArray(days) || days.length !== 1 || !days[0])
              throw new UserError(
                `请写一个日期 (2027-02-05)、投诉号 (C-20261126-001) 或订单号 (O-20261126-001): ${args.subject}`,
                `give a date (2027-02-05), a complaint number (C-20261126-001) or an order number (O-20261126-001): ${args.subject}`,
              );
            text = await explainDay(days[0], language);
          }
          return reply.text(text, text);
        },
      }),
      defineCommand({
        id: "calendar.set",
        group: CALENDAR,
        names: { en: ["calendar set"], zh: ["日历 设置"] },
        description: {
          zh: "设置公司调整 (可一次粘贴整年通知, 每行: 日期或范围 holiday|workday 名称); 未解决投诉的期限随之重算",
          en: "set company overrides (paste a year's notice at once, one line each: date or range holiday|workday name); open deadlines are counted again",
        },
        example: {
          zh: "2027-02-05..2027-02-11 休息 春节",
          en: "2027-02-05..2027-02-11 holiday Spring Festival",
        },
        roles: ["admin"],
        args: { lines: arg.rest({ label: { zh: "安排", en: "days" } }) },
        async handler({ args, language, actor, reply }) {
          let entries: ReturnType<typeof parseNoticeList>;
          try {
            entries = parseNoticeList(args.lines);
          } catch (error) {
            if (!(error instanceof NoticeLineError)) throw error;
            throw new UserError(
              `第 ${error.line} 行有误, 未作任何更改: ${error.problem.zh}`,
              `line ${error.line} is wrong, nothing changed: ${error.problem.en}`,
            );
          }
          const outcome = await companyCalendar.set(actor, timezone, entries);
          const text = outcomeText(outcome, language, "设置", "Set");
          return reply.text(text, text);
        },
      }),
      defineCommand({
        id: "calendar.unset",
        group: CALENDAR,
        names: { en: ["calendar unset"], zh: ["日历 取消"] },
        description: {
          zh: "取消某天或某段日期的公司调整, 恢复通知或暂定规则",
          en: "remove the company override of a day or range, back to the notice or the provisional rule",
        },
        example: "2027-02-11",
        roles: ["admin"],
        args: { range: arg.text({ label: { zh: "日期或范围", en: "date or range" } }) },
        async handler({ args, language, actor, reply }) {
          const days = parseDayRange(args.range);
          if (!Array.isArray(days)) throw new UserError(days.zh, days.en);
          const outcome = await companyCalendar.unset(actor, timezone, days);
          if (outcome.changed.length === 0)
            throw new UserError(
              `${args.range} 没有公司调整, 未作更改`,
              `${args.range} has no company override; nothing changed`,
            );
          const text = outcomeText(outcome, language, "取消", "Removed");
          return reply.text(text, text);
        },
      }),
    ],
    actions: [],
  };
}

// /meeting new|minutes|action|show (/会议 …): special meetings about late orders, the monthly review meeting and
// any other; and "Schedule meeting" on a late order's alert card, which says what to send, prefilled.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import { usageSentence } from "../../src/bot/usage.ts";
import type { InboundMessage } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import { alertFacts } from "../../src/domain/alerts/store.ts";
import { instantAt, isLocalDate, localDateOf, parseTimeOfDay } from "../../src/domain/calendar/local-time.ts";
import type { MeetingSubject } from "../../src/domain/meetings/changes.ts";
import { MeetingRefused } from "../../src/domain/meetings/refusal.ts";
import type { Attendee } from "../../src/domain/meetings/store.ts";
import { OrderRefused } from "../../src/domain/orders/index.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { MEETING_SUGGESTED_TIME } from "../../src/domain/policy.ts";
import { TaskRefused } from "../../src/domain/tasks/refusal.ts";
import { ALERT_ACTIONS, alertCard } from "../alerts/cards.ts";
import type { CommandDeps } from "../deps.ts";
import { accountNamed, leadingMentions } from "../mentioned-names.ts";
import { personMentioned } from "../mentioned-people.ts";
import { orderUserError } from "../orders/refusals.ts";
import { taskRefusalText } from "../tasks/cards.ts";
import { TASK_NEW_ARGS, typedTask } from "../tasks/typed-task.ts";
import {
  type MeetingCardClock,
  meetingCard,
  meetingInvitation,
  meetingRefusalText,
  schedulingHint,
} from "./cards.ts";

/** Who schedules meetings and records their minutes and actions; anyone may read a meeting. */
export const MEETING_ORGANISERS: readonly Role[] = ["manager", "admin"];

const MEETINGS = { zh: "会议", en: "Meetings" };

const meetingNo = arg.text({
  label: { zh: "会议号", en: "meeting number" },
  pattern: /^[Mm]-\d{8}-\d{3,}$/,
  example: "M-20261207-001",
});

const ACTION_ARGS = { meetingNo, ...TASK_NEW_ARGS } as const;

const NEW_USAGE = {
  zh: "用法: /会议 新建 <订单号|评审|议题…> <YYYY-MM-DD HH:MM> @参会人…",
  en: "usage: /meeting new <O-no|review|topic…> <YYYY-MM-DD HH:MM> @people…",
};
const MINUTES_USAGE = {
  zh: "用法: /会议 纪要 <会议号> <决定…> [交期 YYYY-MM-DD]",
  en: "usage: /meeting minutes <M-no> <decision…> [due YYYY-MM-DD]",
};

const WHEN = /^(.*?)\s+(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})(?:\s+(.*))?$/su;
const ORDER_NO = /^O-\d{8}-\d{3,}$/i;
const REVIEW_WORDS = new Set(["review", "评审", "月度评审"]);
/** "… due 2026-12-20" or "… 交期 2026-12-20" at the end of the minutes: the order's new due date. */
const NEW_DUE = /^(.*?)\s+(?:due|交期)\s+(\d{4}-\d{2}-\d{2})$/su;

const meetingSubjectOf = (typed: string): MeetingSubject => {
  if (ORDER_NO.test(typed)) return { kind: "order", number: typed.toUpperCase() };
  if (REVIEW_WORDS.has(typed.toLowerCase())) return { kind: "review" };
  return { kind: "topic", text: typed };
};

const bad = (zh: string, en: string, usage: { zh: string; en: string }): UserError =>
  new UserError(`${zh} — ${usage.zh}`, `${en} — ${usage.en}`);

/** "<subject…> <date> <time> @people…" as typed, checked word by word. */
function parseNewMeeting(details: string, timezone: string) {
  const match = WHEN.exec(details.normalize("NFKC").trim());
  if (!match) throw bad("要写会议议题、日期和时间", "write the topic, then the date and time", NEW_USAGE);
  const [, subject = "", day = "", time = "", people = ""] = match;
  if (subject.trim() === "") throw bad("要写会议议题", "write what the meeting is about", NEW_USAGE);
  if (!isLocalDate(day)) throw bad(`不是有效日期: ${day}`, `not a real date: ${day}`, NEW_USAGE);
  const [hours = 0, minutes = 0] = time.split(":").map(Number);
  if (hours > 23 || minutes > 59) throw bad(`不是有效时间: ${time}`, `not a real time: ${time}`, NEW_USAGE);
  const startsAt = instantAt(day, parseTimeOfDay(time.padStart(5, "0")), timezone);
  return { subject: meetingSubjectOf(subject.trim()), startsAt, people };
}

export function createMeetingCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { meetings, people, tasks, alerts } = deps.services;
  const { timezone } = deps.config;
  const clock = (): MeetingCardClock => ({ now: deps.now(), timezone });

  /** A domain refusal becomes the reply (with the usage, when given); the order's own refusals keep their words. */
  async function explained<T>(work: () => Promise<T>, usage?: { zh: string; en: string }): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof OrderRefused)
        throw orderUserError(error, timezone, localDateOf(deps.now(), timezone));
      if (error instanceof TaskRefused) {
        const words = (language: Language) =>
          taskRefusalText(error.refusal, { language, now: deps.now(), timezone });
        throw new UserError(words("zh"), words("en"), undefined, { cause: error });
      }
      if (!(error instanceof MeetingRefused)) throw error;
      const words = (language: Language) =>
        meetingRefusalText(error.refusal, language, clock()) + (usage ? ` — ${usage[language]}` : "");
      throw new UserError(words("zh"), words("en"), undefined, { cause: error });
    }
  }

  /** The people "@a @b …" names, as persons (created on first mention, like a task's owner). */
  async function attendeesOf(typed: string, event: InboundMessage, at: Date): Promise<Attendee[]> {
    const { names, rest } = leadingMentions(typed, event.mentions);
    if (names.length === 0 || rest !== "")
      throw bad(
        `要 @ 参会人: ${typed.trim() || "(空)"}`,
        `@ the attendees: ${typed.trim() || "(nothing)"}`,
        NEW_USAGE,
      );
    const attendees = new Map<number, Attendee>();
    for (const name of names) {
      const account = accountNamed(name, event.mentions);
      if (!account)
        throw bad(`无法识别 @${name}: 请写 @用户ID`, `cannot tell who @${name} is: write @userid`, NEW_USAGE);
      const person = await personMentioned(people, account, event, at);
      attendees.set(person.personId, { personId: person.personId, name: person.name });
    }
    return [...attendees.values()];
  }

  const commands = [
    defineCommand({
      id: "meeting.new",
      group: MEETINGS,
      names: { en: ["meeting new"], zh: ["会议 新建"] },
      description: {
        zh: "安排会议: 逾期订单的专项会议 (订单号, 并确认其告警)、月度评审 (评审) 或其他议题; 私信通知参会人",
        en: "schedule a meeting: a late order's special meeting (its number; acknowledges its alert), the monthly review (review) or any topic; attendees are told directly",
      },
      example: {
        zh: "O-20261120-001 2026-12-08 10:00 @王伟 @李娜",
        en: "O-20261120-001 2026-12-08 10:00 @Wang @Li",
      },
      roles: MEETING_ORGANISERS,
      args: { details: arg.rest({ label: { zh: "议题 时间 @参会人", en: "topic when @people" } }) },
      handler: async ({ args, event, actor, language, reply }) => {
        const { subject, startsAt, people: named } = parseNewMeeting(args.details, timezone);
        const attendees = await attendeesOf(named, event, actor.at);
        const { meeting } = await explained(
          () =>
            meetings.schedule(
              actor,
              {
                subject,
                startsAt,
                attendees,
                chat: { platform: event.platform, chatId: event.chat.id },
                timezone,
              },
              (scheduled) => ({ type: "card", card: meetingInvitation(scheduled, actor.name, clock()) }),
            ),
          NEW_USAGE,
        );
        return reply.card(meetingCard(meeting, [], language, clock()));
      },
    }),
    defineCommand({
      id: "meeting.minutes",
      group: MEETINGS,
      names: { en: ["meeting minutes"], zh: ["会议 纪要"] },
      description: {
        zh: "记录会议决定; 订单专项会议可在末尾写 交期 YYYY-MM-DD, 按延期规则改订单交期",
        en: "record the meeting's decision; a special meeting may end with due YYYY-MM-DD to move the order's due date by the delay rules",
      },
      example: {
        zh: "M-20261207-001 加班两天, 分两批发货 交期 2026-12-20",
        en: "M-20261207-001 two days' overtime, ship in two lots due 2026-12-20",
      },
      roles: MEETING_ORGANISERS,
      args: { meetingNo, decision: arg.rest({ label: { zh: "决定", en: "decision" } }) },
      handler: async ({ args, actor, language, reply }) => {
        const typed = args.decision.normalize("NFKC").trim();
        const due = NEW_DUE.exec(typed);
        if (due?.[2] !== undefined && !isLocalDate(due[2]))
          throw bad(`不是有效日期: ${due[2]}`, `not a real date: ${due[2]}`, MINUTES_USAGE);
        const number = args.meetingNo.toUpperCase();
        const meeting = await explained(
          () =>
            meetings.minutes(actor, number, {
              decision: due ? (due[1] ?? "") : args.decision,
              newDue: due?.[2],
              timezone,
            }),
          MINUTES_USAGE,
        );
        return reply.card(
          meetingCard(meeting, await tasks.ofSource({ type: "meeting", id: number }), language, clock()),
        );
      },
    }),
    defineCommand({
      id: "meeting.action",
      group: MEETINGS,
      names: { en: ["meeting action"], zh: ["会议 行动"] },
      description: {
        zh: "会议的行动项: 一个有负责人和截止日期的待办",
        en: "an action of the meeting: a task with an owner and a due date",
      },
      example: {
        zh: "M-20261207-001 安排周末加班 @王伟 2026-12-10",
        en: "M-20261207-001 book weekend shifts @Wang 2026-12-10",
      },
      roles: MEETING_ORGANISERS,
      args: ACTION_ARGS,
      handler: async ({ args, event, actor, language, reply }) => {
        const usage = usageSentence({ zh: "会议 行动", en: "meeting action" }, ACTION_ARGS);
        const typed = await typedTask(people, args, event, actor.at, usage);
        const number = args.meetingNo.toUpperCase();
        await explained(() => meetings.action(actor, number, { ...typed, timezone }));
        const meeting = await meetings.find(number);
        if (!meeting) throw new Error(`meeting ${number} vanished after its action was added`);
        return reply.card(
          meetingCard(meeting, await tasks.ofSource({ type: "meeting", id: number }), language, clock()),
        );
      },
    }),
    defineCommand({
      id: "meeting.show",
      group: MEETINGS,
      names: { en: ["meeting show"], zh: ["会议 查看"] },
      description: { zh: "查看会议、纪要和行动项", en: "a meeting with its minutes and actions" },
      example: "M-20261207-001",
      args: { meetingNo },
      handler: async ({ args, language, reply }) => {
        const number = args.meetingNo.toUpperCase();
        const meeting = await meetings.find(number);
        if (!meeting) throw new UserError(`找不到会议 ${number}`, `no meeting ${number}`);
        return reply.card(
          meetingCard(meeting, await tasks.ofSource({ type: "meeting", id: number }), language, clock()),
        );
      },
    }),
  ];

  const actions = [
    defineAction({
      id: ALERT_ACTIONS.scheduleMeeting,
      handler: async ({ id, event, t }) => {
        const alert = /^\d+$/.test(id ?? "") ? await alerts.find(Number(id)) : undefined;
        const facts = alert ? alertFacts(alert) : undefined;
        if (!alert || facts?.type !== "order")
          throw new UserError("找不到这条订单告警", "no such order alert", {
            reason: "unknown_entity",
            entityType: "alert",
            entityId: id ?? "",
          });
        if (!(await alerts.wasSentTo(alert, { platform: event.platform, chatId: event.chat.id })))
          throw new UserError(
            "这条告警没有发到这个会话, 不能在这里处理",
            "this alert was not sent to this chat",
            {
              reason: "other_chat",
              entityType: "alert",
              entityId: String(alert.id),
            },
          );
        const now = deps.now();
        const calendar = await alerts.calendar(timezone);
        const { day } = calendar.nextWorkingDay(localDateOf(now, timezone));
        const prefilled = {
          zh: `/会议 新建 ${facts.number} ${day} ${MEETING_SUGGESTED_TIME}`,
          en: `/meeting new ${facts.number} ${day} ${MEETING_SUGGESTED_TIME}`,
        };
        return {
          card: alertCard(alert, { now, timezone, hint: schedulingHint(prefilled) }),
          toast: {
            kind: "info" as const,
            text: t(`发送 ${prefilled.zh} @参会人`, `Send ${prefilled.en} @attendees`),
          },
        };
      },
    }),
  ];

  return { commands, actions };
}

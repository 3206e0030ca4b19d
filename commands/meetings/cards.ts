// Meeting cards: the meeting with its minutes and actions, the invitation an attendee gets, the refusals in words,
// and the scheduling hint the "Schedule meeting" and "Record action" buttons add to the card they were on.
import type { Card, CardField } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import type { MeetingRefusal } from "../../src/domain/meetings/refusal.ts";
import type { Meeting } from "../../src/domain/meetings/store.ts";
import { formatLocalTime } from "../../src/domain/orders/local-format.ts";
import type { Task } from "../../src/domain/tasks/store.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

export interface MeetingCardClock {
  now: Date;
  timezone: string;
}

function topicOf(meeting: Meeting, language: Language): string {
  if (meeting.kind === "special")
    return pick(language, `订单 ${meeting.topic} 专项会议`, `Order ${meeting.topic}: special meeting`);
  if (meeting.kind === "review") return pick(language, "月度评审", "Monthly review");
  return meeting.topic;
}

const attendeeNames = (meeting: Meeting): string => meeting.attendees.map((person) => person.name).join(", ");

function fieldsOf(meeting: Meeting, language: Language, clock: MeetingCardClock): CardField[] {
  const today = localDateOf(clock.now, clock.timezone);
  const fields: CardField[] = [
    { label: pick(language, "议题", "Topic"), value: topicOf(meeting, language) },
    {
      label: pick(language, "时间", "When"),
      value: formatLocalTime(meeting.startsAt, clock.timezone, today),
    },
    { label: pick(language, "参会人", "Attendees"), value: attendeeNames(meeting) },
  ];
  if (meeting.decision) fields.push({ label: pick(language, "决定", "Decision"), value: meeting.decision });
  if (meeting.newDueDate)
    fields.push({ label: pick(language, "新交期", "New due date"), value: meeting.newDueDate });
  return fields;
}

export function meetingCard(
  meeting: Meeting,
  actions: readonly Task[],
  language: Language,
  clock: MeetingCardClock,
): Card {
  const lines = actions.map(
    (task) => md`- **${task.number}** ${task.title} · ${task.ownerName} · ${task.dueDate}`,
  );
  const next = meeting.decision
    ? pick(
        language,
        `行动项: /会议 行动 ${meeting.number} <事项…> @负责人 <截止日期>`,
        `Actions: /meeting action ${meeting.number} <title…> @owner <due>`,
      )
    : pick(
        language,
        `会后记录纪要: /会议 纪要 ${meeting.number} <决定…> [交期 YYYY-MM-DD]`,
        `After it: /meeting minutes ${meeting.number} <decision…> [due YYYY-MM-DD]`,
      );
  return {
    title: `${pick(language, "会议", "Meeting")} ${meeting.number}`,
    tone: meeting.decision ? "success" : "info",
    fields: fieldsOf(meeting, language, clock),
    ...(lines.length > 0 && {
      markdown: joinRich([markup(pick(language, "**行动项**", "**Actions**")), ...lines], "\n"),
    }),
    note: next,
  };
}

/** The invitation each attendee gets directly, in both languages (the attendee's language is unknown). */
export function meetingInvitation(meeting: Meeting, scheduledBy: string, clock: MeetingCardClock): Card {
  const today = localDateOf(clock.now, clock.timezone);
  return {
    title: `会议通知 / Meeting invitation: ${meeting.number}`,
    tone: "info",
    fields: [
      { label: "议题 / Topic", value: `${topicOf(meeting, "zh")} / ${topicOf(meeting, "en")}` },
      { label: "时间 / When", value: formatLocalTime(meeting.startsAt, clock.timezone, today) },
      { label: "参会人 / Attendees", value: attendeeNames(meeting) },
    ],
    note: `由 ${scheduledBy} 安排 / Scheduled by ${scheduledBy}`,
  };
}

/** What the scheduling buttons add to their card: the command to type, prefilled. */
export function schedulingHint(prefilled: { zh: string; en: string }): RichText {
  return md`**安排会议**: 发送 ${prefilled.zh} (@ 参会人)
**Schedule the meeting**: send ${prefilled.en} (@ the attendees)`;
}

export function meetingRefusalText(
  refusal: MeetingRefusal,
  language: Language,
  clock: MeetingCardClock,
): string {
  const today = localDateOf(clock.now, clock.timezone);
  switch (refusal.kind) {
    case "not_found":
      return pick(language, `找不到会议 ${refusal.number}`, `no meeting ${refusal.number}`);
    case "order_not_found":
      return pick(language, `找不到订单 ${refusal.number}`, `no order ${refusal.number}`);
    case "order_not_open":
      return pick(
        language,
        `订单 ${refusal.number} 不在进行中 (${refusal.status}), 无需专项会议`,
        `order ${refusal.number} is not open (${refusal.status}): no special meeting is needed`,
      );
    case "starts_in_past": {
      const at = formatLocalTime(refusal.startsAt, clock.timezone, today);
      return pick(language, `会议时间 ${at} 已过`, `the meeting time ${at} is in the past`);
    }
    case "empty_decision":
      return pick(language, "纪要要写明决定", "the minutes need a decision");
    case "already_minuted":
      return pick(
        language,
        `会议 ${refusal.meeting.number} 已记录纪要: ${refusal.meeting.decision ?? ""}`,
        `meeting ${refusal.meeting.number} already has its minutes: ${refusal.meeting.decision ?? ""}`,
      );
    case "no_order":
      return pick(
        language,
        `会议 ${refusal.meeting.number} 不是订单专项会议, 不能改交期`,
        `meeting ${refusal.meeting.number} is not about an order: it cannot move a due date`,
      );
  }
}

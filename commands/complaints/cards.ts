// Complaint cards: the complaint with both deadlines and time left, its form cards, the list, and the words.
import { buttonValue } from "../../src/bot/index.ts";
import type { Card, CardButton, CardField, CardForm } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md, type RichText } from "../../src/chat/rich-text.ts";
import {
  HOUR_MS,
  isoWeekday,
  localDateOf,
  localTimeOfDay,
  MINUTE_MS,
} from "../../src/domain/calendar/local-time.ts";
import { type ClockState, clockState } from "../../src/domain/complaints/clocks.ts";
import type { ComplaintRefusal } from "../../src/domain/complaints/refusal.ts";
import type { Complaint, ComplaintFilter, ComplaintList } from "../../src/domain/complaints/store.ts";
import { provisionalMark } from "../calendar/provisional-mark.ts";

export const COMPLAINT_ACTIONS = {
  take: "complaint.take",
  respond: "complaint.respond",
  resolve: "complaint.resolve",
  respondSubmit: "complaint.respond.submit",
  resolveSubmit: "complaint.resolve.submit",
  view: "complaint.view",
} as const;

/** The form input that carries the typed response or resolution. */
export const COMPLAINT_TEXT_INPUT = "text";

/** How cards read the clock: the instant to measure time left from, and the zone to show dates in. */
export interface CardClock {
  language: Language;
  now: Date;
  timezone: string;
}

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

const WEEKDAYS = {
  zh: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
  en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
};

/** "2026-10-10 10:00", in the business time zone. */
export function formatLocal(at: Date, timezone: string): string {
  const minutes = Math.floor(localTimeOfDay(at, timezone) / MINUTE_MS);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${localDateOf(at, timezone)} ${hh}:${mm}`;
}

/** "2026-10-10 10:00 (周六)": the weekday matters when a make-up Saturday is a working day. */
function formatDeadline(at: Date, { language, timezone }: CardClock): string {
  const weekday = WEEKDAYS[language][isoWeekday(localDateOf(at, timezone)) - 1];
  return `${formatLocal(at, timezone)} (${weekday})`;
}

/** "5 小时" / "5 h": minutes under an hour, hours under two days, then days and hours; always rounded down. */
export function formatDuration(ms: number, language: Language): string {
  if (ms < HOUR_MS) {
    const minutes = Math.floor(ms / MINUTE_MS);
    return pick(language, `${minutes} 分钟`, `${minutes} min`);
  }
  const hours = Math.floor(ms / HOUR_MS);
  if (hours < 48) return pick(language, `${hours} 小时`, `${hours} h`);
  const [days, rest] = [Math.floor(hours / 24), hours % 24];
  return rest === 0
    ? pick(language, `${days} 天`, `${days} d`)
    : pick(language, `${days} 天 ${rest} 小时`, `${days} d ${rest} h`);
}

/** "还剩 5 小时" / "5 h left", "已超时 2 小时" / "2 h overdue", or how the clock was stopped. */
export function describeClock(state: ClockState, language: Language, stoppedZh: string, stoppedEn: string) {
  switch (state.kind) {
    case "running":
      return pick(
        language,
        `还剩 ${formatDuration(state.remainingMs, language)}`,
        `${formatDuration(state.remainingMs, language)} left`,
      );
    case "overdue":
      return pick(
        language,
        `已超时 ${formatDuration(state.overdueMs, language)}`,
        `${formatDuration(state.overdueMs, language)} overdue`,
      );
    case "met":
      return state.lateMs === 0
        ? pick(language, `已按时${stoppedZh}`, `${stoppedEn} on time`)
        : pick(
            language,
            `超时 ${formatDuration(state.lateMs, language)}后${stoppedZh}`,
            `${stoppedEn} ${formatDuration(state.lateMs, language)} late`,
          );
  }
}

function clocksOf(complaint: Complaint, now: Date) {
  return {
    response: clockState(complaint.responseDueAt, complaint.respondedAt, now),
    resolution: clockState(complaint.resolutionDueAt, complaint.resolvedAt, now),
  };
}

const STATUS_WORDS = {
  open: { zh: "待回复", en: "awaiting response" },
  responded: { zh: "已回复, 待解决", en: "responded, not resolved" },
  resolved: { zh: "已解决", en: "resolved" },
};

function complaintFields(complaint: Complaint, clock: CardClock): CardField[] {
  const { language } = clock;
  const clocks = clocksOf(complaint, clock.now);
  const provisional = provisionalMark(complaint.resolutionDueProvisional, language);
  const moved = complaint.resolutionDueMovedFrom
    ? pick(
        language,
        ` · 因日历调整, 原为 ${formatLocal(complaint.resolutionDueMovedFrom, clock.timezone)}`,
        ` · moved by a calendar change from ${formatLocal(complaint.resolutionDueMovedFrom, clock.timezone)}`,
      )
    : "";
  const fields: CardField[] = [
    { label: pick(language, "客户", "Customer"), value: complaint.customer },
    { label: pick(language, "状态", "Status"), value: STATUS_WORDS[complaint.status][language] },
    {
      label: pick(language, "负责人", "Owner"),
      value: complaint.ownerName ?? pick(language, "未认领", "unassigned"),
    },
    {
      label: pick(language, "首次回复期限 (24 小时)", "First response due (24 h)"),
      value: `${formatDeadline(complaint.responseDueAt, clock)} · ${describeClock(clocks.response, language, "回复", "responded")}`,
    },
    {
      label: pick(language, "解决期限 (3 个工作日)", "Resolution due (3 working days)"),
      value: `${formatDeadline(complaint.resolutionDueAt, clock)}${provisional} · ${describeClock(clocks.resolution, language, "解决", "resolved")}${moved}`,
    },
  ];
  if (complaint.satisfaction !== null) {
    fields.push({
      label: pick(language, "客户满意度", "Satisfaction"),
      value: `${complaint.satisfaction}/5`,
    });
  }
  return fields;
}

function complaintMarkdown(complaint: Complaint, { language, timezone }: CardClock): RichText {
  const blocks = [md`**${pick(language, "投诉内容", "Complaint")}**\n${complaint.description}`];
  if (complaint.response && complaint.respondedAt) {
    const by = `${complaint.respondedByName ?? ""} · ${formatLocal(complaint.respondedAt, timezone)}`;
    blocks.push(md`**${pick(language, "首次回复", "First response")}** (${by})\n${complaint.response}`);
  }
  if (complaint.resolution && complaint.resolvedAt) {
    const by = `${complaint.resolvedByName ?? ""} · ${formatLocal(complaint.resolvedAt, timezone)}`;
    blocks.push(md`**${pick(language, "解决方案", "Resolution")}** (${by})\n${complaint.resolution}`);
  }
  return joinRich(blocks, "\n\n");
}

/** The latest thing that happened, for the small line at the bottom. */
function lastEvent(complaint: Complaint, { language, timezone }: CardClock): string {
  const at = (date: Date) => formatLocal(date, timezone);
  if (complaint.ratedAt && complaint.satisfaction !== null)
    return pick(
      language,
      `${complaint.ratedByName} 于 ${at(complaint.ratedAt)} 记录评分 ${complaint.satisfaction}`,
      `Rated ${complaint.satisfaction} by ${complaint.ratedByName} at ${at(complaint.ratedAt)}`,
    );
  if (complaint.resolvedAt)
    return pick(
      language,
      `${complaint.resolvedByName} 于 ${at(complaint.resolvedAt)} 解决`,
      `Resolved by ${complaint.resolvedByName} at ${at(complaint.resolvedAt)}`,
    );
  if (complaint.respondedAt)
    return pick(
      language,
      `${complaint.respondedByName} 于 ${at(complaint.respondedAt)} 回复`,
      `Responded by ${complaint.respondedByName} at ${at(complaint.respondedAt)}`,
    );
  return pick(
    language,
    `${complaint.createdByName} 于 ${at(complaint.receivedAt)} 登记`,
    `Opened by ${complaint.createdByName} at ${at(complaint.receivedAt)}`,
  );
}

function complaintButtons(complaint: Complaint, language: Language): CardButton[] {
  const value = buttonValue(complaint.number, language);
  const buttons: CardButton[] = [];
  if (complaint.status === "resolved") return buttons;
  if (complaint.ownerId === null)
    buttons.push({ label: pick(language, "认领", "Take"), action: COMPLAINT_ACTIONS.take, value });
  if (complaint.status === "open")
    buttons.push({ label: pick(language, "回复", "Respond"), action: COMPLAINT_ACTIONS.respond, value });
  buttons.push({
    label: pick(language, "解决", "Resolve"),
    action: COMPLAINT_ACTIONS.resolve,
    value,
    style: "primary",
  });
  return buttons;
}

function toneOf(complaint: Complaint, now: Date): Card["tone"] {
  if (complaint.status === "resolved") return "success";
  const clocks = clocksOf(complaint, now);
  return clocks.response.kind === "overdue" || clocks.resolution.kind === "overdue" ? "danger" : "info";
}

/** The complaint as it stands; only the buttons that still apply. */
export function complaintCard(complaint: Complaint, clock: CardClock): Card {
  return {
    title: `${pick(clock.language, "投诉", "Complaint")} ${complaint.number}`,
    tone: toneOf(complaint, clock.now),
    fields: complaintFields(complaint, clock),
    markdown: complaintMarkdown(complaint, clock),
    buttons: complaintButtons(complaint, clock.language),
    note: lastEvent(complaint, clock),
  };
}

export type FormKind = "respond" | "resolve";

/** The complaint with a text box for the response or the resolution, and a button back to the card. */
export function complaintFormCard(complaint: Complaint, kind: FormKind, clock: CardClock): Card {
  const { language } = clock;
  const value = buttonValue(complaint.number, language);
  const respond = kind === "respond";
  const command = respond
    ? pick(language, `/回复 ${complaint.number} …`, `/complaint respond ${complaint.number} …`)
    : pick(language, `/解决 ${complaint.number} …`, `/complaint resolve ${complaint.number} …`);
  const form: CardForm = {
    action: respond ? COMPLAINT_ACTIONS.respondSubmit : COMPLAINT_ACTIONS.resolveSubmit,
    value,
    submitLabel: respond
      ? pick(language, "提交回复", "Send response")
      : pick(language, "确认解决", "Resolve"),
    inputs: [
      {
        name: COMPLAINT_TEXT_INPUT,
        label: respond ? pick(language, "回复内容", "Response") : pick(language, "解决方案", "Resolution"),
        type: "text",
        required: true,
        // Where a platform's cards have no text box (WeCom), this is the command to type instead.
        placeholder: command,
      },
    ],
  };
  return {
    ...complaintCard(complaint, clock),
    buttons: [{ label: pick(language, "返回", "Back"), action: COMPLAINT_ACTIONS.view, value }],
    form,
  };
}

const FILTER_WORDS: Record<ComplaintFilter, { zh: string; en: string }> = {
  open: { zh: "未解决", en: "open" },
  overdue: { zh: "已超时", en: "overdue" },
  mine: { zh: "我的", en: "mine" },
};

function listLine(complaint: Complaint, clock: CardClock): RichText {
  const { language } = clock;
  const clocks = clocksOf(complaint, clock.now);
  const parts: (string | RichText)[] = [
    md`**${complaint.number}** ${complaint.customer}`,
    STATUS_WORDS[complaint.status][language],
  ];
  if (clocks.response.kind !== "met")
    parts.push(`${pick(language, "回复", "response")} ${describeClock(clocks.response, language, "", "")}`);
  if (clocks.resolution.kind !== "met")
    parts.push(
      `${pick(language, "解决", "resolution")} ${describeClock(clocks.resolution, language, "", "")}`,
    );
  if (complaint.ownerName) parts.push(complaint.ownerName);
  return md`- ${joinRich(parts, " · ")}`;
}

export function complaintListCard(list: ComplaintList, filter: ComplaintFilter, clock: CardClock): Card {
  const { language } = clock;
  const shown = list.complaints.length;
  return {
    title: `${pick(language, "投诉", "Complaints")} · ${FILTER_WORDS[filter][language]} (${list.total})`,
    tone: filter === "overdue" && list.total > 0 ? "danger" : "info",
    markdown:
      shown === 0
        ? md`${pick(language, "没有投诉", "No complaints")}`
        : joinRich(
            list.complaints.map((complaint) => listLine(complaint, clock)),
            "\n",
          ),
    ...(list.total > shown && {
      note: pick(language, `显示前 ${shown} 条, 共 ${list.total} 条`, `Showing ${shown} of ${list.total}`),
    }),
  };
}

/** A refusal in words: what stands in the way, and who did it when. */
export function refusalText(refusal: ComplaintRefusal, { language, timezone }: CardClock): string {
  const at = (date: Date | null) => (date ? formatLocal(date, timezone) : "");
  switch (refusal.kind) {
    case "not_found":
      return pick(language, `找不到投诉 ${refusal.number}`, `no complaint ${refusal.number}`);
    case "busy":
      return pick(
        language,
        `投诉 ${refusal.number} 正在被他人修改, 请重试`,
        `complaint ${refusal.number} is being changed by others; please try again`,
      );
    case "already_responded": {
      const { number, respondedByName: by, respondedAt } = refusal.complaint;
      return pick(
        language,
        `投诉 ${number} 已由 ${by} 于 ${at(respondedAt)} 首次回复; 后续进展请在解决时记录`,
        `complaint ${number} was already responded to by ${by} at ${at(respondedAt)}; record further progress when resolving`,
      );
    }
    case "already_resolved": {
      const { number, resolvedByName: by, resolvedAt } = refusal.complaint;
      return pick(
        language,
        `投诉 ${number} 已由 ${by} 于 ${at(resolvedAt)} 解决`,
        `complaint ${number} was already resolved by ${by} at ${at(resolvedAt)}`,
      );
    }
    case "not_resolved":
      return pick(
        language,
        `投诉 ${refusal.complaint.number} 尚未解决, 解决后才能评分`,
        `complaint ${refusal.complaint.number} is not resolved yet; rate it once it is`,
      );
    case "already_taken":
      return pick(
        language,
        `投诉 ${refusal.complaint.number} 已由 ${refusal.complaint.ownerName} 认领`,
        `complaint ${refusal.complaint.number} was already taken by ${refusal.complaint.ownerName}`,
      );
  }
}

// The words of /calendar: a day and why, the provisional mark's meaning, a deadline's count, the override list.

import type { Language } from "../../src/chat/language.ts";
import { CHINA_CALENDAR_YEARS } from "../../src/domain/calendar/china-holidays.ts";
import type { DeadlineTrace } from "../../src/domain/calendar/deadline-trace.ts";
import { isoWeekday, type LocalDate } from "../../src/domain/calendar/local-time.ts";
import type { ReminderDecision } from "../../src/domain/calendar/next-year-reminder.ts";
import type { CalendarOverride } from "../../src/domain/calendar/overrides-repository.ts";
import type { DayStatus } from "../../src/domain/calendar/working-calendar.ts";
import { formatLocal } from "../complaints/cards.ts";
import { PROVISIONAL_MARK, provisionalMark } from "./provisional-mark.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

const WEEKDAYS = {
  zh: ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

export const dayWithWeekday = (day: LocalDate, language: Language): string =>
  `${day} (${WEEKDAYS[language][isoWeekday(day) - 1]})`;

/** Why: "法定节假日 春节（暂定）", "weekend", "company override: 年会". */
export function reasonOf(status: DayStatus, language: Language, overrideNote?: string | null): string {
  const holiday = status.holiday ? status.holiday[language] : "";
  const mark = provisionalMark(status.provisional, language);
  switch (status.reason) {
    case "override":
      return pick(language, "公司调整", "company override") + (overrideNote ? `: ${overrideNote}` : "");
    case "holiday":
      return pick(language, `法定节假日 ${holiday}`, `statutory holiday: ${holiday}`) + mark;
    case "in_lieu":
      return pick(language, `${holiday} 补假/调休放假`, `day off in lieu (${holiday})`) + mark;
    case "make_up_workday":
      return pick(language, `${holiday} 调休上班`, `make-up workday (${holiday})`) + mark;
    case "weekend":
      return pick(language, "周末", "weekend") + mark;
    case "weekday":
      return pick(language, "周一至周五", "Monday to Friday") + mark;
  }
}

export function describeDay(
  day: LocalDate,
  status: DayStatus,
  language: Language,
  overrideNote?: string | null,
): string {
  const kind = status.working ? pick(language, "工作日", "working day") : pick(language, "休息日", "day off");
  return `${dayWithWeekday(day, language)}: ${kind} — ${reasonOf(status, language, overrideNote)}`;
}

/** What the provisional mark means, and how to replace it with the notice. */
export function provisionalLegend(language: Language): string {
  const last = CHINA_CALENDAR_YEARS.last;
  return pick(
    language,
    `${PROVISIONAL_MARK.zh.trim()} = 该年的国务院放假通知尚未收录 (日历数据至 ${last} 年), 按《全国年节及纪念日放假办法》推算: ` +
      "元旦 1 天, 春节 除夕至初三 4 天, 清明 1 天, 劳动节 5月1–2日, 端午 1 天, 中秋 1 天, 国庆 10月1–3日, " +
      "逢周末的法定假日在节后第一个工作日补假, 不推测调休上班。通知公布后, 管理员可用 /日历 设置 录入整年安排。",
    `${PROVISIONAL_MARK.en.trim()} = the State Council notice for that year is not in the data yet (published through ${last}); ` +
      "the days off follow the holiday law: New Year's Day 1 day, Spring Festival from New Year's Eve 4 days, " +
      "Tomb-sweeping 1, Labour Day 1–2 May, Dragon Boat 1, Mid-autumn 1, National Day 1–3 October, with a weekday " +
      "off in lieu after the holiday for each statutory day on a weekend; no make-up workday is guessed. " +
      "When the notice is out, an admin enters it with /calendar set.",
  );
}

export function overrideLines(overrides: readonly CalendarOverride[], language: Language): string {
  if (overrides.length === 0) return pick(language, "公司调整: 无", "Company overrides: none");
  const lines = overrides.map((override) => {
    const kind =
      override.kind === "work" ? pick(language, "上班", "workday") : pick(language, "休息", "holiday");
    return `${override.day} ${kind}${override.note ? ` ${override.note}` : ""}`;
  });
  return `${pick(language, "公司调整:", "Company overrides:")}\n${lines.join("\n")}`;
}

/** A complaint's resolution deadline, counted day by day. */
export function describeTrace(
  trace: DeadlineTrace,
  receivedAt: Date,
  timezone: string,
  language: Language,
): string {
  const lines = [
    pick(
      language,
      `收到: ${formatLocal(receivedAt, timezone)}`,
      `Received: ${formatLocal(receivedAt, timezone)}`,
    ),
  ];
  for (const { day, status } of trace.skippedBeforeStart)
    lines.push(
      pick(
        language,
        `${day} 不计: ${reasonOf(status, language)}`,
        `${day} not counted: ${reasonOf(status, language)}`,
      ),
    );
  lines.push(
    trace.skippedBeforeStart.length === 0
      ? pick(
          language,
          `${trace.startDay} 起算 (当天是工作日, 保留收到的时刻)`,
          `${trace.startDay} start (a working day; the time of receipt is kept)`,
        )
      : pick(
          language,
          `${trace.startDay} 00:00 起算 (下一个工作日)`,
          `${trace.startDay} 00:00 start (the next working day)`,
        ),
  );
  let counted = 0;
  for (const { day, status, counted: isCounted } of trace.steps) {
    if (isCounted) {
      counted += 1;
      lines.push(
        pick(language, `${day} 第 ${counted} 个工作日`, `${day} working day ${counted}`) +
          provisionalMark(status.provisional, language),
      );
    } else {
      lines.push(
        pick(
          language,
          `${day} 跳过: ${reasonOf(status, language)}`,
          `${day} skipped: ${reasonOf(status, language)}`,
        ),
      );
    }
  }
  lines.push(
    pick(language, `期限: ${formatLocal(trace.due, timezone)}`, `Due: ${formatLocal(trace.due, timezone)}`) +
      provisionalMark(trace.provisional, language),
  );
  return lines.join("\n");
}

/** The yearly reminder that next year's holidays are unconfirmed, in both languages at once (it goes to groups, as alerts do). */
export function reminderText(decision: Extract<ReminderDecision, { due: true }>): string {
  const { nextYear, provisionalDeadlines } = decision;
  return [
    `${nextYear} 年的放假安排尚未确认: 国务院通知公布前, 按《全国年节及纪念日放假办法》暂定推算, 标注（暂定）。`,
    `目前有 ${provisionalDeadlines} 个未解决投诉的期限是暂定的。`,
    "通知公布后, 管理员可一次粘贴录入整年安排, 每行一个日期或范围, 例如:",
    `/日历 设置 ${nextYear}-01-01 休息 元旦`,
    `${nextYear}-02-05..${nextYear}-02-11 休息 春节`,
    `${nextYear}-02-14 上班 春节调休`,
    "录入后本提醒停止; 详见 /日历。",
    "",
    `${nextYear}'s holidays are not confirmed: until the State Council notice is out they follow the holiday law, marked (provisional).`,
    `${provisionalDeadlines} open complaint deadline(s) are provisional now.`,
    "When the notice is out, an admin pastes the whole year at once with /calendar set, one date or range per line " +
      "(e.g. 2027-02-05..2027-02-11 holiday Spring Festival); this reminder then stops. See /calendar.",
  ].join("\n");
}

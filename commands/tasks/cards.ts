// Task cards: the task with its Done / Snooze buttons, the reminder (both languages), the list, and the words.
import { buttonValue } from "../../src/bot/index.ts";
import type { Card, CardButton, CardField } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md } from "../../src/chat/rich-text.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { formatLocalTime } from "../../src/domain/orders/local-format.ts";
import type { TaskRefusal } from "../../src/domain/tasks/refusal.ts";
import type { Task, TaskFilter } from "../../src/domain/tasks/store.ts";

export const TASK_ACTIONS = { done: "task.done", snooze: "task.snooze" } as const;

/** How task cards read the clock: "today" decides overdue, the zone shows times. */
export interface TaskCardClock {
  language: Language;
  now: Date;
  timezone: string;
}

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

const isOverdue = (task: Task, { now, timezone }: TaskCardClock): boolean =>
  task.status === "open" && task.dueDate < localDateOf(now, timezone);

function statusWord(task: Task, clock: TaskCardClock): string {
  const { language } = clock;
  if (task.status === "done") return pick(language, "已完成", "done");
  return isOverdue(task, clock) ? pick(language, "已逾期", "overdue") : pick(language, "进行中", "open");
}

function fieldsOf(task: Task, clock: TaskCardClock): CardField[] {
  const { language } = clock;
  const fields: CardField[] = [
    { label: pick(language, "事项", "What"), value: task.title },
    { label: pick(language, "负责人", "Owner"), value: task.ownerName },
    { label: pick(language, "截止日期", "Due"), value: task.dueDate },
    { label: pick(language, "状态", "Status"), value: statusWord(task, clock) },
  ];
  if (task.sourceType !== "command")
    fields.push({ label: pick(language, "来源", "From"), value: `${task.sourceType} ${task.sourceId}` });
  return fields;
}

const BUTTON_WORDS = { done: ["完成", "Done"], snooze: ["稍后提醒", "Snooze"] } as const;

/** The buttons in one language, or in both (`bilingual`) on a card that goes out unasked. */
function buttonsOf(task: Task, language: Language, bilingual = false): CardButton[] {
  if (task.status !== "open") return [];
  const value = buttonValue(task.number, language);
  const label = ([zh, en]: readonly [string, string]) =>
    bilingual ? `${zh} / ${en}` : pick(language, zh, en);
  return [
    { label: label(BUTTON_WORDS.done), action: TASK_ACTIONS.done, value, style: "primary" },
    { label: label(BUTTON_WORDS.snooze), action: TASK_ACTIONS.snooze, value },
  ];
}

function noteOf(task: Task, { language, now, timezone }: TaskCardClock): string {
  const at = (instant: Date) => formatLocalTime(instant, timezone, localDateOf(now, timezone));
  if (task.status === "done" && task.doneAt)
    return pick(
      language,
      `已由 ${task.doneByName ?? "?"} 于 ${at(task.doneAt)} 完成`,
      `Done by ${task.doneByName ?? "?"} at ${at(task.doneAt)}`,
    );
  if (task.remindAt)
    return pick(
      language,
      `将于 ${at(task.remindAt)} 提醒负责人`,
      `The owner is reminded at ${at(task.remindAt)}`,
    );
  return pick(language, `由 ${task.createdByName} 创建`, `Created by ${task.createdByName}`);
}

export function taskCard(task: Task, clock: TaskCardClock): Card {
  return {
    title: `${pick(clock.language, "待办", "Task")} ${task.number}`,
    tone: task.status === "done" ? "success" : isOverdue(task, clock) ? "danger" : "info",
    fields: fieldsOf(task, clock),
    buttons: buttonsOf(task, clock.language),
    note: noteOf(task, clock),
  };
}

/** The reminder the owner gets the working day before: both languages, as the owner's language is unknown. */
export function taskReminderCard(task: Task): Card {
  return {
    title: `待办明天到期 / Task due next working day: ${task.number}`,
    tone: "warning",
    fields: [
      { label: "事项 / What", value: task.title },
      { label: "负责人 / Owner", value: task.ownerName },
      { label: "截止日期 / Due", value: task.dueDate },
    ],
    buttons: buttonsOf(task, "zh", true),
    note: `由 ${task.createdByName} 创建 / Created by ${task.createdByName}`,
  };
}

const FILTER_WORDS: Record<TaskFilter, Record<Language, string>> = {
  open: { zh: "未完成", en: "open" },
  overdue: { zh: "已逾期", en: "overdue" },
  mine: { zh: "我的", en: "mine" },
};

export function taskListCard(
  list: { tasks: Task[]; total: number },
  filter: TaskFilter,
  clock: TaskCardClock,
): Card {
  const { language } = clock;
  const shown = list.tasks.length;
  const line = (task: Task) =>
    md`**${task.number}** ${task.title} · ${task.ownerName} · ${task.dueDate} · ${statusWord(task, clock)}`;
  return {
    title: `${pick(language, "待办", "Tasks")} · ${FILTER_WORDS[filter][language]} (${list.total})`,
    tone: filter === "overdue" && list.total > 0 ? "danger" : "info",
    markdown:
      shown === 0 ? md`${pick(language, "没有待办", "No tasks")}` : joinRich(list.tasks.map(line), "\n"),
    ...(list.total > shown && {
      note: pick(language, `显示前 ${shown} 条, 共 ${list.total} 条`, `Showing ${shown} of ${list.total}`),
    }),
  };
}

/** A refusal in words: what was wrong, or what stands in the way. */
export function taskRefusalText(refusal: TaskRefusal, { language, now, timezone }: TaskCardClock): string {
  switch (refusal.kind) {
    case "empty_title":
      return pick(language, "待办事项不能为空", "the task's title is empty");
    case "due_in_past":
      return pick(
        language,
        `截止日期 ${refusal.due} 已过 (今天是 ${refusal.today})`,
        `the due date ${refusal.due} is in the past (today is ${refusal.today})`,
      );
    case "not_found":
      return pick(language, `找不到待办 ${refusal.number}`, `no task ${refusal.number}`);
    case "busy":
      return pick(
        language,
        `待办 ${refusal.number} 正在被他人修改, 请重试`,
        `task ${refusal.number} is being changed by others; please try again`,
      );
    case "already_done": {
      const { number, doneByName, doneAt } = refusal.task;
      const at = doneAt ? formatLocalTime(doneAt, timezone, localDateOf(now, timezone)) : "";
      return pick(
        language,
        `待办 ${number} 已由 ${doneByName ?? "?"} 于 ${at} 完成`,
        `task ${number} was already done by ${doneByName ?? "?"} at ${at}`,
      );
    }
    case "not_allowed":
      return pick(
        language,
        `只有负责人、创建人、经理或管理员可以处理待办 ${refusal.task.number}`,
        `only the owner, the creator, a manager or an admin may change task ${refusal.task.number}`,
      );
  }
}

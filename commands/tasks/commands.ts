// /task new|list|done (/待办 …) and the task card's Done / Snooze buttons.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import { usageSentence } from "../../src/bot/usage.ts";
import type { ActionResult } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { TaskRefused } from "../../src/domain/tasks/refusal.ts";
import type { Task } from "../../src/domain/tasks/store.ts";
import type { CommandDeps } from "../deps.ts";
import { TASK_ACTIONS, type TaskCardClock, taskCard, taskListCard, taskRefusalText } from "./cards.ts";
import { TASK_NEW_ARGS, typedTask } from "./typed-task.ts";

const TASKS = { zh: "待办", en: "Tasks" };

const taskNo = arg.text({
  label: { zh: "待办号", en: "task number" },
  pattern: /^[Tt]-\d{8}-\d{3,}$/,
  example: "T-20261126-001",
});

export function createTaskCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { tasks, people } = deps.services;
  const { timezone } = deps.config;
  const clockFor = (language: Language): TaskCardClock => ({ language, now: deps.now(), timezone });

  /** Runs a domain change; a refusal becomes the user's reply, a refused caller a denial. */
  async function explained<T>(work: () => Promise<T>, usage?: (lang: Language) => string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TaskRefused)) throw error;
      const words = (lang: Language) =>
        taskRefusalText(error.refusal, clockFor(lang)) + (usage ? ` — ${usage(lang)}` : "");
      const denial =
        error.refusal.kind === "not_allowed"
          ? { reason: "not_creator" as const, entityType: "task", entityId: error.refusal.task.number }
          : undefined;
      throw new UserError(words("zh"), words("en"), denial, { cause: error });
    }
  }

  const commands = [
    defineCommand({
      id: "task.new",
      group: TASKS,
      names: { en: ["task new"], zh: ["待办 新建"] },
      description: {
        zh: "给某人一件要在某天前完成的事; 截止前一个工作日提醒负责人, 逾期后告警",
        en: "give someone a thing to do by a date; the owner is reminded the working day before, alerts once overdue",
      },
      example: {
        zh: "完成季度生产计划 @王伟 2027-05-01",
        en: "finish the quarterly production plan @Wang 2027-05-01",
      },
      args: TASK_NEW_ARGS,
      handler: async ({ args, event, actor, language, reply }) => {
        const usage = usageSentence({ zh: "待办 新建", en: "task new" }, TASK_NEW_ARGS);
        const typed = await typedTask(people, args, event, actor.at, usage);
        const task = await explained(
          () => tasks.create(actor, { ...typed, source: { type: "command", id: event.messageId }, timezone }),
          usage,
        );
        return reply.card(taskCard(task, clockFor(language)));
      },
    }),
    defineCommand({
      id: "task.list",
      group: TASKS,
      names: { en: ["task list"], zh: ["待办 列表"] },
      description: {
        zh: "查看未完成的待办: 全部、已逾期或我负责的",
        en: "list open tasks: all, overdue, or mine (owned by me)",
      },
      example: { zh: "已逾期", en: "overdue" },
      args: {
        filter: arg.enum({
          label: { zh: "范围", en: "filter" },
          choices: { open: "未完成", overdue: "已逾期", mine: "我的" },
          default: "open",
        }),
      },
      handler: async ({ args, actor, language, reply }) => {
        const today = localDateOf(deps.now(), timezone);
        const list = await tasks.list(args.filter, today, actor.personId);
        return reply.card(taskListCard(list, args.filter, clockFor(language)));
      },
    }),
    defineCommand({
      id: "task.done",
      group: TASKS,
      names: { en: ["task done"], zh: ["待办 完成"] },
      description: {
        zh: "标记待办已完成 (负责人、创建人、经理或管理员)",
        en: "mark a task done (its owner, its creator, a manager or an admin)",
      },
      example: "T-20261126-001",
      args: { taskNo },
      handler: async ({ args, actor, language, reply }) => {
        const { after } = await explained(() => tasks.complete(actor, args.taskNo.toUpperCase()));
        return reply.card(taskCard(after, clockFor(language)));
      },
    }),
  ];

  /** The task a click is about, reloaded: the button carries only its number. */
  async function clickedTask(id: string | undefined): Promise<Task> {
    const task = id ? await tasks.find(id) : undefined;
    if (!task)
      throw new UserError(`找不到待办 ${id ?? ""}`, `no task ${id ?? ""}`, {
        reason: "unknown_entity",
        entityType: "task",
        entityId: id ?? "",
      });
    return task;
  }

  /** A click's change: the card as it now stands, or why not (with the card as the other person left it). */
  async function clicked(
    change: Promise<{ after: Task }>,
    language: Language,
    done: (after: Task) => string,
  ): Promise<ActionResult> {
    const clock = clockFor(language);
    try {
      const { after } = await change;
      return { card: taskCard(after, clock), toast: { kind: "success", text: done(after) } };
    } catch (error) {
      if (!(error instanceof TaskRefused)) throw error;
      if (error.refusal.kind === "not_allowed") return explained(() => Promise.reject(error));
      const toast = { kind: "warning" as const, text: taskRefusalText(error.refusal, clock) };
      return "task" in error.refusal ? { toast, card: taskCard(error.refusal.task, clock) } : { toast };
    }
  }

  const actions = [
    defineAction({
      id: TASK_ACTIONS.done,
      handler: async ({ id, actor, language, t }) => {
        const task = await clickedTask(id);
        return clicked(tasks.complete(actor, task.number), language, (after) =>
          t(`${after.number} 已完成`, `${after.number} done`),
        );
      },
    }),
    defineAction({
      id: TASK_ACTIONS.snooze,
      handler: async ({ id, actor, language, t }) => {
        const task = await clickedTask(id);
        return clicked(tasks.snooze(actor, task.number, timezone), language, (after) => {
          const when = taskCard(after, clockFor(language)).note ?? "";
          return t(`已推迟提醒 (截止日期不变): ${when}`, `Reminder pushed (the due date stays): ${when}`);
        });
      },
    }),
  ];

  return { commands, actions };
}

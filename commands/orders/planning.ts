// Production planning: /order priority (/优先级), /order line (/订单 产线), /line (/产线) and /schedule (/排产).
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import { usageLine } from "../../src/bot/usage.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { PLANNERS } from "../../src/domain/orders/index.ts";
import { LINE_CAPACITY_MAX } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import { PRIORITY_NAMES_ZH, priorityWord } from "./priority-words.ts";
import { explainOrderRefusal } from "./refusals.ts";
import { linesCard, scheduleCard } from "./schedule-cards.ts";

const PRODUCTION = { zh: "生产", en: "Production" };

const orderNo = arg.text({
  label: { zh: "订单号", en: "order number" },
  pattern: /^[Oo]-\d{8}-\d{3,}$/,
  example: "O-20261126-001",
});

/** A line's name: letters or digits first, then also . _ - #; at most 40 characters. */
const line = arg.text({
  label: { zh: "产线", en: "line" },
  pattern: /^[\p{L}\p{N}][\p{L}\p{N}._\-#]{0,39}$/u,
  example: "L1",
});

const SCHEDULE_NAMES = { en: ["schedule"], zh: ["排产"] } as const;
const SCHEDULE_ARGS = { date: arg.date({ label: { zh: "日期", en: "date" }, optional: true }) };

export function createPlanningCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { orders, production } = deps.services;
  const { timezone } = deps.config;

  const priorityCommand = defineCommand({
    id: "order.priority",
    group: PRODUCTION,
    names: { en: ["order priority"], zh: ["优先级"] },
    description: {
      zh: "设置订单的生产优先级: 高、普通 (默认) 或 低",
      en: "set an order's production priority: high, normal (the default) or low",
    },
    example: { zh: "O-20261126-001 高", en: "O-20261126-001 high" },
    roles: PLANNERS,
    args: {
      orderNo,
      priority: arg.enum({ label: { zh: "优先级", en: "priority" }, choices: PRIORITY_NAMES_ZH }),
    },
    handler: async ({ args, actor, reply }) => {
      const { priority } = args;
      const order = await explainOrderRefusal(timezone, actor.at, () =>
        orders.prioritise({ number: args.orderNo.toUpperCase(), actor, timezone, priority }),
      );
      return reply.text(
        `订单 ${order.number} 的优先级已设为 ${priorityWord(priority, "zh")}`,
        `Order ${order.number} now has priority ${priority}`,
      );
    },
  });

  const lineCommand = defineCommand({
    id: "order.line",
    group: PRODUCTION,
    names: { en: ["order line"], zh: ["订单 产线"] },
    description: {
      zh: "把订单分配到一条产线 (只有一条产线时, 订单确认时自动分配到它)",
      en: "assign an order to a production line (with only one line, a confirmed order goes to it by itself)",
    },
    example: "O-20261126-001 L1",
    roles: PLANNERS,
    args: { orderNo, line },
    handler: async ({ args, actor, reply }) => {
      const order = await explainOrderRefusal(timezone, actor.at, () =>
        orders.assignLine({ number: args.orderNo.toUpperCase(), actor, timezone, line: args.line }),
      );
      const name = (await production.lines()).find((each) => each.id === order.lineId)?.name ?? args.line;
      return reply.text(
        `订单 ${order.number} 已分配到产线 ${name}`,
        `Order ${order.number} is now on line ${name}`,
      );
    },
  });

  const linesCommand = defineCommand({
    id: "line",
    group: PRODUCTION,
    names: { en: ["line", "line list"], zh: ["产线", "产线 列表"] },
    description: { zh: "查看产线及其日产能", en: "list the production lines and their capacity" },
    example: "",
    args: {},
    handler: async ({ language, reply }) => reply.card(linesCard(await production.lines(), language)),
  });

  const lineSetCommand = defineCommand({
    id: "line.set",
    group: PRODUCTION,
    names: { en: ["line set"], zh: ["产线 设置"] },
    description: {
      zh: "建立产线或修改它每个工作日的产能 (件/天)",
      en: "set up a production line or change its capacity (units per working day)",
    },
    example: "L1 500",
    roles: PLANNERS,
    args: {
      line,
      unitsPerDay: arg.integer({ label: { zh: "日产能", en: "units per day" }, max: LINE_CAPACITY_MAX }),
    },
    handler: async ({ args, actor, reply }) => {
      const { line: saved, before } = await production.setLine(actor, {
        name: args.line,
        capacity: args.unitsPerDay,
      });
      const was = before === undefined ? undefined : { zh: ` (原 ${before})`, en: ` (was ${before})` };
      return reply.text(
        `产线 ${saved.name} 产能: 每个工作日 ${saved.capacity} 件${was?.zh ?? ", 新建"}`,
        `Line ${saved.name}: ${saved.capacity} units per working day${was?.en ?? ", new"}`,
      );
    },
  });

  const scheduleCommand = defineCommand({
    id: "schedule",
    group: PRODUCTION,
    names: SCHEDULE_NAMES,
    description: {
      zh: "某天 (默认今天) 各产线的生产计划: 按优先级、交期排满产能, 标出不能按期完成的订单",
      en: "a day's production plan per line (default today): capacity filled by priority, then due date; orders that will be late flagged",
    },
    example: "2026-12-08",
    args: SCHEDULE_ARGS,
    handler: async ({ args, language, reply }) => {
      const now = deps.now();
      const today = localDateOf(now, timezone);
      if (args.date !== undefined && args.date < today) {
        const usage = (lang: "zh" | "en") => usageLine(SCHEDULE_NAMES[lang][0], SCHEDULE_ARGS, lang);
        throw new UserError(
          `排产从今天 (${today}) 开始, 不能查看过去的日期: ${args.date} — 用法: ${usage("zh")}`,
          `the schedule starts today (${today}); it has no past days: ${args.date} — usage: ${usage("en")}`,
        );
      }
      const schedule = await production.schedule({ now, timezone, day: args.date });
      return reply.card(scheduleCard(schedule, language));
    },
  });

  return {
    commands: [priorityCommand, lineCommand, linesCommand, lineSetCommand, scheduleCommand],
    actions: [],
  };
}

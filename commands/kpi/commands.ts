// /kpi [today|week|month] (/指标, /日报): the KPI summary of a window in OPS_TIMEZONE, for anyone.
import { type Action, arg, type Command, defineCommand } from "../../src/bot/index.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import type { KpiPeriod } from "../../src/domain/kpi/window.ts";
import { standings, type TargetPeriod } from "../../src/domain/targets/targets.ts";
import type { CommandDeps } from "../deps.ts";
import { renderKpiCard } from "./cards.ts";

/** The targets a window is measured against: today's against daily ones, and so on. */
const TARGET_PERIOD: Record<KpiPeriod, TargetPeriod> = { today: "day", week: "week", month: "month" };

const PERIOD_HEADINGS: Record<KpiPeriod, { zh: string; en: string }> = {
  today: { zh: "今天", en: "today" },
  week: { zh: "本周", en: "this week" },
  month: { zh: "本月", en: "this month" },
};

export const createKpiCommands = (deps: CommandDeps): { commands: Command[]; actions: Action[] } => ({
  commands: [
    defineCommand({
      id: "kpi",
      group: { zh: "指标", en: "KPIs" },
      names: { en: ["kpi"], zh: ["指标", "日报"] },
      description: {
        zh: "查看今天、本周或本月的指标汇总",
        en: "the KPI summary of today, this week or this month",
      },
      example: { zh: "本周", en: "week" },
      args: {
        window: arg.enum({
          label: { zh: "时间段", en: "window" },
          choices: { today: "今天", week: "本周", month: "本月" },
          default: "today",
        }),
      },
      async handler({ args, language, reply }) {
        const { kpi } = deps.services;
        const { timezone } = deps.config;
        const calendar = createWorkingCalendar({ timezone, overrides: await kpi.calendarOverrides() });
        const [kpis, targets] = await Promise.all([
          kpi.compute({ window: args.window, timezone, now: deps.now(), calendar }),
          deps.services.targets.list(),
        ]);
        const measured = standings(targets, TARGET_PERIOD[args.window], kpis);
        return reply.card(renderKpiCard(kpis, language, PERIOD_HEADINGS[args.window], measured));
      },
    }),
  ],
  actions: [],
});

// /target set|list (/目标 设置|列表): targets on the computed metrics; managers and admins set, anyone reads.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import { richPlain } from "../../src/chat/rich-text.ts";
import { TARGET_COUNT_MAX } from "../../src/domain/policy.ts";
import { findMetric } from "../../src/domain/targets/metrics.ts";
import { parseTargetValue } from "../../src/domain/targets/value.ts";
import type { CommandDeps } from "../deps.ts";
import { leadingMentions } from "../mentioned-names.ts";
import { metricList, targetLine } from "./text.ts";

const TARGETS = { zh: "目标", en: "Targets" };

export function createTargetCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { targets } = deps.services;
  return {
    commands: [
      defineCommand({
        id: "target.set",
        group: TARGETS,
        names: { en: ["target set"], zh: ["目标 设置"] },
        description: {
          zh: "设置指标目标 (日/周/月), 可带负责人和部门; 同一指标、周期和部门的旧目标被替换",
          en: "set a target on a metric (day/week/month), with an owner and a department; replaces the one of the same metric, period and department",
        },
        example: { zh: "csat 月 90% @李雷 客服部", en: "orders_completed day 40 @Li production" },
        roles: ["manager", "admin"],
        args: {
          metric: arg.text({ label: { zh: "指标", en: "metric" } }),
          period: arg.enum({
            label: { zh: "周期", en: "period" },
            choices: { day: "日", week: "周", month: "月" },
          }),
          value: arg.text({ label: { zh: "目标值", en: "value" } }),
          rest: arg.rest({ label: { zh: "@负责人 部门", en: "@owner department" }, optional: true }),
        },
        async handler({ args, actor, event, reply }) {
          const metric = findMetric(args.metric.normalize("NFKC").trim().toLowerCase());
          if (!metric)
            throw new UserError(
              `没有指标 ${args.metric}; 可用的指标:\n${metricList("zh")}`,
              `there is no metric ${args.metric}; the metrics are:\n${metricList("en")}`,
            );
          const parsed = parseTargetValue(metric, args.value);
          if (!parsed.ok) {
            const rate = metric.unit === "rate";
            throw new UserError(
              rate
                ? `${args.value} 不是 0%–100% 之间的比率; 请写 90% 或 0.9`
                : `${args.value} 不是 0–${TARGET_COUNT_MAX} 之间的整数`,
              rate
                ? `${args.value} is not a rate between 0% and 100%; write 90% or 0.9`
                : `${args.value} is not a whole number between 0 and ${TARGET_COUNT_MAX}`,
            );
          }
          const { names, rest } = leadingMentions(args.rest ?? "", event.mentions);
          if (names.length > 1) throw new UserError("目标只能有一位负责人", "a target has one owner");
          const target = {
            metric: metric.id,
            period: args.period,
            department: rest.trim(),
            value: parsed.value,
            ownerName: names[0] ?? null,
          };
          const { replaced } = await targets.set(actor, target);
          const was = replaced
            ? {
                zh: `\n(替换了: ${richPlain(targetLine(replaced, "zh"))})`,
                en: `\n(replaces: ${richPlain(targetLine(replaced, "en"))})`,
              }
            : { zh: "", en: "" };
          return reply.text(
            `已设置目标: ${richPlain(targetLine(target, "zh"))}${was.zh}`,
            `Target set: ${richPlain(targetLine(target, "en"))}${was.en}`,
          );
        },
      }),
      defineCommand({
        id: "target.list",
        group: TARGETS,
        names: { en: ["target list", "target"], zh: ["目标 列表", "目标"] },
        description: {
          zh: "列出所有目标及可用的指标",
          en: "list the targets and the metrics a target may name",
        },
        example: "",
        args: {},
        async handler({ language, reply }) {
          const all = await targets.list();
          const lines = (lang: typeof language) =>
            all.length === 0
              ? lang === "zh"
                ? "还没有目标。"
                : "No targets yet."
              : all.map((target) => richPlain(targetLine(target, lang))).join("\n");
          return reply.text(
            `${lines("zh")}\n\n可用的指标:\n${metricList("zh")}`,
            `${lines("en")}\n\nMetrics:\n${metricList("en")}`,
          );
        },
      }),
    ],
    actions: [],
  };
}

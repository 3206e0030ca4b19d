// /rules (/规则): every number of the procedure in force, from the policy module's one list, grouped by stage.
import { type Action, arg, type Command, defineCommand } from "../../src/bot/index.ts";
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import { POLICY_RULES, type PolicyRule, type PolicyStage, type PolicyUnit } from "../../src/domain/policy.ts";

const STAGES: Record<PolicyStage, Record<Language, string>> = {
  preparation: { zh: "准备: 计划、资源与风险", en: "Preparation: plans, resources and risks" },
  core: { zh: "核心: 质量、销售、物料与财务", en: "Core: quality, sales, materials and finance" },
  orders: { zh: "订单与生产", en: "Orders and production" },
  service: { zh: "客户服务", en: "Customer service" },
  quality: { zh: "质量与满意度", en: "Quality and satisfaction" },
  alerts: { zh: "告警", en: "Alerts" },
  reporting: { zh: "报告", en: "Reporting" },
  improvement: { zh: "评审与改进", en: "Review and improvement" },
};

const UNITS: Record<PolicyUnit, Record<Language, string>> = {
  seconds: { zh: "秒", en: "s" },
  minutes: { zh: "分钟", en: "min" },
  hours: { zh: "小时", en: "h" },
  working_hours: { zh: "个工作小时", en: "working hours" },
  days: { zh: "天", en: "days" },
  working_days: { zh: "个工作日", en: "working days" },
  percent: { zh: "%", en: "%" },
  share: { zh: "%", en: "%" },
  count: { zh: "", en: "" },
  time: { zh: "", en: "" },
};

/** "24 小时", "75 %", "09:00": a share of 1 is shown as the percentage people use. */
export function ruleValue(rule: PolicyRule, language: Language): string {
  const value = rule.unit === "share" ? Math.round(Number(rule.value) * 1000) / 10 : rule.value;
  const unit = UNITS[rule.unit][language];
  return unit === "" ? String(value) : `${value} ${unit}`;
}

/** The words a stage is asked for by (`/rules core`, `/规则 核心`). */
const STAGE_WORDS = {
  preparation: "准备",
  core: "核心",
  orders: "订单",
  service: "服务",
  quality: "质量",
  alerts: "告警",
  reporting: "报告",
  improvement: "改进",
} as const satisfies Record<PolicyStage, string>;

/** Every stage's numbers, or one stage's: a platform with a small card limit shows the whole list cut short. */
export function rulesCard(rules: readonly PolicyRule[], language: Language, only?: PolicyStage): Card {
  const stages = (Object.keys(STAGES) as PolicyStage[]).filter(
    (stage) => (only === undefined || stage === only) && rules.some((rule) => rule.stage === stage),
  );
  const sections = stages.map((stage) =>
    joinRich(
      [
        md`**${STAGES[stage][language]}**`,
        ...rules
          .filter((rule) => rule.stage === stage)
          .map((rule) => md`- ${language === "zh" ? rule.zh : rule.en}: ${ruleValue(rule, language)}`),
      ],
      "\n",
    ),
  );
  return {
    title: language === "zh" ? "流程规则 (现行数值)" : "The procedure's rules in force",
    tone: "info",
    // The hint comes first, so that a card cut at a platform's size limit still says how to see the rest.
    markdown: joinRich(only ? sections : [partsHint(language), ...sections], "\n\n"),
    note:
      language === "zh"
        ? `共 ${rules.length} 项, 均来自同一策略模块`
        : `${rules.length} numbers, all from the one policy module`,
  };
}

function partsHint(language: Language): RichText {
  const words = (Object.keys(STAGE_WORDS) as PolicyStage[]).map((stage) =>
    language === "zh" ? STAGE_WORDS[stage] : stage,
  );
  return language === "zh"
    ? md`单看一部分: /规则 <${markup(words.join("|"))}>`
    : md`One part only: /rules <${markup(words.join("|"))}>`;
}

export function createRulesCommands(): { commands: Command[]; actions: Action[] } {
  return {
    commands: [
      defineCommand({
        id: "rules",
        group: { zh: "规则", en: "Rules" },
        names: { en: ["rules"], zh: ["规则"] },
        description: {
          zh: "流程中的每个数值 (期限、比例、时间), 按阶段分组",
          en: "every number of the procedure in force (deadlines, shares, times), grouped by stage",
        },
        example: "core",
        args: {
          part: arg.enum({ label: { zh: "部分", en: "part" }, choices: STAGE_WORDS, optional: true }),
        },
        handler: ({ args, language, reply }) => reply.card(rulesCard(POLICY_RULES, language, args.part)),
      }),
    ],
    actions: [],
  };
}

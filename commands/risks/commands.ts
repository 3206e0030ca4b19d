// /risk new|plan|close|list (/风险 新建|计划|关闭|列表): the risk register of the preparation stage.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import { usageSentence } from "../../src/bot/usage.ts";
import type { InboundMessage, Person } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import { isLocalDate, type LocalDate } from "../../src/domain/calendar/local-time.ts";
import { RISK_SCALE_MAX, RISK_SCALE_MIN } from "../../src/domain/policy.ts";
import { RiskRefused } from "../../src/domain/risks/refusal.ts";
import type { CommandDeps } from "../deps.ts";
import { mentionedPerson } from "../mentioned-names.ts";
import { personMentioned } from "../mentioned-people.ts";
import { registerCard, riskCard, riskRefusalText } from "./text.ts";

const RISKS = { zh: "风险", en: "Risks" };

const riskNo = arg.text({
  label: { zh: "风险号", en: "risk number" },
  pattern: /^[Rr]-\d{8}-\d{3,}$/,
  example: "R-20261126-001",
});

const scale = (zh: string, en: string) =>
  arg.integer({ label: { zh, en }, min: RISK_SCALE_MIN, max: RISK_SCALE_MAX });

const RISK_NEW_ARGS = {
  likelihood: scale("可能性", "likelihood"),
  impact: scale("影响", "impact"),
  text: arg.rest({ label: { zh: "风险描述", en: "text" } }),
} as const;

const RISK_PLAN_ARGS = {
  riskNo,
  text: arg.rest({ label: { zh: "计划", en: "plan" } }),
} as const;

const DATE_AT_END = /(?:^|\s)(\S+)$/u;
const SPACE_AT_END = /[\s\u200b\u2060]+$/u;

/** The plan's text, and the "@owner" and "YYYY-MM-DD" written after it, each optional. */
function planTail(
  typed: string,
  event: InboundMessage,
  usage: (language: Language) => string,
): { plan: string; owner?: Person | undefined; due?: LocalDate | undefined } {
  let rest = typed.trim();
  let due: LocalDate | undefined;
  const last = DATE_AT_END.exec(rest)?.[1] ?? "";
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(last)) {
    if (!isLocalDate(last))
      throw new UserError(
        `截止日期不是有效日期: ${last} — ${usage("zh")}`,
        `the due date is not a valid date: ${last} — ${usage("en")}`,
      );
    due = last;
    rest = rest.slice(0, rest.length - last.length).replace(SPACE_AT_END, "");
  }
  // A mention's name may hold spaces: it is matched whole at the end, before a plain "@word".
  const named = event.mentions.find((person) => person.name && rest.endsWith(`@${person.name}`));
  const word = named ? `@${named.name}` : (DATE_AT_END.exec(rest)?.[1] ?? "");
  if (!/^[@＠]/u.test(word) || word.length === rest.length) return { plan: rest, due };
  const owner = named ?? mentionedPerson(word, event, usage);
  return { plan: rest.slice(0, rest.length - word.length).replace(SPACE_AT_END, ""), owner, due };
}

export function createRiskCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { risks, people } = deps.services;
  const { timezone } = deps.config;

  /** The usage line; the plan's optional owner and date follow its text, where the argument kit cannot put them. */
  const usageOf =
    (en: string, zh: string, args: typeof RISK_NEW_ARGS | typeof RISK_PLAN_ARGS, tail = { zh: "", en: "" }) =>
    (lang: Language) =>
      usageSentence({ zh, en }, args)(lang) + tail[lang];

  /** Runs a domain change; a refusal becomes the reply with the usage, a refused caller a denial. */
  async function explained<T>(work: () => Promise<T>, usage?: (lang: Language) => string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof RiskRefused)) throw error;
      const { refusal } = error;
      const words = (lang: Language) => riskRefusalText(refusal, lang) + (usage ? ` — ${usage(lang)}` : "");
      const denial =
        refusal.kind === "not_allowed"
          ? { reason: "not_creator" as const, entityType: "risk", entityId: refusal.number }
          : undefined;
      throw new UserError(words("zh"), words("en"), denial, { cause: error });
    }
  }

  const commands = [
    defineCommand({
      id: "risk.list",
      group: RISKS,
      names: { en: ["risk list", "risk"], zh: ["风险 列表", "风险"] },
      description: {
        zh: "风险矩阵 (可能性 × 影响, 每格风险数) 和评分最高的未关闭风险及其计划",
        en: "the risk matrix (likelihood × impact, risks per cell) and the highest open risks with their plans",
      },
      example: "",
      args: {},
      handler: async ({ language, reply }) => reply.card(registerCard(await risks.register(), language)),
    }),
    defineCommand({
      id: "risk.new",
      group: RISKS,
      names: { en: ["risk new"], zh: ["风险 新建"] },
      description: {
        zh: `登记风险: 可能性、影响各 ${RISK_SCALE_MIN}–${RISK_SCALE_MAX}, 评分 = 可能性 × 影响, ≥ 15 为高风险, 须有应对计划`,
        en: `raise a risk: likelihood and impact ${RISK_SCALE_MIN}–${RISK_SCALE_MAX}, score = likelihood × impact, 15 or more is high and needs a plan`,
      },
      example: { zh: "4 5 主供应商可能停产", en: "4 5 main supplier may stop production" },
      roles: ["manager", "admin"],
      args: RISK_NEW_ARGS,
      handler: async ({ args, event, actor, language, reply }) => {
        const risk = await explained(
          () =>
            risks.raise(
              actor,
              {
                likelihood: args.likelihood,
                impact: args.impact,
                description: args.text,
                chat: { platform: event.platform, chatId: event.chat.id },
              },
              timezone,
            ),
          usageOf("risk new", "风险 新建", RISK_NEW_ARGS),
        );
        return reply.card(riskCard(risk, language));
      },
    }),
    defineCommand({
      id: "risk.plan",
      group: RISKS,
      names: { en: ["risk plan"], zh: ["风险 计划"] },
      description: {
        zh: "记录应对计划; 带 @负责人 时为其生成待办 (截止日期默认 5 个工作日后); 经理、管理员或计划负责人",
        en: "record the plan; with @owner it becomes their task (due in 5 working days unless a date is given); a manager, an admin or the plan's owner",
      },
      example: {
        zh: "R-20261126-001 寻找第二供应商 @王伟 2026-12-10",
        en: "R-20261126-001 qualify a second supplier @Wang 2026-12-10",
      },
      args: RISK_PLAN_ARGS,
      handler: async ({ args, event, actor, language, reply }) => {
        const usage = usageOf("risk plan", "风险 计划", RISK_PLAN_ARGS, {
          zh: " [@负责人] [截止日期]",
          en: " [@owner] [YYYY-MM-DD]",
        });
        const { plan, owner, due } = planTail(args.text, event, usage);
        const ownerPersonId = owner
          ? (await personMentioned(people, owner, event, actor.at)).personId
          : undefined;
        const { risk, task } = await explained(
          () => risks.plan(actor, args.riskNo.toUpperCase(), { plan, ownerPersonId, due }, timezone),
          usage,
        );
        return reply.card(riskCard(risk, language, task));
      },
    }),
    defineCommand({
      id: "risk.close",
      group: RISKS,
      names: { en: ["risk close"], zh: ["风险 关闭"] },
      description: {
        zh: "关闭风险; 其计划的未完成待办随之完成",
        en: "close a risk; its plan's open task is done with it",
      },
      example: "R-20261126-001",
      roles: ["manager", "admin"],
      args: { riskNo },
      handler: async ({ args, actor, language, reply }) => {
        const { risk, closedTasks } = await explained(() => risks.close(actor, args.riskNo.toUpperCase()));
        return reply.card(riskCard(risk, language, undefined, closedTasks));
      },
    }),
  ];
  return { commands, actions: [] };
}

// /check (/系统检查): the morning system check. Anyone may answer it (the fixed roles have no IT role; whoever
// looks after the systems does): every active system area's checks, from a form or typed, one record per system.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import type { ChatRef } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import {
  evaluateChecklist,
  type InspectionArea,
  type ItemResult,
  type Problem,
  splitTypedValues,
} from "../../src/domain/inspections/checklist.ts";
import type { InspectionRecord } from "../../src/domain/inspections/records.ts";
import type { CommandDeps } from "../deps.ts";
import { problemsRefusal } from "../inspections/problems.ts";
import { submitChecklist } from "../inspections/submit.ts";
import {
  inputName,
  SYSTEM_CHECK_SUBMIT_ACTION,
  systemCheckFormCard,
  systemCheckSummaryCard,
  typedCheckUsage,
} from "./cards.ts";

const SYSTEMS = { zh: "系统检查", en: "System check" };

export function createSystemCheckCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { inspections, systemCheck } = deps.services;
  const { timezone } = deps.config;

  /** The systems to check; none is a mistake of set-up, explained with the command that fixes it. */
  async function requireSystems(): Promise<InspectionArea[]> {
    const systems = await inspections.listActiveAreas("system");
    if (systems.length > 0) return systems;
    throw new UserError(
      "还没有要检查的系统 — 经理可用 /清单 区域 新增 <系统键> 系统 添加",
      "no systems to check yet — a manager adds one with /checklist area add <system-key> system",
    );
  }

  /** Every system evaluated against its own checklist; all problems of all systems at once. */
  function evaluate(
    systems: readonly InspectionArea[],
    answerOf: (area: InspectionArea, item: string) => string | undefined,
  ) {
    const problems: Problem[] = [];
    const evaluated: { area: InspectionArea; results: ItemResult[] }[] = [];
    for (const area of systems) {
      const values = Object.fromEntries(area.items.map((item) => [item.code, answerOf(area, item.code)]));
      const evaluation = evaluateChecklist(area.items, values);
      if (evaluation.ok) evaluated.push({ area, results: evaluation.results });
      else problems.push(...evaluation.problems);
    }
    return { problems, evaluated };
  }

  /** One record per system (once per platform event and system), each alerting its own findings. */
  async function store(
    evaluated: readonly { area: InspectionArea; results: ItemResult[] }[],
    actor: Actor,
    chat: ChatRef,
    language: Language,
  ): Promise<InspectionRecord[]> {
    const records: InspectionRecord[] = [];
    for (const { area, results } of evaluated) {
      // Each system's record is its own submission of the one event: keyed by event and system.
      const perSystem = { ...actor, platformMessageId: `${actor.platformMessageId}#${area.code}` };
      records.push(await submitChecklist(deps, { area, results, actor: perSystem, chat, language }));
    }
    return records;
  }

  const check = defineCommand({
    id: "check",
    group: SYSTEMS,
    names: { en: ["check"], zh: ["系统检查"] },
    description: {
      zh: "早间系统检查: 每个系统 可访问、数据同步; 不带参数显示检查表 (含今晨自动探测结果)",
      en: "the morning system check: each system reachable and in sync; alone shows the form (with this morning's probe)",
    },
    example: { zh: "正常 正常 正常 异常", en: "ok ok ok fail" },
    args: { values: arg.rest({ label: { zh: "检查结果", en: "results" }, optional: true }) },
    withoutArgs: async ({ language, reply }) => {
      const systems = await requireSystems();
      const day = localDateOf(deps.now(), timezone);
      return reply.card(systemCheckFormCard(systems, await systemCheck.probes(day), language, day));
    },
    async handler({ args, language, event, actor, reply }) {
      const systems = await requireSystems();
      const typed = splitTypedValues(args.values ?? "");
      const slots = systems.flatMap((area) => area.items.map((item) => ({ area, item: item.code })));
      const usage = { zh: typedCheckUsage(systems, "zh"), en: typedCheckUsage(systems, "en") };
      if (typed.length !== slots.length)
        throw new UserError(
          `需要 ${slots.length} 项检查结果, 收到 ${typed.length} 项 — 用法: ${usage.zh}`,
          `${slots.length} results needed, got ${typed.length} — usage: ${usage.en}`,
        );
      const byInput = new Map(slots.map((slot, index) => [inputName(slot.area, slot.item), typed[index]]));
      const { problems, evaluated } = evaluate(systems, (area, item) => byInput.get(inputName(area, item)));
      if (problems.length > 0) throw problemsRefusal(problems, usage);
      const records = await store(evaluated, actor, event.chat, language);
      return reply.card(systemCheckSummaryCard(records, language));
    },
  });

  const submitForm = defineAction({
    id: SYSTEM_CHECK_SUBMIT_ACTION,
    async handler({ form, event, actor, language, t }) {
      const systems = await requireSystems();
      const { problems, evaluated } = evaluate(systems, (area, item) => form[inputName(area, item)]);
      if (problems.length > 0) throw problemsRefusal(problems);
      const records = await store(evaluated, actor, event.chat, language);
      const failed = records.some((record) => record.findingCount > 0);
      return {
        card: systemCheckSummaryCard(records, language),
        toast: failed
          ? { kind: "warning", text: t("已记录, 异常项已告警", "Recorded; what is not OK is alerted") }
          : { kind: "success", text: t("系统检查已记录", "System check recorded") },
      };
    },
  });

  return { commands: [check], actions: [submitForm] };
}

// /inspect and /巡检: list the areas, show an area's checklist form, take a submission from the form or typed.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import type { Language } from "../../src/chat/language.ts";
import { addDays, localDateOf, startOfLocalDay } from "../../src/domain/calendar/local-time.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import {
  evaluateChecklist,
  type InspectionArea,
  splitTypedValues,
  valuesInChecklistOrder,
} from "../../src/domain/inspections/checklist.ts";
import type { CommandDeps } from "../deps.ts";
import {
  areaListCard,
  INSPECTION_OPEN_ACTION,
  INSPECTION_SUBMIT_ACTION,
  inspectionFormCard,
  inspectionSummaryCard,
  typedUsage,
} from "./cards.ts";
import { problemsRefusal as refusal } from "./problems.ts";
import { submitChecklist } from "./submit.ts";

const INSPECTIONS = { zh: "巡检", en: "Inspections" };

export const createInspectionCommands = (deps: CommandDeps): { commands: Command[]; actions: Action[] } => {
  const { inspections } = deps.services;
  const { timezone } = deps.config;

  /** The area typed or, from a card, clicked: a clicked area that does not exist was not on a card of ours. */
  async function requireArea(typed: string | undefined, clicked = false): Promise<InspectionArea> {
    const area = typed ? await inspections.findActiveArea(typed, "inspection") : undefined;
    if (area) return area;
    const known = await inspections.listActiveAreas("inspection");
    const choices = (language: Language) =>
      known
        .map((candidate) => `${language === "zh" ? candidate.nameZh : candidate.nameEn} (${candidate.code})`)
        .join(", ");
    throw new UserError(
      `找不到巡检区域: ${typed ?? ""} — 可选: ${choices("zh")}`,
      `no inspection area ${typed ?? ""} — choose one of: ${choices("en")}`,
      clicked
        ? { reason: "unknown_entity", entityType: "inspection_area", entityId: typed ?? "" }
        : undefined,
    );
  }

  async function listCard(language: Language) {
    const areas = await inspections.listActiveAreas("inspection");
    const today = localDateOf(deps.now(), timezone);
    const done = await inspections.inWindow(
      areas.map((area) => area.id),
      startOfLocalDay(today, timezone),
      startOfLocalDay(addDays(today, 1), timezone),
    );
    const calendar = createWorkingCalendar({ timezone, overrides: await deps.services.calendar.overrides() });
    return areaListCard(areas, done, language, calendar.isWorkingDay(today).provisional);
  }

  const inspect = defineCommand({
    id: "inspect",
    group: INSPECTIONS,
    names: { en: ["inspect"], zh: ["巡检"] },
    description: {
      zh: "填写区域巡检表; 不带参数列出区域; 在区域后依次写读数和检查 (合格/不合格) 可直接提交",
      en: "fill in an area's checklist; alone lists the areas; readings and checks (ok/fail) after the area submit it",
    },
    example: { zh: "仓库 22 55 合格 合格 不合格", en: "warehouse 22 55 ok ok fail" },
    args: {
      area: arg.text({ label: { zh: "区域", en: "area" } }),
      values: arg.rest({ label: { zh: "读数和检查", en: "readings-and-checks" }, optional: true }),
    },
    withoutArgs: async ({ language, reply }) => reply.card(await listCard(language)),
    async handler({ args, language, event, actor, reply }) {
      const area = await requireArea(args.area);
      if (args.values === undefined || args.values.trim() === "")
        return reply.card(inspectionFormCard(area, language));
      const typed = splitTypedValues(args.values);
      const usage = { zh: typedUsage(area, "zh"), en: typedUsage(area, "en") };
      const values = valuesInChecklistOrder(area.items, typed);
      if (!values) {
        throw new UserError(
          `${area.nameZh}需要 ${area.items.length} 项读数和检查, 收到 ${typed.length} 项 — 用法: ${usage.zh}`,
          `${area.nameEn} needs ${area.items.length} readings and checks, got ${typed.length} — usage: ${usage.en}`,
        );
      }
      const evaluation = evaluateChecklist(area.items, values);
      if (!evaluation.ok) throw refusal(evaluation.problems, usage);
      const inspection = await submitChecklist(deps, {
        area,
        results: evaluation.results,
        actor,
        chat: event.chat,
        language,
      });
      return reply.card(inspectionSummaryCard(inspection, language, timezone));
    },
  });

  const open = defineAction({
    id: INSPECTION_OPEN_ACTION,
    handler: async ({ id, language }) => ({
      card: inspectionFormCard(await requireArea(id, true), language),
    }),
  });

  const submitForm = defineAction({
    id: INSPECTION_SUBMIT_ACTION,
    async handler({ id, form, event, actor, language, t }) {
      const area = await requireArea(id, true);
      const evaluation = evaluateChecklist(area.items, form);
      if (!evaluation.ok) throw refusal(evaluation.problems);
      const inspection = await submitChecklist(deps, {
        area,
        results: evaluation.results,
        actor,
        chat: event.chat,
        language,
      });
      const findings = inspection.findingCount;
      return {
        card: inspectionSummaryCard(inspection, language, timezone),
        toast:
          findings > 0
            ? {
                kind: "warning",
                text: t(`已记录 ${findings} 项问题并发出告警`, `${findings} finding(s) recorded and alerted`),
              }
            : {
                kind: "success",
                text: t(`巡检 ${inspection.number} 已提交`, `Inspection ${inspection.number} submitted`),
              },
      };
    },
  });

  return { commands: [inspect], actions: [open, submitForm] };
};

// /checklist (/清单): show the areas and their checklists (anyone); add, change and retire areas, items and
// cut-offs (manager, admin). Every change is audited; a change of items makes a new checklist version.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { Bilingual, Language } from "../../src/chat/language.ts";
import {
  type ChecklistRefusal,
  ChecklistRefused,
  type ItemSpec,
} from "../../src/domain/inspections/checklist-edits.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { INSPECTION_CUTOFF_DEFAULT, SYSTEM_CHECK_CUTOFF } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import { checklistCard, checklistListCard } from "./cards.ts";
import {
  AREA_USAGE,
  bilingualName,
  ITEM_USAGE,
  itemKey,
  KEY,
  parseAreaOptions,
  parseCutoff,
  parseItemSpec,
} from "./item-words.ts";

const CHECKLISTS = { zh: "检查清单", en: "Checklists" };
/** Who edits checklists; anyone reads them. */
const EDITORS: readonly Role[] = ["manager", "admin"];

/** The two checks every system starts with: can it be reached, are its data in sync. */
const systemCheck = (code: string, labelZh: string, labelEn: string): ItemSpec & { code: string } => ({
  code,
  kind: "check",
  labelZh,
  labelEn,
  unit: null,
  min: null,
  max: null,
  safety: false,
});
const SYSTEM_ITEMS = [
  systemCheck("reachable", "可访问", "Reachable"),
  systemCheck("in_sync", "数据同步", "Data in sync"),
];

function refusalText(refusal: ChecklistRefusal, language: Language): string {
  const zh = language === "zh";
  switch (refusal.kind) {
    case "unknown_area":
      return zh
        ? `找不到区域: ${refusal.area} — 发送 /清单 查看`
        : `no area ${refusal.area} — send /checklist to see them`;
    case "area_exists":
      return zh ? `区域已存在: ${refusal.area}` : `the area ${refusal.area} exists already`;
    case "unknown_item":
      return zh
        ? `${refusal.area} 没有项目 ${refusal.item} — 发送 /清单 ${refusal.area} 查看`
        : `${refusal.area} has no item ${refusal.item} — send /checklist ${refusal.area} to see them`;
    case "item_exists":
      return zh
        ? `${refusal.area} 已有项目 ${refusal.item}; 修改请用 /清单 项目 修改`
        : `${refusal.area} has an item ${refusal.item} already; use /checklist item change to change it`;
    case "last_item":
      return zh
        ? `${refusal.item} 是 ${refusal.area} 的最后一项, 不能停用; 请先新增项目或停用区域`
        : `${refusal.item} is the last item of ${refusal.area}; add another first or retire the area`;
    case "unchanged":
      return zh
        ? `与现有设置相同, 未作更改: ${refusal.area}`
        : `same as now, nothing changed: ${refusal.area}`;
  }
}

export function createChecklistCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { checklists, inspections } = deps.services;

  async function explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ChecklistRefused)) throw error;
      throw new UserError(refusalText(error.refusal, "zh"), refusalText(error.refusal, "en"), undefined, {
        cause: error,
      });
    }
  }

  /** The area's card after a change, its headline in the user's language. */
  async function changedCard(areaCode: string, language: Language, headline: Bilingual) {
    const area = await inspections.findActiveArea(areaCode);
    if (!area) throw new Error(`area ${areaCode} vanished after its change`);
    return checklistCard(area, language, headline[language]);
  }

  /** The card after a change of items: the item and the checklist's new version in its headline. */
  const itemChangedCard = (
    { area, version }: { area: string; version: number },
    key: string,
    language: Language,
    done: Bilingual,
  ) =>
    changedCard(area, language, {
      zh: `已${done.zh}项目 ${key}, 清单为第 ${version} 版`,
      en: `${done.en} ${key}: the checklist is now version ${version}`,
    });

  const areaArg = arg.text({ label: { zh: "区域", en: "area" } });
  const keyArg = arg.text({ label: { zh: "项目键", en: "key" } });
  const itemSpecArgs = {
    area: areaArg,
    key: keyArg,
    spec: arg.rest({ label: { zh: "读数或检查", en: "range-or-check" } }),
  };

  const show = defineCommand({
    id: "checklist",
    group: CHECKLISTS,
    names: { en: ["checklist"], zh: ["清单"] },
    description: {
      zh: "检查清单: 不带参数列出区域及版本; 带区域显示其项目",
      en: "checklists: alone lists the areas and versions; with an area shows its items",
    },
    example: { zh: "仓库", en: "warehouse" },
    args: { area: arg.text({ label: { zh: "区域", en: "area" }, optional: true }) },
    withoutArgs: async ({ language, reply }) =>
      reply.card(checklistListCard(await inspections.listActiveAreas(), language)),
    async handler({ args, language, reply }) {
      if (!args.area) return reply.card(checklistListCard(await inspections.listActiveAreas(), language));
      const area = await inspections.findActiveArea(args.area);
      if (!area) {
        const refusal = { kind: "unknown_area", area: args.area } as const;
        throw new UserError(refusalText(refusal, "zh"), refusalText(refusal, "en"));
      }
      return reply.card(checklistCard(area, language));
    },
  });

  const areaAdd = defineCommand({
    id: "checklist.area.add",
    group: CHECKLISTS,
    names: { en: ["checklist area add"], zh: ["清单 区域 新增"] },
    description: {
      zh: "新增区域 (巡检区域, 或加 系统 为早间系统检查的系统, 自带 可访问 和 数据同步 两项)",
      en: "add an area (an inspection area, or with `system` a system of the morning check, with reachable and in-sync checks)",
    },
    example: { zh: "冷库 09:00 冷库/Cold store", en: "erp system ERP系统/ERP" },
    roles: EDITORS,
    args: { area: areaArg, options: arg.rest({ label: { zh: "选项", en: "options" }, optional: true }) },
    async handler({ args, actor, language, reply }) {
      const code = args.area.normalize("NFKC").trim().toLowerCase();
      if (!KEY.test(code))
        throw new UserError(
          `区域键只能用小写字母、数字和 _ 并以字母开头: ${args.area} — 用法: ${AREA_USAGE.zh}`,
          `an area key is lower-case letters, digits and _, starting with a letter: ${args.area} — usage: ${AREA_USAGE.en}`,
        );
      const options = parseAreaOptions(args.options);
      const name = bilingualName(options.name ?? code);
      const system = options.kind === "system";
      await explained(() =>
        checklists.addArea(
          {
            code,
            nameZh: name.zh,
            nameEn: name.en,
            kind: options.kind,
            cutoff: options.cutoff ?? (system ? SYSTEM_CHECK_CUTOFF : INSPECTION_CUTOFF_DEFAULT),
          },
          system ? SYSTEM_ITEMS : [],
          actor,
        ),
      );
      return reply.card(
        await changedCard(code, language, {
          zh: `已新增区域 ${code}${system ? "" : "; 请用 /清单 项目 新增 添加项目"}`,
          en: `Added the area ${code}${system ? "" : "; add its items with /checklist item add"}`,
        }),
      );
    },
  });

  const areaRetire = defineCommand({
    id: "checklist.area.retire",
    group: CHECKLISTS,
    names: { en: ["checklist area retire"], zh: ["清单 区域 停用"] },
    description: {
      zh: "停用区域: 不再需要检查; 已有记录保持原样",
      en: "retire an area: no longer due; its records stay as they are",
    },
    example: { zh: "办公区", en: "office" },
    roles: EDITORS,
    args: { area: areaArg },
    async handler({ args, actor, reply }) {
      const code = await explained(() => checklists.retireArea(args.area, actor));
      return reply.text(
        `已停用区域 ${code}; 已有记录保持原样`,
        `Retired the area ${code}; its records stay as they are`,
      );
    },
  });

  const cutoff = defineCommand({
    id: "checklist.cutoff",
    group: CHECKLISTS,
    names: { en: ["checklist cutoff"], zh: ["清单 截止"] },
    description: { zh: "修改区域每个工作日的截止时间", en: "change an area's daily cut-off on working days" },
    example: { zh: "仓库 09:30", en: "warehouse 09:30" },
    roles: EDITORS,
    args: { area: areaArg, time: arg.text({ label: { zh: "时间", en: "time" } }) },
    async handler({ args, actor, language, reply }) {
      const time = parseCutoff(args.time, {
        zh: "/清单 截止 <区域> <HH:MM>",
        en: "/checklist cutoff <area> <HH:MM>",
      });
      const code = await explained(() => checklists.setCutoff(args.area, time, actor));
      return reply.card(
        await changedCard(code, language, {
          zh: `截止时间已改为 ${time}`,
          en: `The cut-off is now ${time}`,
        }),
      );
    },
  });

  const itemUsage = (name: Bilingual): Bilingual => ({
    zh: `/清单 项目 ${name.zh} ${ITEM_USAGE.zh}`,
    en: `/checklist item ${name.en} ${ITEM_USAGE.en}`,
  });

  const itemAdd = defineCommand({
    id: "checklist.item.add",
    group: CHECKLISTS,
    names: { en: ["checklist item add"], zh: ["清单 项目 新增"] },
    description: {
      zh: "新增项目 (读数及范围, 或 合格/不合格 检查): 清单生成新版本",
      en: "add an item (a reading with its range, or a pass/fail check): a new checklist version",
    },
    example: {
      zh: "仓库 pressure 读数 0.2 0.6 MPa 气压/Pressure",
      en: "warehouse pressure range 0.2 0.6 MPa 气压/Pressure",
    },
    roles: EDITORS,
    args: itemSpecArgs,
    async handler({ args, actor, language, reply }) {
      const usage = itemUsage({ zh: "新增", en: "add" });
      const key = itemKey(args.key, usage);
      const spec = parseItemSpec(args.spec, undefined, usage);
      const changed = await explained(() => checklists.addItem(args.area, key, spec, actor));
      return reply.card(await itemChangedCard(changed, key, language, { zh: "新增", en: "Added" }));
    },
  });

  const itemChange = defineCommand({
    id: "checklist.item.change",
    group: CHECKLISTS,
    names: { en: ["checklist item change"], zh: ["清单 项目 修改"] },
    description: {
      zh: "修改项目的范围、单位或名称: 清单生成新版本, 已有记录保持原样",
      en: "change an item's range, unit or label: a new checklist version; records made before keep theirs",
    },
    example: { zh: "仓库 temperature 读数 16 28 °C", en: "warehouse temperature range 16 28 °C" },
    roles: EDITORS,
    args: itemSpecArgs,
    async handler({ args, actor, language, reply }) {
      const usage = itemUsage({ zh: "修改", en: "change" });
      const key = itemKey(args.key, usage);
      // A typing mistake is found inside the change's transaction: it rolls back and nothing changes.
      const changed = await explained(() =>
        checklists.changeItem(args.area, key, (current) => parseItemSpec(args.spec, current, usage), actor),
      );
      return reply.card(await itemChangedCard(changed, key, language, { zh: "修改", en: "Changed" }));
    },
  });

  const itemRetire = defineCommand({
    id: "checklist.item.retire",
    group: CHECKLISTS,
    names: { en: ["checklist item retire"], zh: ["清单 项目 停用"] },
    description: {
      zh: "停用项目: 清单生成新版本, 已有记录保持原样",
      en: "retire an item: a new checklist version; records made before keep it",
    },
    example: { zh: "仓库 stacking_safe", en: "warehouse stacking_safe" },
    roles: EDITORS,
    args: { area: areaArg, key: keyArg },
    async handler({ args, actor, language, reply }) {
      const key = itemKey(args.key, {
        zh: "/清单 项目 停用 <区域> <项目键>",
        en: "/checklist item retire <area> <key>",
      });
      const changed = await explained(() => checklists.retireItem(args.area, key, actor));
      return reply.card(await itemChangedCard(changed, key, language, { zh: "停用", en: "Retired" }));
    },
  });

  return { commands: [show, areaAdd, areaRetire, cutoff, itemAdd, itemChange, itemRetire], actions: [] };
}

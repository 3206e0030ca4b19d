// /equipment: add equipment under maintenance (managers, admins), record a service (anyone), list what is due.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md } from "../../src/chat/rich-text.ts";
import {
  type Equipment,
  type MaintenanceRefusal,
  MaintenanceRefused,
  type ScheduledEquipment,
} from "../../src/domain/maintenance/equipment.ts";
import { MAINTENANCE_AHEAD_DAYS } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import { personMentioned } from "../mentioned-people.ts";

const EQUIPMENT = { zh: "设备保养", en: "Maintenance" };
const CODE = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,39}$/;
const code = arg.text({ label: { zh: "设备编号", en: "id" }, pattern: CODE, example: "CNC-1" });

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

function dueText(item: Equipment, language: Language): string {
  if (item.daysLeft < 0) return pick(language, `逾期 ${-item.daysLeft} 天`, `${-item.daysLeft} days overdue`);
  if (item.daysLeft === 0) return pick(language, "今天到期", "due today");
  return pick(language, `${item.daysLeft} 天后`, `in ${item.daysLeft} days`);
}

function equipmentCard(item: ScheduledEquipment, language: Language): Card {
  return {
    title: `${item.code} ${item.name}`,
    tone: item.daysLeft < 0 ? "danger" : item.daysLeft <= MAINTENANCE_AHEAD_DAYS ? "warning" : "success",
    fields: [
      {
        label: pick(language, "保养周期", "Every"),
        value: pick(language, `${item.everyDays} 天`, `${item.everyDays} days`),
      },
      { label: pick(language, "上次保养", "Last service"), value: item.lastService },
      {
        label: pick(language, "下次保养", "Next service"),
        value: `${item.nextDue} (${dueText(item, language)})`,
      },
      ...(item.task
        ? [{ label: pick(language, "待办", "Task"), value: `${item.task.number} → ${item.task.ownerName}` }]
        : []),
    ],
    note: pick(
      language,
      `到期前 ${MAINTENANCE_AHEAD_DAYS} 天内为负责人生成待办`,
      `The owner gets a task once the service is due within ${MAINTENANCE_AHEAD_DAYS} days`,
    ),
  };
}

function listCard(items: readonly Equipment[], dueOnly: boolean, language: Language): Card {
  const lines = items.map(
    (item) => md`- ${item.code} ${item.name}: ${item.nextDue} · ${dueText(item, language)}`,
  );
  const empty = dueOnly
    ? pick(
        language,
        `${MAINTENANCE_AHEAD_DAYS} 天内没有到期的保养。`,
        `No service due within ${MAINTENANCE_AHEAD_DAYS} days.`,
      )
    : pick(language, "还没有设备。用 /设备 新增 登记。", "No equipment yet. Add some with /equipment add.");
  return {
    title: dueOnly ? pick(language, "到期的保养", "Services due") : pick(language, "设备保养", "Maintenance"),
    tone: items.some((item) => item.daysLeft < 0) ? "warning" : "info",
    markdown: lines.length === 0 ? md`${empty}` : joinRich(lines, "\n"),
  };
}

function refusalText(refusal: MaintenanceRefusal, language: Language): string {
  switch (refusal.kind) {
    case "exists":
      return pick(language, `设备 ${refusal.code} 已存在`, `equipment ${refusal.code} already exists`);
    case "not_found":
      return pick(language, `没有设备 ${refusal.code}`, `there is no equipment ${refusal.code}`);
    case "last_service_in_future":
      return pick(
        language,
        `上次保养日期不能晚于今天 (${refusal.today}): ${refusal.lastService}`,
        `the last service cannot be after today (${refusal.today}): ${refusal.lastService}`,
      );
  }
}

export function createMaintenanceCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { maintenance } = deps.services;
  const { timezone } = deps.config;

  async function explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof MaintenanceRefused)) throw error;
      const words = (language: Language) => refusalText(error.refusal, language);
      throw new UserError(words("zh"), words("en"), undefined, { cause: error });
    }
  }

  const commands = [
    defineCommand({
      id: "equipment",
      group: EQUIPMENT,
      names: { en: ["equipment"], zh: ["设备"] },
      description: {
        zh: "设备及下次保养日期; 加 到期 只看 7 天内到期和逾期的",
        en: "equipment and its next service; `due` for those due within 7 days or overdue",
      },
      example: { zh: "到期", en: "due" },
      args: {
        filter: arg.enum({ label: { zh: "筛选", en: "filter" }, choices: { due: "到期" }, optional: true }),
      },
      async handler({ args, language, reply }) {
        const dueOnly = args.filter === "due";
        const items = await maintenance.list({ now: deps.now(), timezone, dueOnly });
        return reply.card(listCard(items, dueOnly, language));
      },
    }),
    defineCommand({
      id: "equipment.add",
      group: EQUIPMENT,
      names: { en: ["equipment add"], zh: ["设备 新增"] },
      description: {
        zh: "登记设备、保养周期 (天) 和上次保养日期; 可指定保养负责人, 默认为登记人",
        en: "add equipment with its service interval in days and last service; the maintenance owner is @owner or you",
      },
      example: { zh: "CNC-1 数控机床 30 2026-11-20 @王伟", en: "CNC-1 lathe 30 2026-11-20 @Wang" },
      roles: ["manager", "admin"],
      args: {
        code,
        name: arg.text({ label: { zh: "名称", en: "name" } }),
        everyDays: arg.integer({ label: { zh: "周期天数", en: "every-N-days" }, max: 3660 }),
        lastService: arg.date({ label: { zh: "上次保养", en: "last-service" } }),
        owner: arg.user({ label: { zh: "负责人", en: "owner" }, optional: true }),
      },
      async handler({ args, actor, event, language, reply }) {
        const owner = args.owner
          ? await personMentioned(deps.services.people, args.owner, event, actor.at)
          : undefined;
        const ownerPersonId = owner?.personId;
        const item = await explained(() =>
          maintenance.add(
            actor,
            {
              code: args.code,
              name: args.name,
              everyDays: args.everyDays,
              lastService: args.lastService,
              ownerPersonId,
            },
            timezone,
          ),
        );
        return reply.card(equipmentCard(item, language));
      },
    }),
    defineCommand({
      id: "equipment.done",
      group: EQUIPMENT,
      names: { en: ["equipment done"], zh: ["设备 完成"] },
      description: { zh: "记录今天完成了保养", en: "record a service done today" },
      example: "CNC-1",
      args: { code },
      async handler({ args, actor, language, reply }) {
        const item = await explained(() => maintenance.done(actor, args.code, timezone));
        return reply.card(equipmentCard(item, language));
      },
    }),
  ];
  return { commands, actions: [] };
}

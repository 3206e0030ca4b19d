// /stock: declare materials, record receipts, issues and counts (warehouse, managers, admins), read stock (anyone).
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Role } from "../../src/domain/people/role.ts";
import type { MovementKind } from "../../src/domain/stock/changes.ts";
import { type Milli, parseQuantity } from "../../src/domain/stock/quantity.ts";
import { StockRefused } from "../../src/domain/stock/refusal.ts";
import type { CommandDeps } from "../deps.ts";
import { stockItemCard, stockListCard, stockRefusalText } from "./cards.ts";

const STOCK = { zh: "库存", en: "Stock" };
/** Who records stock; anyone reads it. */
const STOCK_KEEPERS: readonly Role[] = ["warehouse", "manager", "admin"];
const SKU = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,39}$/;
const sku = arg.text({ label: { zh: "物料编码", en: "sku" }, pattern: SKU, example: "PVC-01" });

/** A typed quantity: a decimal with up to three places; `positive` refuses 0. */
function quantityOf(typed: string, positive: boolean, label: { zh: string; en: string }): Milli {
  const value = parseQuantity(typed);
  if (value === undefined || (positive && value === 0n)) {
    const kind = positive
      ? { zh: "正数", en: "a positive number" }
      : { zh: "非负数", en: "a number, 0 or more" };
    throw new UserError(
      `${label.zh}必须是${kind.zh} (最多 3 位小数): ${typed}`,
      `${label.en} must be ${kind.en} with at most 3 decimals: ${typed}`,
    );
  }
  return value;
}

export function createStockCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { stock } = deps.services;
  const { timezone } = deps.config;

  async function explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StockRefused)) throw error;
      const words = (language: Language) => stockRefusalText(error.refusal, language);
      throw new UserError(words("zh"), words("en"), undefined, { cause: error });
    }
  }

  const fellText = (language: Language) =>
    language === "zh"
      ? "已低于安全库存, 已通知告警群"
      : "Now below its safety stock: the alert groups are told";

  const movement = (kind: MovementKind, en: string, zh: string, description: { zh: string; en: string }) =>
    defineCommand({
      id: `stock.${kind}`,
      group: STOCK,
      names: { en: [`stock ${en}`], zh: [`库存 ${zh}`] },
      description,
      example: "PVC-01 120.5",
      roles: STOCK_KEEPERS,
      args: { sku, quantity: arg.text({ label: { zh: "数量", en: "qty" } }) },
      async handler({ args, actor, language, reply }) {
        const quantity = quantityOf(args.quantity, kind !== "set", { zh: "数量", en: "qty" });
        const outcome = await explained(() =>
          stock.record(actor, { sku: args.sku, kind, quantity }, timezone),
        );
        const headline = outcome.crossed === "fell" ? fellText(language) : undefined;
        return reply.card(stockItemCard(outcome.status, language, headline));
      },
    });

  const commands = [
    defineCommand({
      id: "stock",
      group: STOCK,
      names: { en: ["stock"], zh: ["库存"] },
      description: {
        zh: "库存: 现有量、安全库存 (3 天用量)、可用天数; 加 低 只看低于安全库存的",
        en: "stock on hand, safety stock (3 days' use) and days of cover; `low` for the ones below it",
      },
      example: { zh: "低", en: "low" },
      args: {
        filter: arg.enum({ label: { zh: "筛选", en: "filter" }, choices: { low: "低" }, optional: true }),
      },
      async handler({ args, language, reply }) {
        const lowOnly = args.filter === "low";
        const statuses = await stock.list({ now: deps.now(), timezone, lowOnly });
        return reply.card(stockListCard(statuses, lowOnly, language));
      },
    }),
    defineCommand({
      id: "stock.item",
      group: STOCK,
      names: { en: ["stock item"], zh: ["库存 物料"] },
      description: {
        zh: "登记物料及其日用量 (已有则修改); 可在单位后写仓库, 默认 MAIN",
        en: "declare a material with its daily use (or change one); a warehouse may follow the unit (default MAIN)",
      },
      example: { zh: "PVC-01 PVC粒料 40 kg WH-A", en: "PVC-01 PVC-pellets 40 kg WH-A" },
      roles: STOCK_KEEPERS,
      args: {
        sku,
        name: arg.text({ label: { zh: "名称", en: "name" } }),
        dailyUse: arg.text({ label: { zh: "日用量", en: "daily-use" } }),
        unit: arg.text({ label: { zh: "单位", en: "unit" }, optional: true }),
        warehouse: arg.text({
          label: { zh: "仓库", en: "warehouse" },
          pattern: SKU,
          example: "WH-A",
          optional: true,
        }),
      },
      async handler({ args, actor, language, reply }) {
        const declaredDailyUse = quantityOf(args.dailyUse, true, { zh: "日用量", en: "daily-use" });
        const outcome = await stock.define(
          actor,
          { sku: args.sku, name: args.name, declaredDailyUse, unit: args.unit, warehouse: args.warehouse },
          timezone,
        );
        return reply.card(stockItemCard(outcome.status, language));
      },
    }),
    movement("in", "in", "入库", { zh: "记录入库数量", en: "record a receipt" }),
    movement("out", "out", "出库", { zh: "记录出库 (领用) 数量", en: "record an issue (use)" }),
    movement("set", "set", "盘点", { zh: "按实盘数量设定现有量", en: "set the quantity on hand to a count" }),
  ];
  return { commands, actions: [] };
}

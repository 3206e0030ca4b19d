// /count start|close and /count <S-no> <sku> <counted> (/盘点): the monthly stocktake of a warehouse.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import { usageLine } from "../../src/bot/usage.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { parseQuantity } from "../../src/domain/stock/quantity.ts";
import { StocktakeRefused } from "../../src/domain/stocktake/refusal.ts";
import type { CommandDeps } from "../deps.ts";
import { stocktakeCard, stocktakeListCard, stocktakeRefusalText } from "./cards.ts";

const STOCKTAKE = { zh: "物料盘点", en: "Stocktake" };
/** The warehouse counts (and managers and admins with it). */
const COUNTERS: readonly Role[] = ["warehouse", "manager", "admin"];
/** The close writes the counted quantities into the books: a second pair of eyes, a manager's or an admin's. */
const CLOSERS: readonly Role[] = ["manager", "admin"];
const LIST_LIMIT = 20;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,39}$/;

const stocktakeNo = arg.text({
  label: { zh: "盘点单号", en: "S-no" },
  pattern: /^[Ss]-\d{8}-\d{3,}$/,
  example: "S-20261126-001",
});

const COUNT_ARGS = {
  stocktakeNo,
  sku: arg.text({ label: { zh: "物料编码", en: "sku" }, pattern: CODE, example: "PVC-01" }),
  counted: arg.text({
    label: { zh: "实盘数量", en: "counted" },
    pattern: /^\d[\d,]*(\.\d+)?$/,
    example: "118.5",
  }),
} as const;

export function createStocktakeCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { stocktake } = deps.services;
  const { timezone } = deps.config;

  async function explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StocktakeRefused)) throw error;
      const words = (language: Language) => stocktakeRefusalText(error.refusal, language);
      throw new UserError(words("zh"), words("en"), undefined, { cause: error });
    }
  }

  const commands = [
    defineCommand({
      id: "count",
      group: STOCKTAKE,
      names: { en: ["count"], zh: ["盘点"] },
      description: {
        zh: "记录一项物料的实盘数量 (最多 3 位小数); 不带参数列出盘点单",
        en: "record the counted quantity of a material (up to 3 decimals); alone, lists the stocktakes",
      },
      example: "S-20261126-001 PVC-01 118.5",
      roles: COUNTERS,
      args: COUNT_ARGS,
      async withoutArgs({ language, reply }) {
        return reply.card(stocktakeListCard(await stocktake.list({ limit: LIST_LIMIT }), language));
      },
      async handler({ args, actor, language, reply, name }) {
        const counted = parseQuantity(args.counted);
        if (counted === undefined) {
          const usage = (l: Language) => usageLine(name, COUNT_ARGS, l);
          throw new UserError(
            `实盘数量必须是非负数, 最多 3 位小数: ${args.counted} — 用法: ${usage("zh")}`,
            `counted must be a number, 0 or more, with at most 3 decimals: ${args.counted} — usage: ${usage("en")}`,
          );
        }
        const { stocktake: view, line } = await explained(() =>
          stocktake.count(actor, { number: args.stocktakeNo, sku: args.sku, counted }),
        );
        const headline =
          language === "zh" ? `${view.number}: 已记录 ${line.sku}` : `${view.number}: ${line.sku} recorded`;
        return reply.card(stocktakeCard(view, language, headline));
      },
    }),
    defineCommand({
      id: "count.start",
      group: STOCKTAKE,
      names: { en: ["count start"], zh: ["盘点 开始"] },
      description: {
        zh: "开始盘点一个仓库: 按台账记下各物料的账面数量, 盘点结束前这些物料不能出入库",
        en: "start counting a warehouse with the book quantities of its materials; they do not move until the close",
      },
      example: "MAIN",
      roles: COUNTERS,
      args: {
        warehouse: arg.text({ label: { zh: "仓库", en: "warehouse" }, pattern: CODE, example: "MAIN" }),
      },
      async handler({ args, actor, language, reply }) {
        const view = await explained(() => stocktake.start(actor, args.warehouse, timezone));
        return reply.card(stocktakeCard(view, language));
      },
    }),
    defineCommand({
      id: "count.close",
      group: STOCKTAKE,
      names: { en: ["count close"], zh: ["盘点 结束"] },
      description: {
        zh: "结束盘点: 计算误差率, 按实盘调整台账; 超过 2% 告警并安排复盘",
        en: "close a count: its error rate, the books set to what was counted; above 2 % an alert and recounts",
      },
      example: "S-20261126-001",
      roles: CLOSERS,
      args: { stocktakeNo },
      async handler({ args, actor, event, language, reply }) {
        const view = await explained(() =>
          stocktake.close(actor, args.stocktakeNo, {
            timezone,
            chat: { platform: event.platform, chatId: event.chat.id },
          }),
        );
        return reply.card(stocktakeCard(view, language));
      },
    }),
  ];
  return { commands, actions: [] };
}

// /lot new|release (/批次, /放行) and /qc (/抽检): lots of an order, their sampling results, QA's release.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import { usageLine } from "../../src/bot/usage.ts";
import type { Language } from "../../src/chat/language.ts";
import { LOT_SIZE_MAX } from "../../src/domain/policy.ts";
import { QualityRefused } from "../../src/domain/quality/refusal.ts";
import type { CommandDeps } from "../deps.ts";
import { lotCard, lotListCard, qualityRefusalText } from "./cards.ts";

const QUALITY = { zh: "质量抽检", en: "Quality sampling" };
/** Sampling results and releases are QA's own signature. */
const QA_ONLY = ["qa"] as const;
const LIST_LIMIT = 20;

const lotNo = arg.text({
  label: { zh: "批次号", en: "L-no" },
  pattern: /^[Ll]-\d{8}-\d{3,}$/,
  example: "L-20261126-001",
});

const QC_ARGS = {
  lotNo,
  sampled: arg.integer({ label: { zh: "抽样数", en: "sampled" }, max: LOT_SIZE_MAX }),
  defects: arg.text({ label: { zh: "不良数", en: "defects" }, pattern: /^\d{1,9}$/, example: "0" }),
  note: arg.rest({ label: { zh: "备注", en: "note" }, optional: true }),
} as const;

/** Refusals that correct what was typed also show the usage; the others name the lot's state. */
const INPUT_MISTAKES = new Set(["defects_over_sampled", "sampled_over_size"]);

export function createQualityCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { quality } = deps.services;
  const { timezone } = deps.config;

  async function explained<T>(work: () => Promise<T>, usage?: (language: Language) => string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof QualityRefused)) throw error;
      const words = (language: Language) => {
        const text = qualityRefusalText(error.refusal, language);
        if (!usage || !INPUT_MISTAKES.has(error.refusal.kind)) return text;
        return `${text} — ${language === "zh" ? "用法" : "usage"}: ${usage(language)}`;
      };
      throw new UserError(words("zh"), words("en"), undefined, { cause: error });
    }
  }

  const commands = [
    defineCommand({
      id: "lot",
      group: QUALITY,
      names: { en: ["lot"], zh: ["批次 查看"] },
      description: {
        zh: "一个批次的抽检情况; 不带批次号列出待放行和最近的批次",
        en: "one lot's sampling, or the open lots and the last decided ones",
      },
      example: "L-20261126-001",
      args: { lotNo: { ...lotNo, optional: true } },
      async handler({ args, language, reply }) {
        if (!args.lotNo) return reply.card(lotListCard(await quality.list({ limit: LIST_LIMIT }), language));
        const lot = await quality.find(args.lotNo);
        if (!lot) {
          const number = args.lotNo.toUpperCase();
          throw new UserError(`没有批次 ${number}`, `there is no lot ${number}`);
        }
        return reply.card(lotCard(lot, language));
      },
    }),
    defineCommand({
      id: "lot.new",
      group: QUALITY,
      names: { en: ["lot new"], zh: ["批次", "批次 新建"] },
      description: {
        zh: "为已确认的订单登记一个批次, 回复应抽检数量 (5% 向上取整, 至少 1 件)",
        en: "declare a lot of a confirmed order; the reply gives its required sample (5 % rounded up, at least 1)",
      },
      example: "O-20261126-001 1000",
      args: {
        orderNo: arg.text({
          label: { zh: "订单号", en: "O-no" },
          pattern: /^[Oo]-\d{8}-\d{3,}$/,
          example: "O-20261126-001",
        }),
        lotSize: arg.integer({ label: { zh: "批量", en: "lot-size" }, max: LOT_SIZE_MAX }),
      },
      async handler({ args, actor, language, reply }) {
        const lot = await explained(() =>
          quality.create(actor, { orderNumber: args.orderNo, size: args.lotSize }, timezone),
        );
        const headline =
          language === "zh"
            ? `批次 ${lot.number}: 应抽检 ${lot.requiredSample} 件`
            : `Lot ${lot.number}: sample ${lot.requiredSample}`;
        return reply.card(lotCard(lot, language, headline));
      },
    }),
    defineCommand({
      id: "qc",
      group: QUALITY,
      names: { en: ["qc"], zh: ["抽检"] },
      description: {
        zh: "记录一次抽检结果 (抽样数、不良数); 同一批次的多次结果累计",
        en: "record a sampling result (units sampled, defects); results of a lot add up",
      },
      example: { zh: "L-20261126-001 20 0 外观无异常", en: "L-20261126-001 20 0 finish ok" },
      roles: QA_ONLY,
      args: QC_ARGS,
      async handler({ args, actor, language, reply, name }) {
        const outcome = await explained(
          () =>
            quality.sample(actor, {
              lotNumber: args.lotNo,
              sampled: args.sampled,
              defects: Number(args.defects),
              note: args.note,
            }),
          (l) => usageLine(name, QC_ARGS, l),
        );
        const headline = outcome.rejected
          ? language === "zh"
            ? `批次 ${outcome.lot.number} 不合格: 已通知告警群`
            : `Lot ${outcome.lot.number} rejected: the alert groups are told`
          : undefined;
        return reply.card(lotCard(outcome.lot, language, headline));
      },
    }),
    defineCommand({
      id: "lot.release",
      group: QUALITY,
      names: { en: ["lot release"], zh: ["放行", "批次 放行"] },
      description: {
        zh: "质检放行一个批次; 抽检数量未达要求或不合格时拒绝",
        en: "QA releases a lot; refused until its sample is met, and for a rejected lot",
      },
      example: "L-20261126-001",
      roles: QA_ONLY,
      args: { lotNo },
      async handler({ args, actor, language, reply }) {
        const lot = await explained(() => quality.release(actor, args.lotNo));
        return reply.card(lotCard(lot, language));
      },
    }),
  ];
  return { commands, actions: [] };
}

// /lead, /feedback, /followup (/咨询 /反馈 /回访): the sales log; an enquiry's Convert (the order form, prefilled)
// and Close, and a feedback's Open a complaint.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import type { ActionResult } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import type { SalesKind } from "../../src/domain/sales/entries.ts";
import { SalesRefused } from "../../src/domain/sales/refusal.ts";
import { complaintCard } from "../complaints/cards.ts";
import type { CommandDeps } from "../deps.ts";
import { newOrderFormCard } from "../orders/commands.ts";
import { SALES_ACTIONS, type SalesView, salesEntryCard, salesRefusalWords, salesUserError } from "./cards.ts";
import { leadNumber } from "./lead-number.ts";

const SALES = { zh: "销售", en: "Sales" };
const customer = arg.text({ label: { zh: "客户", en: "customer" } });
const LOGS: Record<
  SalesKind,
  {
    en: string;
    zh: string;
    text: { zh: string; en: string };
    description: { zh: string; en: string };
    example: { zh: string; en: string };
  }
> = {
  lead: {
    en: "lead",
    zh: "咨询",
    text: { zh: "内容", en: "text" },
    description: {
      zh: "记录售前咨询 (编号 Q-); 卡片上可转为订单或关闭",
      en: "log a pre-sales enquiry (numbered Q-); its card converts it to an order or closes it",
    },
    example: { zh: "华为 询价 X1 500 台, 月底交货", en: "Huawei asks a price for 500 X1 by month end" },
  },
  feedback: {
    en: "feedback",
    zh: "反馈",
    text: { zh: "内容", en: "text" },
    description: {
      zh: "记录订单进行中的客户反馈; 卡片上可转为投诉",
      en: "log a customer's feedback during an order; its card opens a complaint from it",
    },
    example: { zh: "华为 希望提前一周看样品", en: "Huawei wants to see a sample a week earlier" },
  },
  followup: {
    en: "followup",
    zh: "回访",
    text: { zh: "结果", en: "result" },
    description: {
      zh: "记录售后回访结果 (计入上周完成订单的回访率)",
      en: "log an after-sales call-back (counts toward the call-back rate of last week's completed orders)",
    },
    example: { zh: "华为 满意, 下月再订 200 台", en: "Huawei satisfied, 200 more next month" },
  },
};

export function createSalesCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { sales } = deps.services;
  const { timezone } = deps.config;
  const viewFor = (language: Language): SalesView => ({ language, timezone, now: deps.now() });

  async function explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof SalesRefused)) throw error;
      throw salesUserError(error);
    }
  }

  /** A click on a settled lead or feedback: the card as it stands and why nothing happened. */
  function stale(
    error: unknown,
    language: Language,
    toast: (k: "warning", zh: string, en: string) => ActionResult,
  ) {
    if (!(error instanceof SalesRefused)) throw error;
    const { refusal } = error;
    if (refusal.kind === "not_found" || refusal.kind === "not_yours") throw salesUserError(error);
    const words = salesRefusalWords(refusal);
    return {
      card: salesEntryCard(refusal.entry, viewFor(language)),
      ...toast("warning", words.zh, words.en),
    };
  }

  const logCommand = (kind: SalesKind) => {
    const spec = LOGS[kind];
    return defineCommand({
      id: `sales.${kind}`,
      group: SALES,
      names: { en: [spec.en], zh: [spec.zh] },
      description: spec.description,
      example: spec.example,
      args: { customer, text: arg.rest({ label: spec.text }) },
      handler: async ({ args, event, actor, language, reply }) => {
        const entry = await sales.log(actor, {
          kind,
          customer: args.customer,
          text: args.text,
          chatId: event.chat.id,
          timezone,
        });
        return reply.card(salesEntryCard(entry, viewFor(language)));
      },
    });
  };

  const closeCommand = defineCommand({
    id: "lead.close",
    group: SALES,
    names: { en: ["lead close"], zh: ["咨询 关闭"] },
    description: {
      zh: "关闭没有成交的咨询 (记录人、客服、经理或管理员)",
      en: "close an enquiry that did not become an order (whoever logged it, customer service, managers, admins)",
    },
    example: "Q-20261126-001",
    args: { lead: leadNumber },
    handler: async ({ args, actor, language, reply }) => {
      const lead = await explained(() => sales.close(actor, args.lead.toUpperCase()));
      return reply.card(salesEntryCard(lead, viewFor(language)));
    },
  });

  const missingId = () =>
    new UserError("这个按钮没有记录号", "this button carries no entry number", {
      reason: "unknown_entity",
      entityType: "action",
      entityId: "sales",
    });

  const actions = [
    defineAction({
      id: SALES_ACTIONS.convert,
      handler: async ({ id, language, toast }) => {
        if (!id) throw missingId();
        const lead = await sales.find(id);
        if (lead?.kind !== "lead") throw salesUserError(new SalesRefused({ kind: "not_found", ref: id }));
        if (lead.status !== "open")
          return stale(new SalesRefused({ kind: "lead_settled", entry: lead }), language, toast);
        const view = { language, timezone, today: localDateOf(deps.now(), timezone) };
        return { card: newOrderFormCard(view, { customer: lead.customer, lead: id }) };
      },
    }),
    defineAction({
      id: SALES_ACTIONS.close,
      handler: async ({ id, actor, language, toast }) => {
        if (!id) throw missingId();
        try {
          const lead = await sales.close(actor, id);
          return {
            card: salesEntryCard(lead, viewFor(language)),
            ...toast("success", `已关闭咨询 ${id}`, `Enquiry ${id} closed`),
          };
        } catch (error) {
          return stale(error, language, toast);
        }
      },
    }),
    defineAction({
      id: SALES_ACTIONS.complaint,
      handler: async ({ id, actor, event, language, toast }) => {
        if (!id) throw missingId();
        try {
          const { complaint } = await sales.complaintFrom(actor, id, { chatId: event.chat.id, timezone });
          return {
            card: complaintCard(complaint, { language, now: deps.now(), timezone }),
            ...toast("success", `已登记投诉 ${complaint.number}`, `Complaint ${complaint.number} opened`),
          };
        } catch (error) {
          return stale(error, language, toast);
        }
      },
    }),
  ];

  return {
    commands: [logCommand("lead"), closeCommand, logCommand("feedback"), logCommand("followup")],
    actions,
  };
}

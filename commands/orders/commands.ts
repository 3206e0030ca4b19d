// /order new|list|done|delay (/下单 /订单 /完成 /延期) and the order card's Confirm, Cancel and form submit.
import { convertArg } from "../../src/bot/args.ts";
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import { formatError, type ParseError } from "../../src/bot/parse.ts";
import { usageLine } from "../../src/bot/usage.ts";
import type { ActionResult, Card } from "../../src/chat/card.ts";
import type { InboundAction, InboundMessage } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import {
  type ChangeRequest,
  MAY_COMPLETE,
  MAY_DELAY,
  type NewOrder,
  OrderRefused,
  type OrderView,
} from "../../src/domain/orders/index.ts";
import { SalesRefused } from "../../src/domain/sales/refusal.ts";
import type { CommandDeps } from "../deps.ts";
import { salesUserError } from "../sales/cards.ts";
import { leadNumber } from "../sales/lead-number.ts";
import {
  type CardView,
  ORDER_ACTIONS,
  type OrderFormPrefill,
  orderCard,
  orderFormCard,
  orderListCard,
} from "./cards.ts";
import { explainOrderRefusal, orderRefusalWords, orderUserError } from "./refusals.ts";

const ORDERS = { zh: "订单", en: "Orders" };

/** Lists stay readable in a chat window; the card says how many more there are. */
const ORDER_LIST_LIMIT = 20;

const orderNo = arg.text({
  label: { zh: "订单号", en: "order number" },
  pattern: /^[Oo]-\d{8}-\d{3,}$/,
  example: "O-20261126-001",
});

const NEW_ORDER_ARGS = {
  customer: arg.text({ label: { zh: "客户", en: "customer" } }),
  model: arg.text({ label: { zh: "型号", en: "model" } }),
  qty: arg.integer({ label: { zh: "数量", en: "quantity" } }),
  due: arg.date({ label: { zh: "交期", en: "due date" } }),
};

/** Form input name of each argument of /order new. */
const FORM_INPUTS = { customer: "customer", model: "model", qty: "quantity", due: "due" } as const;

const NEW_ORDER_NAMES = { en: ["order new"], zh: ["下单"] } as const;
const NEW_ORDER_EXAMPLE = "华为 X1 100 2026-12-01";

/** The order form, prefilled from a lead when one is converted (the lead's card opens it). */
export function newOrderFormCard(view: CardView, prefill?: OrderFormPrefill): Card {
  if (!prefill) {
    const name = NEW_ORDER_NAMES[view.language][0];
    const usage = usageLine(name, NEW_ORDER_ARGS, view.language);
    return orderFormCard(view, usage, `/${name} ${NEW_ORDER_EXAMPLE}`);
  }
  // Typed instead of the form (cards without inputs), the lead's own command keeps the conversion linked.
  const { model, qty, due } = NEW_ORDER_ARGS;
  const name = view.language === "zh" ? "咨询 转订单" : "lead convert";
  const usage = usageLine(`${name} ${prefill.lead}`, { model, qty, due }, view.language);
  return orderFormCard(view, usage, `/${name} ${prefill.lead} X1 100 2026-12-01`, prefill);
}

/** Runs a sales-log change; its refusal becomes the user's reply. */
async function explainedSales<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SalesRefused)) throw error;
    throw salesUserError(error);
  }
}

export function createOrderCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { orders, sales } = deps.services;
  const { timezone } = deps.config;

  const viewAt = (at: Date, language: Language): CardView => ({
    language,
    timezone,
    today: localDateOf(at, timezone),
  });

  const usageOf = (language: Language): string =>
    usageLine(NEW_ORDER_NAMES[language][0], NEW_ORDER_ARGS, language);

  const explained = <T>(at: Date, work: () => Promise<T>): Promise<T> =>
    explainOrderRefusal(timezone, at, work);

  /**
   * Stores the draft and draws its confirmation card; a refused field reads "…: abc — 用法: /下单 …". With
   * `lead` (a Q- number) the draft is that enquiry's conversion, refused once the lead was settled.
   */
  async function takeOrder(
    input: NewOrder,
    event: InboundMessage | InboundAction,
    actor: Actor,
    language: Language,
    lead?: string,
  ): Promise<Card> {
    const { at } = actor;
    const drafter = { ...actor, chatId: event.chat.id };
    try {
      const drafted = lead
        ? await explainedSales(() => sales.convert(drafter, lead, input, timezone))
        : await orders.draft(input, drafter, timezone);
      return orderCard(drafted.order, viewAt(at, language), { duplicateOf: drafted.duplicateOf });
    } catch (error) {
      if (!(error instanceof OrderRefused)) throw error;
      const today = viewAt(at, language).today;
      if (error.refusal.kind !== "bad_input") throw orderUserError(error, timezone, today);
      const words = orderRefusalWords(error.refusal, timezone, today);
      throw new UserError(
        `${words.zh} — 用法: ${usageOf("zh")}`,
        `${words.en} — usage: ${usageOf("en")}`,
        undefined,
        { cause: error },
      );
    }
  }

  const newOrder = defineCommand({
    id: "order.new",
    group: ORDERS,
    names: NEW_ORDER_NAMES,
    description: {
      zh: "检查订单并发出确认卡片 (不带参数时显示下单表单)",
      en: "check an order and show its confirmation card (no arguments: an order form)",
    },
    example: NEW_ORDER_EXAMPLE,
    args: NEW_ORDER_ARGS,
    withoutArgs: ({ language, reply }) => reply.card(newOrderFormCard(viewAt(deps.now(), language))),
    handler: async ({ args, event, actor, language, reply }) => {
      const input = { customer: args.customer, model: args.model, quantity: args.qty, dueDate: args.due };
      return reply.card(await takeOrder(input, event, actor, language));
    },
  });

  /** The form's inputs read with the command's own argument specs, so mistakes read exactly like typed ones. */
  function formOrder(form: Record<string, string>): NewOrder {
    const values: Record<string, unknown> = {};
    for (const [arg, input] of Object.entries(FORM_INPUTS)) {
      const spec = NEW_ORDER_ARGS[arg as keyof typeof FORM_INPUTS];
      const text = (form[input] ?? "").trim();
      const mistake = { command: newOrder, name: NEW_ORDER_NAMES.zh[0], arg };
      const converted = text ? convertArg(spec, { text }) : undefined;
      let error: ParseError | undefined;
      if (!converted) error = { ...mistake, kind: "missing_argument" };
      else if (!converted.ok) error = { ...mistake, kind: "bad_value", text, problem: converted.problem };
      if (error) throw new UserError(formatError(error, "zh"), formatError(error, "en"));
      values[arg] = converted?.ok ? converted.value : undefined;
    }
    // Each value was converted by the spec of its argument: text, text, a positive integer, YYYY-MM-DD.
    return {
      customer: values.customer as string,
      model: values.model as string,
      quantity: values.qty as number,
      dueDate: values.due as string,
    };
  }

  /** The form of a lead's Convert button carries the lead's number: its submit converts that lead. */
  const submitAction = defineAction({
    id: ORDER_ACTIONS.submit,
    handler: async ({ event, actor, form, language, id }) => ({
      card: await takeOrder(formOrder(form), event, actor, language, id || undefined),
    }),
  });

  // The sales log's /lead convert lives with the orders: it is an order taken through takeOrder, for a lead.
  const convertCommand = defineCommand({
    id: "lead.convert",
    group: { zh: "销售", en: "Sales" },
    names: { en: ["lead convert"], zh: ["咨询 转订单"] },
    description: {
      zh: "把咨询转为草稿订单 (与咨询卡片的“转为订单”相同, 用于没有表单的平台)",
      en: "turn an enquiry into a draft order (the enquiry card's Convert, for platforms without forms)",
    },
    example: "Q-20261125-001 X1 100 2026-12-01",
    args: { lead: leadNumber, model: NEW_ORDER_ARGS.model, qty: NEW_ORDER_ARGS.qty, due: NEW_ORDER_ARGS.due },
    handler: async ({ args, event, actor, language, reply }) => {
      const number = args.lead.toUpperCase();
      const lead = await sales.find(number);
      if (lead?.kind !== "lead") {
        throw new UserError(`找不到咨询 ${number}`, `no enquiry ${number}`);
      }
      const input = { customer: lead.customer, model: args.model, quantity: args.qty, dueDate: args.due };
      return reply.card(await takeOrder(input, event, actor, language, number));
    },
  });

  const listCommand = defineCommand({
    id: "order.list",
    group: ORDERS,
    names: { en: ["order list"], zh: ["订单"] },
    description: {
      zh: "查看订单: 未完成 (已确认未完成)、逾期 或 我的 (我下的)",
      en: "list orders: open (confirmed, not completed), overdue, or mine (taken by me)",
    },
    example: { zh: "逾期", en: "overdue" },
    args: {
      filter: arg.enum({
        label: { zh: "范围", en: "filter" },
        choices: { open: "未完成", overdue: "逾期", mine: "我的" },
        default: "open",
      }),
    },
    handler: async ({ args, actor, language, reply }) => {
      const view = viewAt(deps.now(), language);
      const page = await orders.list({
        filter: args.filter,
        personId: actor.personId,
        today: view.today,
        limit: ORDER_LIST_LIMIT,
      });
      return reply.card(orderListCard(args.filter, page, view));
    },
  });

  const doneCommand = defineCommand({
    id: "order.done",
    group: ORDERS,
    names: { en: ["order done"], zh: ["完成"] },
    description: {
      zh: "把已确认的订单标记为已完成 (员工只能完成自己下的订单)",
      en: "mark a confirmed order completed (staff: only orders they took)",
    },
    example: "O-20261126-001",
    roles: MAY_COMPLETE,
    args: { orderNo },
    handler: async ({ args, actor, language, reply }) => {
      const { at } = actor;
      const number = args.orderNo.toUpperCase();
      const order = await explained(at, () => orders.complete({ number, actor, timezone }));
      return reply.card(orderCard(order, viewAt(at, language)));
    },
  });

  const delayCommand = defineCommand({
    id: "order.delay",
    group: ORDERS,
    names: { en: ["order delay"], zh: ["延期"] },
    description: {
      zh: "修改已确认订单的交期, 保留原交期并记录原因 (员工只能延期自己下的订单)",
      en: "move a confirmed order's due date, keeping the original and recording why (staff: only orders they took)",
    },
    example: {
      zh: "O-20261126-001 2026-12-08 客户要求推迟",
      en: "O-20261126-001 2026-12-08 customer asked to postpone",
    },
    roles: MAY_DELAY,
    args: {
      orderNo,
      newDue: arg.date({ label: { zh: "新交期", en: "new due date" } }),
      reason: arg.rest({ label: { zh: "原因", en: "reason" } }),
    },
    handler: async ({ args, actor, language, reply }) => {
      const { at } = actor;
      const order = await explained(at, () =>
        orders.delay({
          number: args.orderNo.toUpperCase(),
          newDue: args.newDue,
          reason: args.reason,
          actor,
          timezone,
        }),
      );
      const delay = { reason: args.reason.trim(), by: actor.name, at };
      return reply.card(orderCard(order, viewAt(at, language), { delay }));
    },
  });

  /** A Confirm or Cancel click; when someone else changed the order first, its card as it now is and who did. */
  const clickAction = (
    id: string,
    change: (request: ChangeRequest) => Promise<OrderView>,
    done: { zh: string; en: string },
  ) =>
    defineAction({
      id,
      handler: async ({ event, id: number, actor, language, toast }): Promise<ActionResult> => {
        if (!number) {
          throw new UserError("这个按钮没有订单号", "this button carries no order number", {
            reason: "unknown_entity",
            entityType: "action",
            entityId: id,
          });
        }
        const { at } = actor;
        const view = viewAt(at, language);
        try {
          const order = await change({
            number,
            actor,
            timezone,
            clickedIn: { platform: event.platform, chatId: event.chat.id },
          });
          return {
            card: orderCard(order, view),
            ...toast("success", `${done.zh}订单 ${number}`, `Order ${number} ${done.en}`),
          };
        } catch (error) {
          if (!(error instanceof OrderRefused)) throw error;
          const { refusal } = error;
          // Someone else changed it first: the card as the order now stands, and who did what.
          if (refusal.kind !== "wrong_state") throw orderUserError(error, timezone, view.today);
          const words = orderRefusalWords(refusal, timezone, view.today);
          return { card: orderCard(refusal.order, view), ...toast("warning", words.zh, words.en) };
        }
      },
    });

  return {
    commands: [newOrder, listCommand, doneCommand, delayCommand, convertCommand],
    actions: [
      clickAction(ORDER_ACTIONS.confirm, orders.confirm, { zh: "已确认", en: "confirmed" }),
      clickAction(ORDER_ACTIONS.cancel, orders.cancel, { zh: "已取消", en: "cancelled" }),
      submitAction,
    ],
  };
}

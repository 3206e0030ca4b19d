// /reconcile (/对账) and /expense new|sign|reject (/报销): the daily reconciliation and reimbursements, with the
// reimbursement card's Sign / Reject for finance.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import { usageLine } from "../../src/bot/usage.ts";
import type { ActionResult } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { type AmountProblem, type Fen, parseAmount } from "../../src/domain/finance/money.ts";
import { FinanceRefused } from "../../src/domain/finance/refusal.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { MONEY_DECIMALS } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import {
  EXPENSE_ACTIONS,
  expenseCard,
  expenseOutcomeMessage,
  type FinanceView,
  financeRefusalWords,
  REJECT_REASON_INPUT,
  reconciliationCard,
  rejectFormCard,
} from "./cards.ts";

const FINANCE = { zh: "财务", en: "Finance" };
/** Reconciliation, signing and rejecting are finance's alone. */
const FINANCE_ONLY: readonly Role[] = ["finance"];

const expenseNo = arg.text({
  label: { zh: "报销单号", en: "reimbursement number" },
  pattern: /^[Ee]-\d{8}-\d{3,}$/,
  example: "E-20261126-001",
});

const PROBLEMS: Record<AmountProblem, { zh: string; en: string }> = {
  not_a_number: {
    zh: `必须是数字, 最多 ${MONEY_DECIMALS} 位小数, 不带符号、逗号或科学计数法`,
    en: `must be a number with at most ${MONEY_DECIMALS} decimals, without sign, commas or exponent`,
  },
  negative: { zh: "不能是负数", en: "cannot be negative" },
  too_many_decimals: {
    zh: `最多 ${MONEY_DECIMALS} 位小数`,
    en: `may have at most ${MONEY_DECIMALS} decimals`,
  },
  zero: { zh: "必须大于 0", en: "must be more than 0" },
  too_large: { zh: "太大了", en: "is too large" },
};

export function createFinanceCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { finance } = deps.services;
  const { timezone } = deps.config;
  const viewFor = (language: Language): FinanceView => ({ language, timezone, now: deps.now() });

  /** A typed amount as fen, or the mistake named with the command's usage. */
  function amountOf(
    typed: string,
    label: { zh: string; en: string },
    positive: boolean,
    usage: { zh: string; en: string },
  ): Fen {
    const parsed = parseAmount(typed, { positive });
    if (parsed.ok) return parsed.fen;
    const problem = PROBLEMS[parsed.problem];
    throw new UserError(
      `${label.zh}${problem.zh}: ${typed} — 用法: ${usage.zh}`,
      `${label.en} ${problem.en}: ${typed} — usage: ${usage.en}`,
    );
  }

  async function explained<T>(language: Language, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof FinanceRefused)) throw error;
      const words = financeRefusalWords(error.refusal, viewFor(language));
      throw new UserError(words.zh, words.en, undefined, { cause: error });
    }
  }

  const reconcileArgs = {
    date: arg.date({ label: { zh: "日期", en: "date" } }),
    income: arg.text({ label: { zh: "收入", en: "income" } }),
    expense: arg.text({ label: { zh: "支出", en: "expense" } }),
    note: arg.rest({ label: { zh: "备注", en: "note" }, optional: true }),
  };
  const reconcile = defineCommand({
    id: "reconcile",
    group: FINANCE,
    names: { en: ["reconcile"], zh: ["对账"] },
    description: {
      zh: "记录某日的收入和支出 (每个工作日须在下一个工作日 10:00 前对账); 同一天再记一次会替换并注明替换了什么",
      en: "record a day's income and expenses (each working day by 10:00 of the next); a second one for the day replaces it and says what it replaced",
    },
    example: { zh: "2026-11-24 12800.50 3400 现金已存银行", en: "2026-11-24 12800.50 3400 cash banked" },
    roles: FINANCE_ONLY,
    args: reconcileArgs,
    handler: async ({ args, actor, language, reply }) => {
      const usage = {
        zh: usageLine("对账", reconcileArgs, "zh"),
        en: usageLine("reconcile", reconcileArgs, "en"),
      };
      const income = amountOf(args.income, { zh: "收入", en: "income" }, false, usage);
      const expense = amountOf(args.expense, { zh: "支出", en: "expense" }, false, usage);
      const { saved, replaced } = await explained(language, () =>
        finance.reconcile(actor, { day: args.date, income, expense, note: args.note, timezone }),
      );
      return reply.card(reconciliationCard(saved, viewFor(language), replaced));
    },
  });

  const newArgs = {
    amount: arg.text({ label: { zh: "金额", en: "amount" } }),
    reason: arg.rest({ label: { zh: "事由", en: "reason" } }),
  };
  const newExpense = defineCommand({
    id: "expense.new",
    group: FINANCE,
    names: { en: ["expense new"], zh: ["报销"] },
    description: {
      zh: "申请报销 (编号 E-): 卡片发到订阅了财务的群, 由财务签批或驳回, 结果会通知你",
      en: "ask for a reimbursement (numbered E-): its card goes to the groups subscribed to finance, who sign or reject it; you are told the outcome",
    },
    example: { zh: "128.50 出差打车", en: "128.50 taxi to the customer" },
    args: newArgs,
    handler: async ({ args, event, actor, language, reply }) => {
      const usage = { zh: usageLine("报销", newArgs, "zh"), en: usageLine("expense new", newArgs, "en") };
      const amount = amountOf(args.amount, { zh: "金额", en: "amount" }, true, usage);
      const { expense, postedTo } = await finance.request(
        actor,
        { amount, reason: args.reason, chat: event.chat, timezone },
        (stored) => ({ type: "card", card: expenseCard(stored, viewFor(language)) }),
      );
      const note =
        postedTo > 0
          ? language === "zh"
            ? `已发给财务 (${postedTo} 个群), 结果会通知你`
            : `Sent to finance (${postedTo} groups); you will be told the outcome`
          : language === "zh"
            ? "还没有群订阅财务 (/订阅 财务): 请财务用 /报销 签批 处理"
            : "No group is subscribed to finance yet (/subscribe finance): finance can use /expense sign";
      const card = expenseCard(expense, viewFor(language), note);
      // The requester's own copy has no buttons: signing is done by finance, where the card was posted.
      return reply.card({ ...card, buttons: [] });
    },
  });

  async function decide(
    number: string,
    actor: Parameters<typeof finance.decide>[0],
    language: Language,
    rejectReason?: string,
  ) {
    return explained(language, () =>
      finance.decide(
        actor,
        { number: number.toUpperCase(), ...(rejectReason !== undefined && { rejectReason }) },
        expenseOutcomeMessage,
      ),
    );
  }

  const signCommand = defineCommand({
    id: "expense.sign",
    group: FINANCE,
    names: { en: ["expense sign"], zh: ["报销 签批"] },
    description: {
      zh: "签批报销 (财务; 与卡片上的“签批”相同)",
      en: "sign a reimbursement (finance; the card's Sign)",
    },
    example: "E-20261126-001",
    roles: FINANCE_ONLY,
    args: { expense: expenseNo },
    handler: async ({ args, actor, language, reply }) =>
      reply.card(expenseCard(await decide(args.expense, actor, language), viewFor(language))),
  });

  const rejectCommand = defineCommand({
    id: "expense.reject",
    group: FINANCE,
    names: { en: ["expense reject"], zh: ["报销 驳回"] },
    description: {
      zh: "驳回报销并说明原因 (财务; 与卡片上的“驳回”相同)",
      en: "reject a reimbursement with the reason (finance; the card's Reject)",
    },
    example: { zh: "E-20261126-001 缺少发票", en: "E-20261126-001 no invoice" },
    roles: FINANCE_ONLY,
    args: { expense: expenseNo, reason: arg.rest({ label: { zh: "原因", en: "reason" } }) },
    handler: async ({ args, actor, language, reply }) =>
      reply.card(expenseCard(await decide(args.expense, actor, language, args.reason), viewFor(language))),
  });

  const missingNumber = () =>
    new UserError("这个按钮没有报销单号", "this button carries no reimbursement number", {
      reason: "unknown_entity",
      entityType: "action",
      entityId: "expense",
    });

  /** A click on a decided reimbursement: its card as it stands and who decided it. */
  async function clicked(
    language: Language,
    toast: (kind: "success" | "warning", zh: string, en: string) => ActionResult,
    work: () => Promise<ActionResult>,
  ): Promise<ActionResult> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof FinanceRefused) || error.refusal.kind !== "expense_decided") throw error;
      const words = financeRefusalWords(error.refusal, viewFor(language));
      return {
        card: expenseCard(error.refusal.expense, viewFor(language)),
        ...toast("warning", words.zh, words.en),
      };
    }
  }

  const actions = [
    defineAction({
      id: EXPENSE_ACTIONS.sign,
      roles: FINANCE_ONLY,
      handler: ({ id, actor, language, toast }) => {
        if (!id) throw missingNumber();
        return clicked(language, toast, async () => ({
          card: expenseCard(await decide(id, actor, language), viewFor(language)),
          ...toast("success", `已签批 ${id}`, `${id} signed`),
        }));
      },
    }),
    defineAction({
      id: EXPENSE_ACTIONS.reject,
      roles: FINANCE_ONLY,
      handler: ({ id, language, toast }) => {
        if (!id) throw missingNumber();
        return clicked(language, toast, async () => {
          const expense = await explained(language, async () => {
            const found = await finance.findExpense(id);
            if (!found) throw new FinanceRefused({ kind: "expense_not_found", number: id });
            if (found.status !== "pending")
              throw new FinanceRefused({ kind: "expense_decided", expense: found });
            return found;
          });
          return { card: rejectFormCard(expense, viewFor(language)) };
        });
      },
    }),
    defineAction({
      id: EXPENSE_ACTIONS.rejectSubmit,
      roles: FINANCE_ONLY,
      handler: ({ id, actor, form, language, toast }) => {
        if (!id) throw missingNumber();
        const reason = (form[REJECT_REASON_INPUT] ?? "").trim();
        if (!reason) {
          throw new UserError(
            `驳回需要原因 — 或发送: /报销 驳回 ${id} <原因…>`,
            `a rejection needs a reason — or type: /expense reject ${id} <reason…>`,
          );
        }
        return clicked(language, toast, async () => ({
          card: expenseCard(await decide(id, actor, language, reason), viewFor(language)),
          ...toast("success", `已驳回 ${id}`, `${id} rejected`),
        }));
      },
    }),
  ];

  return { commands: [reconcile, newExpense, signCommand, rejectCommand], actions };
}

// An order refusal in both languages, and as the kit's UserError (a denial when the caller was denied).
import { UserError } from "../../src/bot/index.ts";
import { describeRoles } from "../../src/bot/role-words.ts";
import { type LocalDate, localDateOf } from "../../src/domain/calendar/local-time.ts";
import {
  formatLocalTime,
  lastStep,
  type OrderRefusal,
  OrderRefused,
  type OrderVerb,
  type OrderView,
} from "../../src/domain/orders/index.ts";
import { priorityWord } from "./priority-words.ts";

type Words = { zh: string; en: string };

const VERBS = {
  confirm: { zh: "确认", en: "confirm", enPast: "confirmed" },
  cancel: { zh: "取消", en: "cancel", enPast: "cancelled" },
  complete: { zh: "完成", en: "complete", enPast: "completed" },
  delay: { zh: "延期", en: "delay", enPast: "delayed" },
  prioritise: { zh: "调整优先级", en: "reprioritise", enPast: "reprioritised" },
  assign: { zh: "分配产线", en: "assign to a line", enPast: "assigned to a line" },
} as const satisfies Record<OrderVerb, Words & { enPast: string }>;

const nameOf = (order: OrderView, personId: number | null): string =>
  (personId !== null && order.names[personId]) || "?";

/** "已由 王伟 于 10:02 确认" / "confirmed by Wang Wei at 10:02"; undefined for a draft. */
export function lastChange(order: OrderView, timezone: string, today: LocalDate): Words | undefined {
  const step = lastStep(order);
  if (!step?.at) return undefined;
  const verb = VERBS[step.verb];
  const who = nameOf(order, step.by);
  const when = formatLocalTime(step.at, timezone, today);
  return { zh: `已由 ${who} 于 ${when} ${verb.zh}`, en: `${verb.enPast} by ${who} at ${when}` };
}

/** The order's state does not allow `attempted`: says who moved it there and when. */
function wrongState(order: OrderView, attempted: OrderVerb, timezone: string, today: LocalDate): Words {
  const verb = VERBS[attempted];
  const change = lastChange(order, timezone, today);
  if (!change) {
    return {
      zh: `订单 ${order.number} 还是草稿, 请先确认再${verb.zh}`,
      en: `order ${order.number} is still a draft: confirm it before you ${verb.en} it`,
    };
  }
  if (lastStep(order)?.verb === attempted) {
    return { zh: `订单 ${order.number} ${change.zh}`, en: `order ${order.number} was already ${change.en}` };
  }
  return {
    zh: `订单 ${order.number} ${change.zh}, 不能再${verb.zh}`,
    en: `order ${order.number} was ${change.en}; it can no longer be ${verb.enPast}`,
  };
}

function inputWords(refusal: Extract<OrderRefusal, { kind: "bad_input" }>): Words {
  switch (refusal.problem) {
    case "missing":
      return refusal.field === "customer"
        ? { zh: "缺少客户", en: "missing customer" }
        : { zh: "缺少型号", en: "missing model" };
    case "not_positive_integer":
      return {
        zh: `数量必须是正整数: ${refusal.value}`,
        en: `quantity must be a positive integer: ${refusal.value}`,
      };
    case "not_a_date":
      return {
        zh: `交期不是真实存在的日期: ${refusal.value}`,
        en: `due date is not a real date: ${refusal.value}`,
      };
    case "before_today":
      return {
        zh: `交期不能早于今天 (${refusal.today}): ${refusal.value}`,
        en: `due date cannot be before today (${refusal.today}): ${refusal.value}`,
      };
  }
}

/** The refusal in both languages; `timezone` and `today` date the change that got in first. */
export function orderRefusalWords(refusal: OrderRefusal, timezone: string, today: LocalDate): Words {
  switch (refusal.kind) {
    case "not_found":
      return { zh: `找不到订单 ${refusal.number}`, en: `no order ${refusal.number}` };
    case "other_chat": {
      const { number } = refusal.order;
      return {
        zh: `订单 ${number} 属于另一个群, 请在下单的群里操作`,
        en: `order ${number} belongs to another chat; act on it where it was taken`,
      };
    }
    case "wrong_state":
      return wrongState(refusal.order, refusal.attempted, timezone, today);
    case "not_creator": {
      const { order, roles } = refusal;
      const verb = VERBS[refusal.attempted];
      const creator = nameOf(order, order.createdBy);
      return {
        zh: `只有创建人 ${creator} 或 ${describeRoles(roles, "zh")} 可以${verb.zh}订单 ${order.number}`,
        en: `only its creator ${creator} or ${describeRoles(roles, "en")} may ${verb.en} order ${order.number}`,
      };
    }
    case "busy":
      return {
        zh: `订单 ${refusal.number} 正在被其他人修改, 请稍后再试`,
        en: `order ${refusal.number} is being changed by someone else; please try again`,
      };
    case "missing_delay_reason":
      return { zh: "缺少延期原因", en: "missing the reason for the delay" };
    case "bad_new_due":
      if (refusal.problem === "not_a_date") {
        return {
          zh: `新交期不是真实存在的日期: ${refusal.newDue}`,
          en: `new due date is not a real date: ${refusal.newDue}`,
        };
      }
      if (refusal.problem === "before_today") {
        return {
          zh: `新交期不能早于今天 (${refusal.today}): ${refusal.newDue}`,
          en: `new due date cannot be before today (${refusal.today}): ${refusal.newDue}`,
        };
      }
      return {
        zh: `新交期与订单 ${refusal.number} 当前的交期相同: ${refusal.newDue}`,
        en: `new due date is the current due date of order ${refusal.number}: ${refusal.newDue}`,
      };
    case "unknown_line":
      return {
        zh: `没有产线 ${refusal.line} — 先用 /产线 设置 <产线> <日产能> 建立`,
        en: `no line ${refusal.line} — set it up first with /line set <line> <units-per-day>`,
      };
    case "unchanged":
      return refusal.field === "priority"
        ? {
            zh: `订单 ${refusal.number} 的优先级已经是 ${priorityWord(refusal.value, "zh")}, 未作更改`,
            en: `order ${refusal.number} already has priority ${refusal.value}; nothing changed`,
          }
        : {
            zh: `订单 ${refusal.number} 已在产线 ${refusal.value}, 未作更改`,
            en: `order ${refusal.number} is already on line ${refusal.value}; nothing changed`,
          };
    case "bad_input":
      return inputWords(refusal);
  }
}

/** The refusal as the kit's UserError (keeping it as the cause): a denial (audited) when the caller may not act. */
export function orderUserError(refused: OrderRefused, timezone: string, today: LocalDate): UserError {
  const { refusal } = refused;
  const { zh, en } = orderRefusalWords(refusal, timezone, today);
  const denied = (reason: "unknown_entity" | "other_chat" | "not_creator", number: string) =>
    new UserError(zh, en, { reason, entityType: "order", entityId: number }, { cause: refused });
  if (refusal.kind === "not_found" && refusal.clicked) return denied("unknown_entity", refusal.number);
  if (refusal.kind === "other_chat") return denied("other_chat", refusal.order.number);
  if (refusal.kind === "not_creator") return denied("not_creator", refusal.order.number);
  return new UserError(zh, en, undefined, { cause: refused });
}

/** Runs an order change made at `at`; a refusal becomes the user's reply (a denial when it is one). */
export async function explainOrderRefusal<T>(timezone: string, at: Date, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OrderRefused)) throw error;
    throw orderUserError(error, timezone, localDateOf(at, timezone));
  }
}

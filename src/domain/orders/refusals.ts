// Why an order could not be changed, in both languages; carries the order as it is now so a card can show it.
import { type DenialReason, UserError } from "../../bot/user-error.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import { formatLocalTime } from "./local-format.ts";
import type { OrderView } from "./order.ts";

/**
 * A refused change. `order` is set when the refusal is about the order's state: it is the order as it now
 * stands (someone else confirmed it first), so a clicked card can be redrawn to show that.
 */
export class OrderRefusal extends UserError {
  constructor(
    zh: string,
    en: string,
    readonly order?: OrderView,
    denied?: { reason: DenialReason; number: string },
  ) {
    super(zh, en, denied && { reason: denied.reason, entityType: "order", entityId: denied.number });
  }
}

/** Bad input for a new order; `field` says which one, so a command can add its usage line. */
export class OrderInputError extends UserError {
  constructor(
    readonly field: "customer" | "model" | "quantity" | "dueDate",
    zh: string,
    en: string,
  ) {
    super(zh, en);
  }
}

/** No such order; a denial when a card button named it, since our cards only carry orders that exist. */
export const notFound = (number: string, clicked: boolean): OrderRefusal =>
  new OrderRefusal(
    `找不到订单 ${number}`,
    `no order ${number}`,
    undefined,
    clicked ? { reason: "unknown_entity", number } : undefined,
  );

export const otherChat = (order: OrderView): OrderRefusal =>
  new OrderRefusal(
    `订单 ${order.number} 属于另一个群, 请在下单的群里操作`,
    `order ${order.number} belongs to another chat; act on it where it was taken`,
    undefined,
    { reason: "other_chat", number: order.number },
  );

const nameOf = (order: OrderView, personId: number | null): string =>
  (personId !== null && order.names[personId]) || "?";

/** What someone tries to do to an order, in the words the refusals need. */
export interface OrderVerb {
  zh: string;
  en: string;
  enPast: string;
}

export const VERBS = {
  confirm: { zh: "确认", en: "confirm", enPast: "confirmed" },
  cancel: { zh: "取消", en: "cancel", enPast: "cancelled" },
  complete: { zh: "完成", en: "complete", enPast: "completed" },
  delay: { zh: "延期", en: "delay", enPast: "delayed" },
} as const satisfies Record<string, OrderVerb>;

/** The verb, person and time that put an order in its present state (undefined for a draft). */
function lastStep(order: OrderView) {
  switch (order.status) {
    case "confirmed":
      return { verb: VERBS.confirm, by: order.confirmedBy, at: order.confirmedAt };
    case "completed":
      return { verb: VERBS.complete, by: order.completedBy, at: order.completedAt };
    case "cancelled":
      return { verb: VERBS.cancel, by: order.cancelledBy, at: order.cancelledAt };
    case "draft":
      return undefined;
  }
}

/** "已由 王伟 于 10:02 确认" / "confirmed by Wang Wei at 10:02"; undefined for a draft. */
export function lastChange(
  order: OrderView,
  timezone: string,
  today: LocalDate,
): { zh: string; en: string } | undefined {
  const step = lastStep(order);
  if (!step?.at) return undefined;
  const who = nameOf(order, step.by);
  const when = formatLocalTime(step.at, timezone, today);
  return { zh: `已由 ${who} 于 ${when} ${step.verb.zh}`, en: `${step.verb.enPast} by ${who} at ${when}` };
}

/** The order's state does not allow `attempted`: says who moved it there and when. */
export function wrongState(
  order: OrderView,
  attempted: OrderVerb,
  timezone: string,
  today: LocalDate,
): OrderRefusal {
  const change = lastChange(order, timezone, today);
  if (!change) {
    return new OrderRefusal(
      `订单 ${order.number} 还是草稿, 请先确认再${attempted.zh}`,
      `order ${order.number} is still a draft: confirm it before you ${attempted.en} it`,
      order,
    );
  }
  if (lastStep(order)?.verb === attempted) {
    return new OrderRefusal(
      `订单 ${order.number} ${change.zh}`,
      `order ${order.number} was already ${change.en}`,
      order,
    );
  }
  return new OrderRefusal(
    `订单 ${order.number} ${change.zh}, 不能再${attempted.zh}`,
    `order ${order.number} was ${change.en}; it can no longer be ${attempted.enPast}`,
    order,
  );
}

/** A staff member acting on someone else's order; `others` names the roles that may. */
export function notCreator(order: OrderView, attempted: OrderVerb, others: { zh: string; en: string }) {
  const creator = nameOf(order, order.createdBy);
  return new OrderRefusal(
    `只有创建人 ${creator} 或 ${others.zh} 可以${attempted.zh}订单 ${order.number}`,
    `only its creator ${creator} or ${others.en} may ${attempted.en} order ${order.number}`,
    undefined,
    { reason: "not_creator", number: order.number },
  );
}

// Why an order could not be taken or changed: a typed refusal that carries the order as it now stands.
import type { LocalDate } from "../calendar/local-time.ts";
import type { Role } from "../people/role.ts";
import { Refused } from "../refused.ts";
import type { OrderView } from "./order.ts";
import type { Priority } from "./priority.ts";

/** What someone tries to do to an order. */
export type OrderVerb = "confirm" | "cancel" | "complete" | "delay" | "prioritise" | "assign";

/** The field of a new order that is wrong, and how. */
export type OrderInputProblem =
  | { field: "customer" | "model"; problem: "missing" }
  | { field: "quantity"; problem: "not_positive_integer"; value: number }
  | { field: "dueDate"; problem: "not_a_date"; value: string }
  | { field: "dueDate"; problem: "before_today"; value: string; today: LocalDate };

export type OrderRefusal =
  /** No such order; `clicked` when a card button named it (our cards only carry orders that exist). */
  | { kind: "not_found"; number: string; clicked: boolean }
  /** A click on an order taken in another chat. */
  | { kind: "other_chat"; order: OrderView }
  /** The order's state does not allow `attempted` (someone else moved it first, or it is still a draft). */
  | { kind: "wrong_state"; order: OrderView; attempted: OrderVerb }
  /** A staff member acting on someone else's order; `roles` may act on anyone's. */
  | { kind: "not_creator"; order: OrderView; attempted: OrderVerb; roles: readonly Role[] }
  /** Others kept changing it while we tried; nothing was written. */
  | { kind: "busy"; number: string }
  | { kind: "missing_delay_reason" }
  | { kind: "bad_new_due"; problem: "not_a_date"; newDue: string }
  | { kind: "bad_new_due"; problem: "before_today"; newDue: string; today: LocalDate }
  | { kind: "bad_new_due"; problem: "same_as_current"; newDue: string; number: string }
  /** No production line of that name: it is set up with its capacity first. */
  | { kind: "unknown_line"; line: string }
  /** The order already has that priority or line: nothing to change. */
  | { kind: "unchanged"; number: string; field: "priority"; value: Priority }
  | { kind: "unchanged"; number: string; field: "line"; value: string }
  /** Bad input for a new order. */
  | ({ kind: "bad_input" } & OrderInputProblem);

export class OrderRefused extends Refused<OrderRefusal> {
  override readonly name = "OrderRefused";

  constructor(refusal: OrderRefusal) {
    super("order", refusal);
  }
}

/** The verb, person and time that put an order in its present state (undefined for a draft). */
export function lastStep(
  order: OrderView,
): { verb: OrderVerb; by: number | null; at: Date | null } | undefined {
  switch (order.status) {
    case "confirmed":
      return { verb: "confirm", by: order.confirmedBy, at: order.confirmedAt };
    case "completed":
      return { verb: "complete", by: order.completedBy, at: order.completedAt };
    case "cancelled":
      return { verb: "cancel", by: order.cancelledBy, at: order.cancelledAt };
    case "draft":
      return undefined;
  }
}

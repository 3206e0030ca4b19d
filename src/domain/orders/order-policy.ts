// Who may do what to an order: the roles that act on anyone's order; a creator may always act on their own.
import type { Actor } from "../actor.ts";
import type { Role } from "../people/role.ts";
import type { OrderView } from "./order.ts";
import { OrderRefused } from "./refusals.ts";

/**
 * Roles that may act on any order. Completing is the warehouse's call (goods out); moving a due date changes
 * what was promised to the customer, so only managers decide it for others; a draft is its creator's to confirm
 * or drop (confirming commits the company to the customer), or a manager's.
 */
export const ACTS_ON_ANY_ORDER = {
  confirm: ["manager", "admin"],
  complete: ["warehouse", "manager", "admin"],
  delay: ["manager", "admin"],
  cancel: ["manager", "admin"],
} as const satisfies Record<string, readonly Role[]>;

/** Roles that may run /order done and /order delay at all: staff for their own orders, plus the above. */
export const MAY_COMPLETE: readonly Role[] = ["staff", ...ACTS_ON_ANY_ORDER.complete];
export const MAY_DELAY: readonly Role[] = ["staff", ...ACTS_ON_ANY_ORDER.delay];

type Guarded = keyof typeof ACTS_ON_ANY_ORDER;

/** Throws unless the actor created the order or holds a role that acts on anyone's order. */
export function assertMayAct(order: OrderView, actor: Actor, what: Guarded): void {
  const roles: readonly Role[] = ACTS_ON_ANY_ORDER[what];
  if (order.createdBy === actor.personId || roles.some((role) => actor.roles.includes(role))) return;
  throw new OrderRefused({ kind: "not_creator", order, attempted: what, roles });
}

/**
 * Who plans production: an order's priority and line, and a line's capacity. The schedule commits the factory's
 * hours, so it is the managers' call; anyone reads the schedule.
 */
export const PLANNERS: readonly Role[] = ["manager", "admin"];

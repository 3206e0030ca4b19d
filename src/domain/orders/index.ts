// Orders as the commands use them: take, confirm, cancel, complete, delay and list, with their refusals.

export { formatLocalTime } from "./local-format.ts";
export { draftOrder, type NewOrder } from "./new-order.ts";
export type { OrderRow, OrderStatus, OrderView } from "./order.ts";
export { type ChangeRequest, cancelOrder, completeOrder, confirmOrder, delayOrder } from "./order-changes.ts";
export { listOrders, type OrderFilter, type OrderPage } from "./order-list.ts";
export { MAY_COMPLETE, MAY_DELAY } from "./order-policy.ts";
export { lastStep, type OrderRefusal, OrderRefused, type OrderVerb } from "./refusals.ts";

// Orders as the commands use them: take, confirm, cancel, complete, delay and list, with their refusals; their
// priority and production line, the lines' capacity and the production schedule.

export { listLines, type ProductionLine, setLineCapacity } from "./lines.ts";
export { formatLocalTime } from "./local-format.ts";
export { draftOrder, type NewOrder } from "./new-order.ts";
export type { OrderRow, OrderStatus, OrderView } from "./order.ts";
export {
  assignOrderLine,
  type ChangeRequest,
  cancelOrder,
  completeOrder,
  confirmOrder,
  delayOrder,
  prioritiseOrder,
} from "./order-changes.ts";
export { listOrders, type OrderFilter, type OrderPage } from "./order-list.ts";
export { MAY_COMPLETE, MAY_DELAY, PLANNERS } from "./order-policy.ts";
export type { Priority } from "./priority.ts";
export { lastStep, type OrderRefusal, OrderRefused, type OrderVerb } from "./refusals.ts";
export type { LinePlan, OpenOrder, PlannedOrder, Schedule } from "./schedule.ts";
export { loadSchedule } from "./schedule-repository.ts";

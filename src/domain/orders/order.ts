// An order as the rest of the bot sees it: its row, the names of the people who acted on it, and who acts now.
import type { orders } from "../../db/schema/index.ts";

export type OrderRow = typeof orders.$inferSelect;

/** draft → confirmed → completed, or draft → cancelled. */
export type OrderStatus = "draft" | "confirmed" | "completed" | "cancelled";

export interface OrderView extends OrderRow {
  status: OrderStatus;
  /** Display names of the people behind createdBy, confirmedBy, completedBy and cancelledBy. */
  names: Readonly<Record<number, string>>;
}

/** The chat a card was clicked in: a click only acts on an order taken in that chat. */
export interface ClickedChat {
  platform: string;
  chatId: string;
}

/** The part of an order the audit trail records before and after a change. */
export function orderSnapshot(
  order: Pick<
    OrderRow,
    "status" | "dueDate" | "originalDueDate" | "delayCount" | "priority" | "lineId" | "version"
  >,
): Record<string, unknown> {
  return {
    status: order.status,
    dueDate: order.dueDate,
    originalDueDate: order.originalDueDate,
    delayCount: order.delayCount,
    priority: order.priority,
    lineId: order.lineId,
    version: order.version,
  };
}

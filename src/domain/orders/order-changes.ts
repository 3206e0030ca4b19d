// Confirm, cancel, complete, delay, prioritise and assign to a line: state checks, optimistic version, one audit
// row per change.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { orderDelays, orders, productionLines } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { isLocalDate, type LocalDate, localDateOf } from "../calendar/local-time.ts";
import { findLine } from "./lines.ts";
import { type ClickedChat, type OrderRow, type OrderStatus, type OrderView, orderSnapshot } from "./order.ts";
import { assertMayAct } from "./order-policy.ts";
import { withNames } from "./orders-repository.ts";
import type { Priority } from "./priority.ts";
import { OrderRefused, type OrderVerb } from "./refusals.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface Change {
  verb: OrderVerb;
  /** Audit action, e.g. "order.confirmed". */
  action: string;
  /** The states the change may start from. */
  from: readonly OrderStatus[];
  /** Further checks on the current order (who, dates); throw to refuse. */
  check?(order: OrderView): void;
  /** The columns to set, version aside; read in the change's transaction. */
  patch(order: OrderRow, tx: Tx): Partial<OrderRow> | Promise<Partial<OrderRow>>;
  /** Rows written with the change, in its transaction. */
  alongside?(tx: Tx, before: OrderRow): Promise<void>;
  /** Extra facts for the audit row's "after". */
  auditAfter?: Record<string, unknown>;
}

export interface ChangeRequest {
  number: string;
  actor: Actor;
  timezone: string;
  /** Set for card clicks: the order must belong to this chat. */
  clickedIn?: ClickedChat;
}

/** Someone else changed the order between our read and our write this many times in a row: give up. */
const MAX_ATTEMPTS = 5;

/**
 * Applies one change under optimistic concurrency: read, check, UPDATE … WHERE version = read version. When
 * another change won the race, re-read and check again, so the loser is refused with the order as it now is
 * (two clicks on Confirm: one confirms, the other hears who did).
 */
async function applyChange(db: Db, request: ChangeRequest, change: Change): Promise<OrderView> {
  const { number, actor, clickedIn } = request;
  return db.transaction(async (tx) => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [row] = await tx.select().from(orders).where(eq(orders.number, number));
      if (!row) throw new OrderRefused({ kind: "not_found", number, clicked: clickedIn !== undefined });
      const current = await withNames(tx, row);
      if (clickedIn && (clickedIn.platform !== row.platform || clickedIn.chatId !== row.chatId)) {
        throw new OrderRefused({ kind: "other_chat", order: current });
      }
      if (!change.from.includes(row.status as OrderStatus))
        throw new OrderRefused({ kind: "wrong_state", order: current, attempted: change.verb });
      change.check?.(current);
      const [updated] = await tx
        .update(orders)
        .set({ ...(await change.patch(row, tx)), version: row.version + 1 })
        .where(and(eq(orders.id, row.id), eq(orders.version, row.version)))
        .returning();
      if (!updated) continue;
      await change.alongside?.(tx, row);
      await audit(tx, {
        ...auditedBy(actor),
        entityType: "order",
        entityId: number,
        action: change.action,
        before: orderSnapshot(row),
        after: { ...orderSnapshot(updated), ...change.auditAfter },
      });
      return withNames(tx, updated);
    }
    throw new OrderRefused({ kind: "busy", number });
  });
}

/**
 * The line a confirmed order goes to when it has none: the only line there is. With several lines, someone who
 * plans production picks one (/order line); with none, the order waits unassigned.
 */
async function onlyLineId(tx: Tx): Promise<number | null> {
  const lines = await tx.select({ id: productionLines.id }).from(productionLines).limit(2);
  return lines.length === 1 ? (lines[0]?.id ?? null) : null;
}

export function confirmOrder(db: Db, request: ChangeRequest): Promise<OrderView> {
  const { personId, at } = request.actor;
  return applyChange(db, request, {
    verb: "confirm",
    action: "order.confirmed",
    from: ["draft"],
    check: (order) => assertMayAct(order, request.actor, "confirm"),
    patch: async (order, tx) => ({
      status: "confirmed",
      confirmedBy: personId,
      confirmedAt: at,
      lineId: order.lineId ?? (await onlyLineId(tx)),
    }),
  });
}

export function cancelOrder(db: Db, request: ChangeRequest): Promise<OrderView> {
  const { personId, at } = request.actor;
  return applyChange(db, request, {
    verb: "cancel",
    action: "order.cancelled",
    from: ["draft"],
    check: (order) => assertMayAct(order, request.actor, "cancel"),
    patch: () => ({ status: "cancelled", cancelledBy: personId, cancelledAt: at }),
  });
}

export function completeOrder(db: Db, request: ChangeRequest): Promise<OrderView> {
  const { personId, at } = request.actor;
  return applyChange(db, request, {
    verb: "complete",
    action: "order.completed",
    from: ["confirmed"],
    check: (order) => assertMayAct(order, request.actor, "complete"),
    patch: () => ({ status: "completed", completedBy: personId, completedAt: at }),
  });
}

function checkNewDue(order: OrderView, newDue: string, today: LocalDate): void {
  if (!isLocalDate(newDue)) throw new OrderRefused({ kind: "bad_new_due", problem: "not_a_date", newDue });
  if (newDue < today) throw new OrderRefused({ kind: "bad_new_due", problem: "before_today", newDue, today });
  if (newDue === order.dueDate) {
    throw new OrderRefused({ kind: "bad_new_due", problem: "same_as_current", newDue, number: order.number });
  }
}

/** Moves the due date; the original due date stays, the delay is counted and its reason recorded. */
export function delayOrder(
  db: Db,
  request: ChangeRequest & { newDue: string; reason: string },
): Promise<OrderView> {
  const { actor, newDue } = request;
  const reason = request.reason.trim();
  if (!reason) throw new OrderRefused({ kind: "missing_delay_reason" });
  const today = localDateOf(actor.at, request.timezone);
  return applyChange(db, request, {
    verb: "delay",
    action: "order.delayed",
    from: ["confirmed"],
    check: (order) => {
      assertMayAct(order, actor, "delay");
      checkNewDue(order, newDue, today);
    },
    patch: (order) => ({ dueDate: newDue, delayCount: order.delayCount + 1 }),
    alongside: async (tx, before) => {
      await tx.insert(orderDelays).values({
        orderId: before.id,
        fromDate: before.dueDate,
        toDate: newDue,
        reason,
        delayedBy: actor.personId,
        delayedAt: actor.at,
      });
    },
    auditAfter: { reason },
  });
}

/** Orders not yet completed or cancelled can be re-planned. */
const PLANNABLE: readonly OrderStatus[] = ["draft", "confirmed"];

/** Sets the priority the production schedule makes the order by. */
export function prioritiseOrder(db: Db, request: ChangeRequest & { priority: Priority }): Promise<OrderView> {
  const { priority } = request;
  return applyChange(db, request, {
    verb: "prioritise",
    action: "order.prioritised",
    from: PLANNABLE,
    check: (order) => {
      if (order.priority === priority)
        throw new OrderRefused({
          kind: "unchanged",
          number: order.number,
          field: "priority",
          value: priority,
        });
    },
    patch: () => ({ priority }),
  });
}

/** Assigns the order to a production line that exists (any case or width of its name). */
export async function assignOrderLine(db: Db, request: ChangeRequest & { line: string }): Promise<OrderView> {
  const line = await findLine(db, request.line);
  if (!line) throw new OrderRefused({ kind: "unknown_line", line: request.line });
  return applyChange(db, request, {
    verb: "assign",
    action: "order.line_assigned",
    from: PLANNABLE,
    check: (order) => {
      if (order.lineId === line.id)
        throw new OrderRefused({ kind: "unchanged", number: order.number, field: "line", value: line.name });
    },
    patch: () => ({ lineId: line.id }),
    auditAfter: { line: line.name },
  });
}

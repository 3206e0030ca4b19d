// Taking an order: check it, number it in OPS_TIMEZONE and store it as a draft, noting a likely duplicate.
import type { Db } from "../../db/database.ts";
import { orders } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { isLocalDate, type LocalDate, localDateOf, MINUTE_MS } from "../calendar/local-time.ts";
import { nextNumber } from "../numbering.ts";
import { type OrderRow, type OrderView, orderSnapshot } from "./order.ts";
import { findRecentDuplicate } from "./orders-repository.ts";
import { type OrderInputProblem, OrderRefused } from "./refusals.ts";

/** The same customer, model, quantity and due date within this window asks "duplicate?" before confirming. */
const DUPLICATE_WINDOW_MS = 10 * MINUTE_MS;

export interface NewOrder {
  customer: string;
  model: string;
  quantity: number;
  dueDate: string;
}

/** Spaces trimmed and runs of spaces made one, so "华为 " and "华为" are the same customer. */
const tidy = (text: string): string => text.trim().replace(/\s+/gu, " ");

const badInput = (problem: OrderInputProblem) => new OrderRefused({ kind: "bad_input", ...problem });

/** The order with tidied text, or a refusal naming the first field that is wrong. */
export function checkNewOrder(input: NewOrder, today: LocalDate): NewOrder {
  const customer = tidy(input.customer);
  const model = tidy(input.model);
  if (!customer) throw badInput({ field: "customer", problem: "missing" });
  if (!model) throw badInput({ field: "model", problem: "missing" });
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) {
    throw badInput({ field: "quantity", problem: "not_positive_integer", value: input.quantity });
  }
  if (!isLocalDate(input.dueDate)) {
    throw badInput({ field: "dueDate", problem: "not_a_date", value: input.dueDate });
  }
  if (input.dueDate < today) {
    throw badInput({ field: "dueDate", problem: "before_today", value: input.dueDate, today });
  }
  return { customer, model, quantity: input.quantity, dueDate: input.dueDate };
}

interface DraftedOrder {
  order: OrderView;
  /** An order with the same customer, model, quantity and due date taken in the last 10 minutes. */
  duplicateOf?: OrderRow;
}

/** Checks and stores a draft order taken in `chatId`; numbered by the day of `actor.at` in `timezone`. */
export async function draftOrder(
  db: Db,
  input: NewOrder,
  actor: Actor & { chatId: string },
  timezone: string,
): Promise<DraftedOrder> {
  const order = checkNewOrder(input, localDateOf(actor.at, timezone));
  return db.transaction(async (tx) => {
    // Independent of each other: sent together, answered in one round trip.
    const [duplicateOf, number] = await Promise.all([
      findRecentDuplicate(tx, { ...order, since: new Date(actor.at.getTime() - DUPLICATE_WINDOW_MS) }),
      nextNumber(tx, "O", actor.at, timezone),
    ]);
    const [row] = await tx
      .insert(orders)
      .values({
        ...order,
        number,
        originalDueDate: order.dueDate,
        status: "draft",
        platform: actor.platform,
        chatId: actor.chatId,
        createdBy: actor.personId,
        createdAt: actor.at,
      })
      .returning();
    const created = row as OrderRow;
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "order",
      entityId: number,
      action: "order.drafted",
      after: { ...orderSnapshot(created), ...order, duplicateOf: duplicateOf?.number ?? null },
    });
    // A draft names only the person who took it: the actor, whose name is at hand.
    const view: OrderView = { ...created, status: "draft", names: { [actor.personId]: actor.name } };
    return { order: view, ...(duplicateOf && { duplicateOf }) };
  });
}

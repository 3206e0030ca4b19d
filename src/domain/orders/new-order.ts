// Taking an order: check it, number it in OPS_TIMEZONE and store it as a draft, noting a likely duplicate.
import type { Db } from "../../db/database.ts";
import { orders } from "../../db/schema/index.ts";
import { audit } from "../audit.ts";
import { isLocalDate, type LocalDate, localDateOf, MINUTE_MS } from "../calendar/local-time.ts";
import { nextNumber } from "../numbering.ts";
import { type OrderActor, type OrderRow, type OrderView, orderSnapshot } from "./order.ts";
import { findRecentDuplicate, withNames } from "./orders-repository.ts";
import { OrderInputError } from "./refusals.ts";

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

/** The order with tidied text, or an OrderInputError naming the first field that is wrong. */
export function checkNewOrder(input: NewOrder, today: LocalDate): NewOrder {
  const customer = tidy(input.customer);
  const model = tidy(input.model);
  if (!customer) throw new OrderInputError("customer", "缺少客户", "missing customer");
  if (!model) throw new OrderInputError("model", "缺少型号", "missing model");
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) {
    throw new OrderInputError(
      "quantity",
      `数量必须是正整数: ${input.quantity}`,
      `quantity must be a positive integer: ${input.quantity}`,
    );
  }
  if (!isLocalDate(input.dueDate)) {
    throw new OrderInputError(
      "dueDate",
      `交期不是真实存在的日期: ${input.dueDate}`,
      `due date is not a real date: ${input.dueDate}`,
    );
  }
  if (input.dueDate < today) {
    throw new OrderInputError(
      "dueDate",
      `交期不能早于今天 (${today}): ${input.dueDate}`,
      `due date cannot be before today (${today}): ${input.dueDate}`,
    );
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
  actor: OrderActor & { chatId: string },
  timezone: string,
): Promise<DraftedOrder> {
  const order = checkNewOrder(input, localDateOf(actor.at, timezone));
  return db.transaction(async (tx) => {
    const duplicateOf = await findRecentDuplicate(tx, {
      ...order,
      since: new Date(actor.at.getTime() - DUPLICATE_WINDOW_MS),
    });
    const number = await nextNumber(tx, "O", actor.at, timezone);
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
      at: actor.at,
      actorPersonId: actor.personId,
      platform: actor.platform,
      platformMessageId: actor.platformMessageId,
      entityType: "order",
      entityId: number,
      action: "order.drafted",
      after: { ...orderSnapshot(created), ...order, duplicateOf: duplicateOf?.number ?? null },
    });
    return { order: await withNames(tx, created), ...(duplicateOf && { duplicateOf }) };
  });
}

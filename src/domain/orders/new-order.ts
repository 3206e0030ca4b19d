// Taking an order: check it, number it in OPS_TIMEZONE and store it as a draft, noting a likely duplicate.
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/database.ts";
import { orders } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { auditInsertFrom } from "../audit.ts";
import { isLocalDate, type LocalDate, localDateOf, MINUTE_MS } from "../calendar/local-time.ts";
import { numberInStatement } from "../numbering.ts";
import { type OrderRow, type OrderView, orderSnapshot } from "./order.ts";
import { DEFAULT_PRIORITY } from "./priority.ts";
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
  /** The number of an order with the same customer, model, quantity and due date taken in the last 10 minutes. */
  duplicateOf?: string;
}

/**
 * Checks and stores a draft order taken in `chatId`; numbered by the day of `actor.at` in `timezone`.
 *
 * One statement: the look-up of a likely duplicate, the number, the order and its audit row. It needs no
 * transaction of its own (a statement is atomic), and inside a caller's it is one step of it. Every column is
 * written explicitly, so the row it returns is the row as stored.
 */
export async function draftOrder(
  db: Db,
  input: NewOrder,
  actor: Actor & { chatId: string },
  timezone: string,
): Promise<DraftedOrder> {
  const today = localDateOf(actor.at, timezone);
  const order = checkNewOrder(input, today);
  const stored: Omit<OrderRow, "id" | "number"> = {
    ...order,
    originalDueDate: order.dueDate,
    status: "draft",
    delayCount: 0,
    priority: DEFAULT_PRIORITY,
    lineId: null,
    platform: actor.platform,
    chatId: actor.chatId,
    createdBy: actor.personId,
    createdAt: actor.at,
    confirmedBy: null,
    confirmedAt: null,
    completedBy: null,
    completedAt: null,
    cancelledBy: null,
    cancelledAt: null,
    version: 1,
  };
  const since = new Date(actor.at.getTime() - DUPLICATE_WINDOW_MS);
  const numbered = numberInStatement("O", today, "numbered");
  const audited = auditInsertFrom(
    { ...auditedBy(actor), entityType: "order", action: "order.drafted" },
    {
      from: sql`created`,
      entityId: sql`created.number`,
      after: sql`${JSON.stringify({ ...orderSnapshot(stored), ...order })}::jsonb
        || jsonb_build_object('duplicateOf', (select number from duplicate))`,
    },
  );
  const result = await db.execute(sql`
    with duplicate as (
      select ${orders.number} from ${orders}
        where ${orders.customer} = ${order.customer} and ${orders.model} = ${order.model}
          and ${orders.quantity} = ${order.quantity} and ${orders.dueDate} = ${order.dueDate}::date
          and ${orders.createdAt} > ${since.toISOString()}::timestamptz and ${orders.status} <> 'cancelled'
        order by ${orders.createdAt}
        limit 1
    ), ${numbered.taking}, created as (
      insert into ${orders} (number, customer, model, quantity, due_date, original_due_date, status, delay_count,
          priority, line_id, platform, chat_id, created_by, created_at, version)
        select ${numbered.number}, ${stored.customer}, ${stored.model}, ${stored.quantity}::int,
            ${stored.dueDate}::date, ${stored.originalDueDate}::date, ${stored.status}, ${stored.delayCount}::int,
            ${stored.priority}, null, ${stored.platform}, ${stored.chatId}, ${stored.createdBy}::int,
            ${stored.createdAt.toISOString()}::timestamptz, ${stored.version}::int
          from ${numbered.source}
        returning id, number
    ), audited as (${audited})
    select created.id, created.number, (select number from duplicate) as duplicate_of from created`);
  const [row] = rowsOf<{ id: number; number: string; duplicate_of: string | null }>(result);
  if (!row) throw new Error("the draft order's statement returned no row");
  // A draft names only the person who took it: the actor, whose name is at hand.
  const view: OrderView = {
    ...stored,
    id: Number(row.id),
    number: row.number,
    status: "draft",
    names: { [actor.personId]: actor.name },
  };
  return { order: view, ...(row.duplicate_of !== null && { duplicateOf: row.duplicate_of }) };
}

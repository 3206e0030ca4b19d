// Stock changes: declare a material, record what came in, went out or was counted; each one audited and in the ledger.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { stockItems, stockMovements, stocktakeLines, stocktakes } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { localDateOf } from "../calendar/local-time.ts";
import { formatQuantity, fromStored, type Milli } from "./quantity.ts";
import { StockRefused } from "./refusal.ts";
import { recentOutflows, type StockItemRow, type StockStatus, statusOf } from "./status.ts";

export interface StockItemInput {
  sku: string;
  name: string;
  declaredDailyUse: Milli;
  unit?: string | undefined;
  /** Where it is kept; a new material without one goes to DEFAULT_WAREHOUSE, a changed one keeps its own. */
  warehouse?: string | undefined;
}

/** The warehouse of a material declared without one. */
export const DEFAULT_WAREHOUSE = "MAIN";

export type MovementKind = "in" | "out" | "set";

/** What the ledger records: a movement typed by someone, or a stocktake's adjustment to what was counted. */
type LedgerKind = MovementKind | "adjustment";

/** What a change left behind, and whether it crossed the safety stock. */
export interface StockChangeOutcome {
  status: StockStatus;
  /** "fell": it went below the safety stock (an alert follows); "recovered": back at or above it. */
  crossed?: "fell" | "recovered";
}

/** SKUs are matched without regard to case or width. */
export const normaliseSku = (typed: string): string => typed.normalize("NFKC").trim().toUpperCase();

/** Warehouses are named like SKUs, without regard to case or width. */
export const normaliseWarehouse = (typed: string): string => normaliseSku(typed);

/** Stores the item's low flag from its status: a new drop opens a new alert subject, a recovery ends it. */
async function settleLow(
  tx: Db,
  item: StockItemRow,
  timezone: string,
  now: Date,
): Promise<StockChangeOutcome> {
  const outflows = await recentOutflows(tx, [item.id], now, timezone);
  const status = statusOf(item, outflows.get(item.id) ?? [], localDateOf(now, timezone));
  if (status.low === item.low) return { status };
  await tx
    .update(stockItems)
    .set(status.low ? { low: true, lowEpisode: item.lowEpisode + 1 } : { low: false })
    .where(eq(stockItems.id, item.id));
  return { status, crossed: status.low ? "fell" : "recovered" };
}

/** Declares a material, or changes the name, declared daily use and unit of one already declared. */
export async function defineStockItem(
  db: Db,
  actor: Actor,
  input: StockItemInput,
  timezone: string,
): Promise<StockChangeOutcome & { created: boolean }> {
  const sku = normaliseSku(input.sku);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(stockItems).where(eq(stockItems.sku, sku)).for("update");
    const values = {
      name: input.name,
      unit: input.unit ?? before?.unit ?? null,
      declaredDailyUse: formatQuantity(input.declaredDailyUse),
      warehouse: input.warehouse
        ? normaliseWarehouse(input.warehouse)
        : (before?.warehouse ?? DEFAULT_WAREHOUSE),
    };
    const [item] = before
      ? await tx.update(stockItems).set(values).where(eq(stockItems.id, before.id)).returning()
      : await tx
          .insert(stockItems)
          .values({ sku, ...values, createdAt: actor.at, createdBy: actor.personId })
          .returning();
    const saved = item as StockItemRow;
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "stock_item",
      entityId: sku,
      action: before ? "stock.item_changed" : "stock.item_declared",
      before: before
        ? {
            name: before.name,
            unit: before.unit,
            declaredDailyUse: before.declaredDailyUse,
            warehouse: before.warehouse,
          }
        : null,
      after: values,
    });
    // A new material is judged from its first movement on: nothing on hand yet is not a drop.
    if (!before) return { status: statusOf(saved, [], localDateOf(actor.at, timezone)), created: true };
    return { ...(await settleLow(tx, saved, timezone, actor.at)), created: false };
  });
}

/** The quantity on hand after a movement of `kind`, or a refusal when more would go out than there is. */
function onHandAfter(item: StockItemRow, kind: MovementKind, quantity: Milli, onHand: Milli): Milli {
  if (kind === "set") return quantity;
  if (kind === "in") return onHand + quantity;
  if (quantity > onHand)
    throw new StockRefused({ kind: "not_enough", sku: item.sku, onHand, unit: item.unit });
  return onHand - quantity;
}

/** The open stocktake counting this material, if any: its quantity is frozen until that count is closed. */
async function openCountOf(tx: Db, itemId: number): Promise<string | undefined> {
  const [row] = await tx
    .select({ number: stocktakes.number })
    .from(stocktakeLines)
    .innerJoin(stocktakes, eq(stocktakes.id, stocktakeLines.stocktakeId))
    .where(and(eq(stocktakeLines.itemId, itemId), eq(stocktakes.status, "open")));
  return row?.number;
}

/** Writes one ledger row and its audit row, stores the new quantity on hand and settles the low flag. */
async function writeMovement(
  tx: Db,
  actor: Actor,
  item: StockItemRow,
  movement: { kind: LedgerKind; quantity: Milli; after: Milli },
  timezone: string,
): Promise<StockChangeOutcome> {
  const before = fromStored(item.onHand);
  const onHand = formatQuantity(movement.after);
  await tx.update(stockItems).set({ onHand }).where(eq(stockItems.id, item.id));
  await tx.insert(stockMovements).values({
    itemId: item.id,
    kind: movement.kind,
    quantity: formatQuantity(movement.quantity),
    delta: formatQuantity(movement.after - before),
    onHandAfter: onHand,
    at: actor.at,
    personId: actor.personId,
  });
  await audit(tx, {
    ...auditedBy(actor),
    entityType: "stock_item",
    entityId: item.sku,
    action: `stock.${movement.kind}`,
    before: { onHand: formatQuantity(before) },
    after: { onHand, quantity: formatQuantity(movement.quantity) },
  });
  return settleLow(tx, { ...item, onHand }, timezone, actor.at);
}

/**
 * Records a receipt, an issue or a count of a declared material in the ledger and updates what is on hand;
 * refused while a stocktake of it is open (the count compares with the book as it stood at its start).
 */
export async function recordStockMovement(
  db: Db,
  actor: Actor,
  movement: { sku: string; kind: MovementKind; quantity: Milli },
  timezone: string,
): Promise<StockChangeOutcome> {
  const sku = normaliseSku(movement.sku);
  return db.transaction(async (tx) => {
    const [item] = await tx.select().from(stockItems).where(eq(stockItems.sku, sku)).for("update");
    if (!item) throw new StockRefused({ kind: "unknown_sku", sku });
    const counting = await openCountOf(tx, item.id);
    if (counting) throw new StockRefused({ kind: "being_counted", sku, stocktake: counting });
    const after = onHandAfter(item, movement.kind, movement.quantity, fromStored(item.onHand));
    return writeMovement(
      tx,
      actor,
      item,
      { kind: movement.kind, quantity: movement.quantity, after },
      timezone,
    );
  });
}

/** A stocktake's close sets the book to what was counted: one "adjustment" row of the ledger, audited. */
export async function adjustToCount(
  tx: Db,
  actor: Actor,
  itemId: number,
  counted: Milli,
  timezone: string,
): Promise<StockChangeOutcome> {
  const [item] = await tx.select().from(stockItems).where(eq(stockItems.id, itemId)).for("update");
  if (!item) throw new Error(`stock item ${itemId} of a stocktake line does not exist`);
  return writeMovement(tx, actor, item, { kind: "adjustment", quantity: counted, after: counted }, timezone);
}

// Stock changes: declare a material, record what came in, went out or was counted; each one audited and in the ledger.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { stockItems, stockMovements } from "../../db/schema/index.ts";
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
}

export type MovementKind = "in" | "out" | "set";

/** What a change left behind, and whether it crossed the safety stock. */
export interface StockChangeOutcome {
  status: StockStatus;
  /** "fell": it went below the safety stock (an alert follows); "recovered": back at or above it. */
  crossed?: "fell" | "recovered";
}

/** SKUs are matched without regard to case or width. */
export const normaliseSku = (typed: string): string => typed.normalize("NFKC").trim().toUpperCase();

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
        ? { name: before.name, unit: before.unit, declaredDailyUse: before.declaredDailyUse }
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

/** Records a receipt, an issue or a count of a declared material in the ledger and updates what is on hand. */
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
    const before = fromStored(item.onHand);
    const after = onHandAfter(item, movement.kind, movement.quantity, before);
    const stored = {
      onHand: formatQuantity(after),
    };
    await tx.update(stockItems).set(stored).where(eq(stockItems.id, item.id));
    await tx.insert(stockMovements).values({
      itemId: item.id,
      kind: movement.kind,
      quantity: formatQuantity(movement.quantity),
      delta: formatQuantity(after - before),
      onHandAfter: stored.onHand,
      at: actor.at,
      personId: actor.personId,
    });
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "stock_item",
      entityId: sku,
      action: `stock.${movement.kind}`,
      before: { onHand: formatQuantity(before) },
      after: { onHand: stored.onHand, quantity: formatQuantity(movement.quantity) },
    });
    return settleLow(tx, { ...item, onHand: stored.onHand }, timezone, actor.at);
  });
}

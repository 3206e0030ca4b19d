// A material's stock status: daily use (declared, or recorded once there is enough), safety stock, cover, what to order.
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { stockItems, stockMovements } from "../../db/schema/index.ts";
import {
  addDays,
  calendarDaysBetween,
  type LocalDate,
  localDateOf,
  startOfLocalDay,
} from "../calendar/local-time.ts";
import { DAILY_USE_MIN_RECORDED_DAYS, DAILY_USE_WINDOW_DAYS, SAFETY_STOCK_DAYS } from "../policy.ts";
import { divideQuantity, fromStored, type Milli } from "./quantity.ts";

export type StockItemRow = typeof stockItems.$inferSelect;

/** An outflow as the daily use counts it: its local day and quantity. */
export interface Outflow {
  day: LocalDate;
  quantity: Milli;
}

export interface DailyUse {
  value: Milli;
  /** "declared" until outflows were recorded on enough days of the window, then "recorded". */
  source: "declared" | "recorded";
  /** Days of the window with a recorded outflow. */
  recordedDays: number;
}

export interface StockStatus {
  sku: string;
  name: string;
  unit: string | null;
  warehouse: string;
  onHand: Milli;
  declaredDailyUse: Milli;
  dailyUse: DailyUse;
  safetyStock: Milli;
  /** Below the safety stock. */
  low: boolean;
  /** What brings it back to the safety stock (0 when it is not below). */
  toOrder: Milli;
}

/**
 * The daily use on `today`: the outflows of the last DAILY_USE_WINDOW_DAYS local days (today included) divided
 * by the days from the first of them to today, once DAILY_USE_MIN_RECORDED_DAYS days have one; else the declared use.
 */
export function dailyUseOf(declared: Milli, outflows: readonly Outflow[], today: LocalDate): DailyUse {
  const first = addDays(today, 1 - DAILY_USE_WINDOW_DAYS);
  const inWindow = outflows.filter((outflow) => outflow.day >= first && outflow.day <= today);
  const days = [...new Set(inWindow.map((outflow) => outflow.day))].sort();
  if (days.length < DAILY_USE_MIN_RECORDED_DAYS) {
    return { value: declared, source: "declared", recordedDays: days.length };
  }
  const total = inWindow.reduce((sum, outflow) => sum + outflow.quantity, 0n);
  const span = calendarDaysBetween(days[0] as LocalDate, today) + 1;
  return { value: divideQuantity(total, BigInt(span)), source: "recorded", recordedDays: days.length };
}

/** The status of an item given its outflows. */
export function statusOf(item: StockItemRow, outflows: readonly Outflow[], today: LocalDate): StockStatus {
  const onHand = fromStored(item.onHand);
  const declaredDailyUse = fromStored(item.declaredDailyUse);
  const dailyUse = dailyUseOf(declaredDailyUse, outflows, today);
  const safetyStock = dailyUse.value * BigInt(SAFETY_STOCK_DAYS);
  const low = onHand < safetyStock;
  return {
    sku: item.sku,
    name: item.name,
    unit: item.unit,
    warehouse: item.warehouse,
    onHand,
    declaredDailyUse,
    dailyUse,
    safetyStock,
    low,
    toOrder: low ? safetyStock - onHand : 0n,
  };
}

/** The outflows of these items within the daily-use window ending on the local day of `now`, by item id. */
export async function recentOutflows(
  db: Db,
  itemIds: readonly number[],
  now: Date,
  timezone: string,
): Promise<Map<number, Outflow[]>> {
  const byItem = new Map<number, Outflow[]>(itemIds.map((id) => [id, []]));
  if (itemIds.length === 0) return byItem;
  const since = startOfLocalDay(addDays(localDateOf(now, timezone), 1 - DAILY_USE_WINDOW_DAYS), timezone);
  const rows = await db
    .select({ itemId: stockMovements.itemId, at: stockMovements.at, quantity: stockMovements.quantity })
    .from(stockMovements)
    .where(
      and(
        inArray(stockMovements.itemId, [...itemIds]),
        eq(stockMovements.kind, "out"),
        gte(stockMovements.at, since),
      ),
    );
  for (const row of rows) {
    byItem.get(row.itemId)?.push({ day: localDateOf(row.at, timezone), quantity: fromStored(row.quantity) });
  }
  return byItem;
}

/** The status of every item (or of the low ones only), by SKU. */
export async function listStock(
  db: Db,
  { now, timezone, lowOnly = false }: { now: Date; timezone: string; lowOnly?: boolean },
): Promise<StockStatus[]> {
  const items = await db.select().from(stockItems).orderBy(asc(stockItems.sku));
  const outflows = await recentOutflows(
    db,
    items.map((item) => item.id),
    now,
    timezone,
  );
  const today = localDateOf(now, timezone);
  const statuses = items.map((item) => statusOf(item, outflows.get(item.id) ?? [], today));
  return lowOnly ? statuses.filter((status) => status.low) : statuses;
}

// Why a stock change was refused, for the command to put into words.
import { Refused } from "../refused.ts";
import type { Milli } from "./quantity.ts";

export type StockRefusal =
  | { kind: "unknown_sku"; sku: string }
  /** More would go out than is on hand. */
  | { kind: "not_enough"; sku: string; onHand: Milli; unit: string | null }
  /** A stocktake of it is open: its quantity waits for that count's close. */
  | { kind: "being_counted"; sku: string; stocktake: string };

export class StockRefused extends Refused<StockRefusal> {
  override readonly name = "StockRefused";

  constructor(refusal: StockRefusal) {
    super("stock", refusal);
  }
}

// Why a stocktake change was refused, for the command to put into words.
import { Refused } from "../refused.ts";

export type StocktakeRefusal =
  /** No material is kept in that warehouse: there is nothing to count. */
  | { kind: "unknown_warehouse"; warehouse: string }
  | { kind: "already_open"; warehouse: string; number: string }
  | { kind: "unknown_stocktake"; number: string }
  | { kind: "closed"; number: string }
  | { kind: "not_in_stocktake"; number: string; sku: string; warehouse: string }
  /** Every line is counted before the close (0 when there is none). */
  | { kind: "uncounted"; number: string; skus: string[]; total: number };

export class StocktakeRefused extends Refused<StocktakeRefusal> {
  override readonly name = "StocktakeRefused";

  constructor(refusal: StocktakeRefusal) {
    super("stocktake", refusal);
  }
}

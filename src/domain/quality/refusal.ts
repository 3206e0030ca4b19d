// Why a sampling change was refused, for the command to put into words.
import { Refused } from "../refused.ts";

export type QualityRefusal =
  | { kind: "unknown_order"; number: string }
  /** Lots are declared for confirmed orders, in production: not drafts, cancelled or completed ones. */
  | { kind: "order_not_in_production"; number: string; status: string }
  | { kind: "unknown_lot"; number: string }
  | { kind: "defects_over_sampled"; sampled: number; defects: number }
  /** The sampled total would pass the lot's size. */
  | { kind: "sampled_over_size"; number: string; size: number; sampled: number; adding: number }
  | { kind: "lot_decided"; number: string; status: "released" | "rejected" }
  /** Release before the required sample is met. */
  | { kind: "sample_short"; number: string; sampled: number; required: number };

export class QualityRefused extends Refused<QualityRefusal> {
  override readonly name = "QualityRefused";

  constructor(refusal: QualityRefusal) {
    super("quality", refusal);
  }
}

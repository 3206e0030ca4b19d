// Why a finance change was refused, for the command to put into words.
import type { LocalDate } from "../calendar/local-time.ts";
import { Refused } from "../refused.ts";
import type { Expense } from "./expenses.ts";

export type FinanceRefusal =
  /** Reconciling a day that has not begun. */
  | { kind: "future_day"; day: LocalDate; today: LocalDate }
  | { kind: "expense_not_found"; number: string }
  /** Signed or rejected already (by whom and when is on the expense). */
  | { kind: "expense_decided"; expense: Expense };

export class FinanceRefused extends Refused<FinanceRefusal> {
  override readonly name = "FinanceRefused";

  constructor(refusal: FinanceRefusal) {
    super("finance", refusal);
  }
}

// A count's error rate Σ|counted − book| ÷ Σ book in exact thousandths, and whether it is above the limit.
import { STOCK_ERROR_LIMIT_PERCENT } from "../policy.ts";
import type { Milli } from "../stock/quantity.ts";

/** Rates are shown to 3 decimals, as quantities are: 2.001 % above a 2 % limit must not read "2%". */
export const RATE_DECIMALS = 3;

export interface CountedLine {
  book: Milli;
  counted: Milli;
}

export interface ErrorRate {
  bookTotal: Milli;
  differenceTotal: Milli;
  /**
   * Above STOCK_ERROR_LIMIT_PERCENT, not at it. With nothing on the books (Σ book = 0) the rate has no base:
   * any difference is then all error (over), none is no error.
   */
  overLimit: boolean;
}

const absolute = (value: Milli): Milli => (value < 0n ? -value : value);

export function errorRateOf(lines: readonly CountedLine[]): ErrorRate {
  const bookTotal = lines.reduce((sum, line) => sum + line.book, 0n);
  const differenceTotal = lines.reduce((sum, line) => sum + absolute(line.counted - line.book), 0n);
  const overLimit =
    bookTotal === 0n
      ? differenceTotal > 0n
      : differenceTotal * 100n > BigInt(STOCK_ERROR_LIMIT_PERCENT) * bookTotal;
  return { bookTotal, differenceTotal, overLimit };
}

// The stocktake error rate Σ|counted − book| ÷ Σ book in exact thousandths: the 2 % boundary, no float drift, Σ book 0.
import { describe, expect, it } from "vitest";
import { parseQuantity } from "../../../src/domain/stock/quantity.ts";
import { errorRateOf } from "../../../src/domain/stocktake/error-rate.ts";

const q = (typed: string): bigint => parseQuantity(typed) as bigint;
const lines = (...pairs: [string, string][]) =>
  pairs.map(([book, counted]) => ({ book: q(book), counted: q(counted) }));

describe("errorRateOf", () => {
  it("is not over the limit at exactly 2 %, and is just above it", () => {
    expect(errorRateOf(lines(["60", "59"], ["40", "41"])).overLimit).toBe(false);
    expect(errorRateOf(lines(["60", "58.999"], ["40", "41"])).overLimit).toBe(true);
  });

  it("adds decimals exactly where floating point would drift", () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004: 0.3 of 15 is exactly 2 %.
    const rate = errorRateOf(lines(["5", "5.1"], ["10", "10.2"]));
    expect(rate).toEqual({ bookTotal: q("15"), differenceTotal: q("0.3"), overLimit: false });
  });

  it("with nothing on the books: no difference is no error, any difference is over", () => {
    expect(errorRateOf(lines(["0", "0"])).overLimit).toBe(false);
    expect(errorRateOf(lines(["0", "0.001"])).overLimit).toBe(true);
  });
});

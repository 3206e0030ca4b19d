// Exact money: what a typed amount may look like, and how fen are stored and shown.
import { describe, expect, it } from "vitest";
import { fenToStored, formatMoney, parseAmount, storedToFen } from "../../../src/domain/finance/money.ts";

describe("parseAmount", () => {
  it.each([
    ["12", 1200n],
    ["12.5", 1250n],
    ["12.50", 1250n],
    ["0.01", 1n],
    ["１２.３４", 1234n],
    ["9999999999999.99", 999999999999999n],
  ])("reads %s as %s fen", (typed, fen) => {
    expect(parseAmount(typed, { positive: true })).toEqual({ ok: true, fen });
  });

  it.each([
    ["12.345", "too_many_decimals"],
    ["-5", "negative"],
    ["−5", "negative"],
    ["abc", "not_a_number"],
    ["1e3", "not_a_number"],
    ["1,200", "not_a_number"],
    ["+5", "not_a_number"],
    ["12.", "not_a_number"],
    [".5", "not_a_number"],
    ["¥12", "not_a_number"],
    ["", "not_a_number"],
    ["0", "zero"],
    ["0.00", "zero"],
    ["10000000000000", "too_large"],
  ])("refuses %s (%s)", (typed, problem) => {
    expect(parseAmount(typed, { positive: true })).toEqual({ ok: false, problem });
  });

  it("accepts 0 where an amount may be nothing (a day without expenses)", () => {
    expect(parseAmount("0", { positive: false })).toEqual({ ok: true, fen: 0n });
  });
});

describe("stored and shown", () => {
  it("round-trips through the numeric column's text and groups thousands when shown", () => {
    expect(fenToStored(1234567n)).toBe("12345.67");
    expect(storedToFen("12345.67")).toBe(1234567n);
    expect(storedToFen("-3.5")).toBe(-350n);
    expect(formatMoney(1234567n)).toBe("12,345.67");
    expect(formatMoney(-300n)).toBe("-3.00");
    expect(formatMoney(5n)).toBe("0.05");
  });
});

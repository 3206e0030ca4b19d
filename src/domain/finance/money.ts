// Exact money: amounts typed as decimals with at most MONEY_DECIMALS places, held as integers of fen, never floats.
import { MONEY_DECIMALS } from "../policy.ts";

/** Hundredths of a yuan (fen). */
export type Fen = bigint;

const SCALE = 10n ** BigInt(MONEY_DECIMALS);
/** Whole part at most 13 digits: the numeric(15, 2) column holds it. */
const MAX_WHOLE_DIGITS = 13;

/** Why a typed amount is not one: the command names the mistake. */
export type AmountProblem = "not_a_number" | "negative" | "too_many_decimals" | "zero" | "too_large";

export type ParsedAmount = { ok: true; fen: Fen } | { ok: false; problem: AmountProblem };

/**
 * A typed amount ("12", "12.5", "12.50", full-width digits too). Strict: no sign, exponent, separator or
 * currency symbol, at most MONEY_DECIMALS places; `positive` refuses 0.
 */
export function parseAmount(typed: string, { positive }: { positive: boolean }): ParsedAmount {
  const text = typed.normalize("NFKC").trim();
  if (/^[-−]/.test(text) && /\d/.test(text)) return { ok: false, problem: "negative" };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, problem: "not_a_number" };
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > MONEY_DECIMALS) return { ok: false, problem: "too_many_decimals" };
  if (whole.replace(/^0+(?=\d)/, "").length > MAX_WHOLE_DIGITS) return { ok: false, problem: "too_large" };
  const fen = BigInt(whole) * SCALE + BigInt(fraction.padEnd(MONEY_DECIMALS, "0") || "0");
  if (positive && fen === 0n) return { ok: false, problem: "zero" };
  return { ok: true, fen };
}

/** Fen as the column's text ("1234.50"). */
export function fenToStored(fen: Fen): string {
  const sign = fen < 0n ? "-" : "";
  const absolute = fen < 0n ? -fen : fen;
  return `${sign}${absolute / SCALE}.${(absolute % SCALE).toString().padStart(MONEY_DECIMALS, "0")}`;
}

/** A stored numeric ("1234.50", "-3.00") as fen. */
export function storedToFen(stored: string): Fen {
  const negative = stored.startsWith("-");
  const [whole = "0", fraction = ""] = stored.replace(/^[-+]/, "").split(".");
  const fen = BigInt(whole) * SCALE + BigInt(fraction.slice(0, MONEY_DECIMALS).padEnd(MONEY_DECIMALS, "0"));
  return negative ? -fen : fen;
}

/** Fen as people read money: always two places, thousands grouped ("1,234.50", "-3.00"). */
export function formatMoney(fen: Fen): string {
  const [whole = "0", fraction = ""] = fenToStored(fen).replace("-", "").split(".");
  return `${fen < 0n ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

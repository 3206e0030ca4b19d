// Exact stock quantities: decimals with three places held as integers of thousandths, never as floating point.

/** Thousandths of a unit. */
export type Milli = bigint;

const SCALE = 1000n;
const TYPED = /^(\d{1,15})(?:\.(\d{1,3}))?$/;

/** A typed non-negative decimal with at most three places ("12", "0.5", "1,200.25"), or undefined. */
export function parseQuantity(typed: string): Milli | undefined {
  const match = TYPED.exec(typed.normalize("NFKC").trim().replaceAll(",", ""));
  if (!match) return undefined;
  const [, whole, fraction = ""] = match;
  return BigInt(whole as string) * SCALE + BigInt(fraction.padEnd(3, "0"));
}

/** A stored numeric ("12.500", "-3.000") as thousandths. */
export function fromStored(stored: string): Milli {
  const negative = stored.startsWith("-");
  const [whole = "0", fraction = ""] = stored.replace(/^[-+]/, "").split(".");
  const value = BigInt(whole) * SCALE + BigInt(fraction.slice(0, 3).padEnd(3, "0"));
  return negative ? -value : value;
}

/** Thousandths as a plain decimal without trailing zeros ("12.5", "-3", "0.125"). */
export function formatQuantity(value: Milli): string {
  const sign = value < 0n ? "-" : "";
  const absolute = value < 0n ? -value : value;
  const fraction = (absolute % SCALE).toString().padStart(3, "0").replace(/0+$/, "");
  return `${sign}${absolute / SCALE}${fraction ? `.${fraction}` : ""}`;
}

/** `dividend ÷ divisor` rounded half up to three places (both in thousandths, the divisor positive). */
export function divideQuantity(dividend: Milli, divisor: bigint): Milli {
  return (dividend * 2n + divisor) / (2n * divisor);
}

/** How many days `onHand` lasts at `dailyUse`, to one decimal (rounded down), or undefined without use. */
export function daysOfCover(onHand: Milli, dailyUse: Milli): string | undefined {
  if (dailyUse <= 0n) return undefined;
  const tenths = ((onHand < 0n ? 0n : onHand) * 10n) / dailyUse;
  return `${tenths / 10n}.${tenths % 10n}`;
}

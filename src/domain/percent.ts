// Shares as people read them, from whole numbers (counts, thousandths of a unit): no floating-point drift.

/**
 * A share as a percentage rounded half up to `decimals` places without trailing zeros ("2.02%", "2%"), from whole
 * numbers; "—" without a base.
 */
export function percentText(part: bigint, whole: bigint, decimals = 2): string {
  if (whole <= 0n) return "—";
  const scale = 10n ** BigInt(decimals);
  const units = (part * 100n * scale * 2n + whole) / (2n * whole);
  const fraction = (units % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${units / scale}${fraction ? `.${fraction}` : ""}%`;
}

// The people a post needs with the spare: ⌈need × 1.1⌉, in whole numbers so no floating point rounds it up.
import { ROSTER_SPARE_PERCENT } from "../policy.ts";

export function requiredWithSpare(need: number): number {
  const hundredths = need * (100 + ROSTER_SPARE_PERCENT);
  return Math.floor((hundredths + 99) / 100);
}

/** A post is short when fewer people are assigned than it needs with the spare. */
export const isShort = (need: number, assigned: number): boolean => assigned < requiredWithSpare(need);

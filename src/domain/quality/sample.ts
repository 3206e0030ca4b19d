// The sampling rules in whole numbers: a lot's required sample, and whether its defects are over the limit.
import { DEFECT_LIMIT_PERCENT, SAMPLE_MIN, SAMPLE_PERCENT } from "../policy.ts";

/**
 * ⌈SAMPLE_PERCENT × size ÷ 100⌉, at least SAMPLE_MIN, in integers (never a floating-point product): 1 → 1,
 * 20 → 1, 21 → 2, 1,000,000 → 50,000.
 */
export function requiredSample(size: number): number {
  const scaled = BigInt(size) * BigInt(SAMPLE_PERCENT);
  const rounded = (scaled + 99n) / 100n;
  return Math.max(SAMPLE_MIN, Number(rounded));
}

/** Above the limit, not at it: 1 defect in 50 is exactly 2 % and passes; 2 in 99 does not. */
export const defectsOverLimit = (defects: number, sampled: number): boolean =>
  sampled > 0 && BigInt(defects) * 100n > BigInt(DEFECT_LIMIT_PERCENT) * BigInt(sampled);

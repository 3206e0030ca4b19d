// A typed target value read for its metric: a count is a whole number, a rate "90%" or "0.9".
import { TARGET_COUNT_MAX } from "../policy.ts";
import type { Metric } from "./metrics.ts";

export type TargetValueProblem =
  | { kind: "not_number" }
  | { kind: "out_of_range"; unit: Metric["unit"]; max: number };

const COUNT = /^\d+$/;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;
const SHARE = /^(\d+(?:\.\d+)?)$/;

/** The stored value (a count, or a share 0–1), or why the text is not one. */
export function parseTargetValue(
  metric: Metric,
  typed: string,
): { ok: true; value: number } | { ok: false; problem: TargetValueProblem } {
  const text = typed.normalize("NFKC").trim().replace(/％$/u, "%");
  if (metric.unit === "count") {
    if (!COUNT.test(text)) return { ok: false, problem: { kind: "not_number" } };
    const value = Number(text);
    return value <= TARGET_COUNT_MAX
      ? { ok: true, value }
      : { ok: false, problem: { kind: "out_of_range", unit: "count", max: TARGET_COUNT_MAX } };
  }
  const percent = PERCENT.exec(text);
  const share = percent ? Number(percent[1]) / 100 : SHARE.test(text) ? Number(text) : null;
  if (share === null) return { ok: false, problem: { kind: "not_number" } };
  return share <= 1
    ? { ok: true, value: share }
    : { ok: false, problem: { kind: "out_of_range", unit: "rate", max: 1 } };
}

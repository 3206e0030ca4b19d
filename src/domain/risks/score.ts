// A risk's score and when it is high, from the procedure's numbers.
import { RISK_HIGH_SCORE, RISK_SCALE_MAX, RISK_SCALE_MIN } from "../policy.ts";

export const riskScore = (likelihood: number, impact: number): number => likelihood * impact;

export const isHighRisk = (score: number): boolean => score >= RISK_HIGH_SCORE;

export const onRiskScale = (value: number): boolean =>
  Number.isInteger(value) && value >= RISK_SCALE_MIN && value <= RISK_SCALE_MAX;

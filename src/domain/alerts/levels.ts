// What an alert is about (kind, entity, level), which levels outrank which, and which go to the managers.
import { type SQL, sql } from "drizzle-orm";

export type AlertKind =
  | "response"
  | "resolution"
  | "order"
  | "inspection"
  | "system_check"
  | "task"
  | "stock"
  | "maintenance"
  | "risk"
  | "quality"
  | "stocktake"
  | "stocktake_due"
  | "reconciliation"
  | "expense";
export type AlertLevel =
  | "warning"
  | "breach"
  | "overdue"
  | "missed"
  | "low"
  | "finding"
  | "error"
  | "review"
  | "escalation";

/** A later, graver level of the same (kind, entity) stops the repeats of the lesser ones. */
const RANK: Record<AlertLevel, number> = {
  warning: 1,
  breach: 2,
  overdue: 2,
  missed: 2,
  low: 2,
  finding: 2,
  error: 2,
  review: 3,
  escalation: 3,
};

export const rankOf = (level: string): number => RANK[level as AlertLevel] ?? 0;

/** rankOf in SQL, for queries that compare the levels of stored alerts. */
export const rankSql = (level: SQL): SQL =>
  sql`(case ${level} ${sql.join(
    Object.entries(RANK).map(([name, rank]) => sql`when ${name} then ${sql.raw(String(rank))}`),
    sql` `,
  )} else 0 end)`;

/** Order reviews (> 5 days late) and escalations are told to the managers too, and escalate no further. */
export const goesToManagers = (level: string): boolean => rankOf(level) >= 3;

/** Why an escalation was raised. */
export type EscalationReason = "unacked" | "button";

/** The outbox key prefix of notice `n` (0 = the first); the fan-out appends `:<platform>:<chat>`. */
/** How every notice's outbox key starts. */
export const NOTICE_KEY_START = "alert:";

export const noticeKeyPrefix = (alert: { kind: string; entity: string; level: string }, n: number): string =>
  `${NOTICE_KEY_START}${alert.kind}:${alert.entity}:${alert.level}:${n}`;

/** The audit entity id of an alert. */
export const alertEntityId = (alert: { kind: string; entity: string; level: string }): string =>
  `${alert.kind}:${alert.entity}:${alert.level}`;

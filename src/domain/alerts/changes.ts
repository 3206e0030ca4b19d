// What people do with an alert card: acknowledge, snooze or escalate it; each change audited with who did it.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { Refused } from "../refused.ts";
import { alertEntityId, goesToManagers } from "./levels.ts";
import { type AlertRow, escalateAlert, findAlert } from "./store.ts";
import type { AlertTiming } from "./timing.ts";

/** Why a click changed nothing: the alert is gone, or someone acted on it first. */
export type AlertRefusal =
  | { kind: "not_found" }
  | { kind: "already_acked"; alert: AlertRow }
  | { kind: "closed"; alert: AlertRow }
  | { kind: "already_escalated"; alert: AlertRow };

export class AlertRefused extends Refused<AlertRefusal> {
  override readonly name = "AlertRefused";

  constructor(refusal: AlertRefusal) {
    super("alert", refusal);
  }
}

/** The alert after the change; `escalationId` is the managers' alert a hand escalation raised. */
export interface AlertChange {
  alert: AlertRow;
  escalationId?: number;
}

function refusalFor(alert: AlertRow | undefined): AlertRefused {
  if (!alert) return new AlertRefused({ kind: "not_found" });
  if (alert.ackedAt) return new AlertRefused({ kind: "already_acked", alert });
  return new AlertRefused({ kind: "closed", alert });
}

const open = (alert: AlertRow) => alert.ackedAt === null && alert.closedAt === null;

/** Updates an open alert at the version it was read; on a lost race answers with the state the winner left. */
async function change(
  db: Db,
  id: number,
  actor: Actor,
  action: string,
  set: (alert: AlertRow) => Partial<typeof alerts.$inferInsert>,
): Promise<AlertChange> {
  const before = await findAlert(db, id);
  if (!before || !open(before)) throw refusalFor(before);
  const updated = await db.transaction(async (tx) => {
    const values = set(before);
    const [after] = await tx
      .update(alerts)
      .set({ ...values, version: before.version + 1 })
      .where(
        and(
          eq(alerts.id, id),
          eq(alerts.version, before.version),
          isNull(alerts.ackedAt),
          isNull(alerts.closedAt),
        ),
      )
      .returning();
    if (!after) return undefined;
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "alert",
      entityId: alertEntityId(after),
      action,
      before: { notifyAt: before.notifyAt, snoozedUntil: before.snoozedUntil },
      after: values,
    });
    return after;
  });
  if (!updated) throw refusalFor(await findAlert(db, id));
  return { alert: updated };
}

/** Stops the repeats and the escalation of this alert. */
export const ackAlert = (db: Db, id: number, actor: Actor): Promise<AlertChange> =>
  change(db, id, actor, "alert.acked", () => ({
    ackedAt: actor.at,
    ackedBy: actor.personId,
    notifyAt: null,
    escalateAt: null,
  }));

/** Holds the next notice until `until`; the escalation waits one working day from then. */
export const snoozeAlert = (
  db: Db,
  id: number,
  actor: Actor,
  until: Date,
  timing: AlertTiming,
): Promise<AlertChange> =>
  change(db, id, actor, "alert.snoozed", (alert) => ({
    snoozedUntil: until,
    snoozedBy: actor.personId,
    notifyAt: until,
    escalateAt: goesToManagers(alert.level) ? null : timing.escalationDue(until),
  }));

/** Raises the escalation of this alert's subject at once, for the managers. */
export async function escalateByHand(
  db: Db,
  id: number,
  actor: Actor,
  timing: AlertTiming,
): Promise<AlertChange> {
  const source = await findAlert(db, id);
  if (!source || !open(source)) throw refusalFor(source);
  if (goesToManagers(source.level)) throw new AlertRefused({ kind: "already_escalated", alert: source });
  const escalationId = await escalateAlert(db, source, {
    reason: "button",
    by: actor,
    now: actor.at,
    timing,
  });
  const after = await findAlert(db, id);
  if (escalationId !== undefined && after) return { alert: after, escalationId };
  // The subject had been escalated before (its escalation is kept once): this alert is closed all the same.
  if (after?.closedReason === "escalated")
    throw new AlertRefused({ kind: "already_escalated", alert: after });
  throw refusalFor(after);
}

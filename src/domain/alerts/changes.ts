// What people do with an alert card: acknowledge, snooze or escalate it; each change audited with who did it.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts } from "../../db/schema/index.ts";
import { audit } from "../audit.ts";
import { alertEntityId, goesToManagers } from "./levels.ts";
import { type AlertRow, escalateAlert, findAlert } from "./store.ts";
import type { AlertTiming } from "./timing.ts";

export interface AlertActor {
  personId: number;
  name: string;
  platform: string;
  platformMessageId: string;
  now: Date;
}

/** Why a click changed nothing: the alert is gone, or someone acted on it first. */
export type AlertRefusal =
  | { kind: "not_found" }
  | { kind: "already_acked"; alert: AlertRow }
  | { kind: "closed"; alert: AlertRow }
  | { kind: "already_escalated"; alert: AlertRow };

export type AlertChange =
  | { ok: true; alert: AlertRow; escalationId?: number }
  | { ok: false; refusal: AlertRefusal };

function refusalFor(alert: AlertRow | undefined): AlertChange {
  if (!alert) return { ok: false, refusal: { kind: "not_found" } };
  if (alert.ackedAt) return { ok: false, refusal: { kind: "already_acked", alert } };
  return { ok: false, refusal: { kind: "closed", alert } };
}

const open = (alert: AlertRow) => alert.ackedAt === null && alert.closedAt === null;

/** Updates an open alert at the version it was read; on a lost race answers with the state the winner left. */
async function change(
  db: Db,
  id: number,
  actor: AlertActor,
  action: string,
  set: (alert: AlertRow) => Partial<typeof alerts.$inferInsert>,
): Promise<AlertChange> {
  const before = await findAlert(db, id);
  if (!before || !open(before)) return refusalFor(before);
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
      at: actor.now,
      actorPersonId: actor.personId,
      platform: actor.platform,
      platformMessageId: actor.platformMessageId,
      entityType: "alert",
      entityId: alertEntityId(after),
      action,
      before: { notifyAt: before.notifyAt, snoozedUntil: before.snoozedUntil },
      after: values,
    });
    return after;
  });
  return updated ? { ok: true, alert: updated } : refusalFor(await findAlert(db, id));
}

/** Stops the repeats and the escalation of this alert. */
export const ackAlert = (db: Db, id: number, actor: AlertActor): Promise<AlertChange> =>
  change(db, id, actor, "alert.acked", () => ({
    ackedAt: actor.now,
    ackedBy: actor.personId,
    notifyAt: null,
    escalateAt: null,
  }));

/** Holds the next notice until `until`; the escalation waits one working day from then. */
export const snoozeAlert = (
  db: Db,
  id: number,
  actor: AlertActor,
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
  actor: AlertActor,
  timing: AlertTiming,
): Promise<AlertChange> {
  const source = await findAlert(db, id);
  if (!source || !open(source)) return refusalFor(source);
  if (goesToManagers(source.level))
    return { ok: false, refusal: { kind: "already_escalated", alert: source } };
  const escalationId = await escalateAlert(db, source, {
    reason: "button",
    by: actor,
    now: actor.now,
    timing,
  });
  const after = await findAlert(db, id);
  if (escalationId !== undefined && after) return { ok: true, alert: after, escalationId };
  // The subject had been escalated before (its escalation is kept once): this alert is closed all the same.
  if (after?.closedReason === "escalated")
    return { ok: false, refusal: { kind: "already_escalated", alert: after } };
  return refusalFor(after);
}

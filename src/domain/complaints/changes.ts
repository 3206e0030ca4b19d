// Every state change of a complaint: open, take, respond, resolve, rate; optimistic version, one audit row each.
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { complaints } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar, type WorkingCalendar } from "../calendar/working-calendar.ts";
import { nextNumber } from "../numbering.ts";
import { versionedChange } from "../versioned-change.ts";
import { complaintDeadlines } from "./deadlines.ts";
import { ComplaintRefused } from "./refusal.ts";
import { type Complaint, type ComplaintRow, findComplaint } from "./store.ts";

/** Who changes it, from which platform message, and when. */
export interface OpenComplaint {
  customer: string;
  description: string;
  chatId: string;
  timezone: string;
}

export async function openComplaint(db: Db, actor: Actor, input: OpenComplaint): Promise<Complaint> {
  const calendar = createWorkingCalendar({
    timezone: input.timezone,
    overrides: await loadCalendarOverrides(db),
  });
  const receivedAt = actor.at;
  const number = await db.transaction(async (tx) => {
    const number = await nextNumber(tx, "C", receivedAt, input.timezone);
    const [row] = await tx
      .insert(complaints)
      .values({
        number,
        customer: input.customer,
        description: input.description,
        status: "open",
        receivedAt,
        ...complaintDeadlines(receivedAt, calendar),
        platform: actor.platform,
        chatId: input.chatId,
        createdBy: actor.personId,
      })
      .returning();
    await audit(tx, auditEntry(actor, number, "complaint.opened", null, row));
    return number;
  });
  return mustFind(db, number);
}

/** The complaint before and after a change. */
export interface ComplaintChange {
  before: Complaint;
  after: Complaint;
}

type Decide = (current: Complaint) => Partial<ComplaintRow>;

/**
 * Reads the complaint, lets `decide` refuse or say what to set, and writes it only if nobody changed the
 * row meanwhile (its version). When someone did, the decision is taken again on what they left: a second
 * "resolve" then meets a resolved complaint and is refused with who resolved it, while an unrelated change
 * (a take during a resolve) simply lets the resolve go through on the fresh row.
 */
async function change(
  db: Db,
  actor: Actor,
  number: string,
  action: string,
  decide: Decide,
): Promise<ComplaintChange> {
  return versionedChange(
    async () => {
      const before = await findComplaint(db, number);
      if (!before) throw new ComplaintRefused({ kind: "not_found", number });
      const set = decide(before);
      const written = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(complaints)
          .set({ ...set, version: before.version + 1 })
          .where(and(eq(complaints.id, before.id), eq(complaints.version, before.version)))
          .returning();
        if (row) await audit(tx, auditEntry(actor, number, action, before, row));
        return row !== undefined;
      });
      return written ? { before, after: await mustFind(db, number) } : undefined;
    },
    () => new ComplaintRefused({ kind: "busy", number }),
  );
}

function refuseIfResolved(complaint: Complaint): void {
  if (complaint.status === "resolved") throw new ComplaintRefused({ kind: "already_resolved", complaint });
}

/** The Take button: the caller becomes the owner of an unresolved complaint nobody owns yet. */
export const takeComplaint = (db: Db, actor: Actor, number: string) =>
  change(db, actor, number, "complaint.taken", (current) => {
    refuseIfResolved(current);
    if (current.ownerId !== null) throw new ComplaintRefused({ kind: "already_taken", complaint: current });
    return { ownerId: actor.personId };
  });

/**
 * The first response stops the 24 h clock. A second one is refused rather than kept as a note: the
 * response column is the SLA fact the KPI counts, and overwriting it would rewrite when the customer
 * first heard back; further progress goes into the resolution.
 */
export const respondToComplaint = (db: Db, actor: Actor, number: string, text: string) =>
  change(db, actor, number, "complaint.responded", (current) => {
    refuseIfResolved(current);
    if (current.respondedAt) throw new ComplaintRefused({ kind: "already_responded", complaint: current });
    return {
      status: "responded",
      respondedAt: actor.at,
      respondedBy: actor.personId,
      response: text,
      // Whoever answers an unowned complaint is its owner from then on ("mine" finds it).
      ownerId: current.ownerId ?? actor.personId,
    };
  });

/** Stops the resolution clock; an unanswered complaint gets its first response recorded at the same time. */
export const resolveComplaint = (db: Db, actor: Actor, number: string, text: string) =>
  change(db, actor, number, "complaint.resolved", (current) => {
    refuseIfResolved(current);
    return {
      status: "resolved",
      resolvedAt: actor.at,
      resolvedBy: actor.personId,
      resolution: text,
      ownerId: current.ownerId ?? actor.personId,
      ...(current.respondedAt === null && {
        respondedAt: actor.at,
        respondedBy: actor.personId,
        response: text,
      }),
    };
  });

/**
 * The customer's score (1–5) of a resolved complaint. A later score replaces the earlier one, so that a
 * mistyped score can be corrected; the audit row keeps the old value, and rated_at moves to the correction.
 */
export const rateComplaint = (db: Db, actor: Actor, number: string, score: number) => {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError(`score must be 1–5: ${score}`);
  return change(db, actor, number, "complaint.rated", (current) => {
    if (current.status !== "resolved")
      throw new ComplaintRefused({ kind: "not_resolved", complaint: current });
    return { satisfaction: score, ratedAt: actor.at, ratedBy: actor.personId };
  });
};

/** An open complaint whose resolution deadline a calendar change moved. */
export interface MovedDeadline {
  number: string;
  from: Date;
  to: Date;
  provisional: boolean;
}

/** Who counts deadlines again: an admin's calendar change, or the system after a calendar-data upgrade. */
export type DeadlineMover = Actor | { personId: null; at: Date };

/**
 * After a calendar change: every unresolved complaint's resolution clock counted again on `calendar`
 * (with `onlyProvisional`, only those still marked provisional). A deadline that moves keeps where it was
 * (the card says so), one audit row each. Pass the transaction of the calendar change, so that both land
 * together or not at all.
 */
export async function moveResolutionDeadlines(
  db: Db,
  actor: DeadlineMover,
  calendar: WorkingCalendar,
  onlyProvisional = false,
): Promise<MovedDeadline[]> {
  const open = await db
    .select()
    .from(complaints)
    .where(
      and(
        ne(complaints.status, "resolved"),
        onlyProvisional ? eq(complaints.resolutionDueProvisional, true) : undefined,
      ),
    )
    .for("update");
  const moved: MovedDeadline[] = [];
  for (const row of open) {
    const { resolutionDueAt, resolutionDueProvisional } = complaintDeadlines(row.receivedAt, calendar);
    const timeMoved = resolutionDueAt.getTime() !== row.resolutionDueAt.getTime();
    if (!timeMoved && resolutionDueProvisional === row.resolutionDueProvisional) continue;
    const [after] = await db
      .update(complaints)
      .set({
        resolutionDueAt,
        resolutionDueProvisional,
        ...(timeMoved && { resolutionDueMovedFrom: row.resolutionDueAt }),
        version: row.version + 1,
      })
      .where(eq(complaints.id, row.id))
      .returning();
    await audit(db, {
      at: actor.at,
      actorPersonId: actor.personId,
      ...("platform" in actor && { platform: actor.platform, platformMessageId: actor.platformMessageId }),
      entityType: "complaint",
      entityId: row.number,
      action: "complaint.deadline_moved",
      before: deadlineState(row),
      after: after && deadlineState(after),
    });
    if (timeMoved)
      moved.push({
        number: row.number,
        from: row.resolutionDueAt,
        to: resolutionDueAt,
        provisional: resolutionDueProvisional,
      });
  }
  return moved;
}

function deadlineState(row: ComplaintRow) {
  return {
    resolutionDueAt: row.resolutionDueAt,
    resolutionDueProvisional: row.resolutionDueProvisional,
    version: row.version,
  };
}

async function mustFind(db: Db, number: string): Promise<Complaint> {
  const complaint = await findComplaint(db, number);
  if (!complaint) throw new Error(`complaint ${number} vanished`);
  return complaint;
}

/** The part of a complaint that changes, as the audit row's before and after. */
function state(row: ComplaintRow) {
  return {
    status: row.status,
    ownerId: row.ownerId,
    respondedAt: row.respondedAt,
    respondedBy: row.respondedBy,
    response: row.response,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
    satisfaction: row.satisfaction,
    ratedAt: row.ratedAt,
    ratedBy: row.ratedBy,
    version: row.version,
  };
}

function auditEntry(
  actor: Actor,
  number: string,
  action: string,
  before: ComplaintRow | null,
  after: ComplaintRow | undefined,
) {
  return {
    ...auditedBy(actor),
    entityType: "complaint",
    entityId: number,
    action,
    before: before && state(before),
    after: after && {
      ...state(after),
      ...(before === null && {
        customer: after.customer,
        description: after.description,
        receivedAt: after.receivedAt,
        responseDueAt: after.responseDueAt,
        resolutionDueAt: after.resolutionDueAt,
        resolutionDueProvisional: after.resolutionDueProvisional,
      }),
    },
  };
}

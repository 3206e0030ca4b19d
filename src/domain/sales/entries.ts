// The sales log: record a lead, a feedback or a follow-up; convert a lead into a draft order or close it; open a
// complaint from a feedback. Every change audited.
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import { people, salesEntries } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { openComplaint } from "../complaints/changes.ts";
import type { Complaint } from "../complaints/store.ts";
import { nextNumber } from "../numbering.ts";
import { draftOrder, type NewOrder } from "../orders/index.ts";
import type { Role } from "../people/role.ts";
import { SalesRefused } from "./refusal.ts";

export type SalesKind = "lead" | "feedback" | "followup";
export type SalesEntryRow = typeof salesEntries.$inferSelect;

/** An entry with the names of who logged and who settled it. */
export interface SalesEntry extends SalesEntryRow {
  kind: SalesKind;
  createdByName: string;
  settledByName: string | null;
}

/** Besides whoever logged it, these roles may close a lead. */
const MAY_CLOSE_ANY_LEAD: readonly Role[] = ["cs", "manager", "admin"];

/** Customers are matched across the log and the orders without regard to width, case or spacing. */
export const customerKeyOf = (customer: string): string =>
  customer.normalize("NFKC").trim().replace(/\s+/gu, " ").toLowerCase();

const settler = alias(people, "settler");

/** A lead by its Q- number, or a feedback or follow-up by its id. */
export async function findSalesEntry(db: Db, ref: string): Promise<SalesEntry | undefined> {
  const id = /^\d+$/.test(ref) ? Number(ref) : undefined;
  const [row] = await db
    .select({ entry: salesEntries, createdByName: people.displayName, settledByName: settler.displayName })
    .from(salesEntries)
    .innerJoin(people, eq(people.id, salesEntries.createdBy))
    .leftJoin(settler, eq(settler.id, salesEntries.settledBy))
    .where(id !== undefined ? eq(salesEntries.id, id) : eq(salesEntries.number, ref.toUpperCase()));
  if (!row) return undefined;
  return {
    ...row.entry,
    kind: row.entry.kind as SalesKind,
    createdByName: row.createdByName,
    settledByName: row.settledByName,
  };
}

async function mustFind(db: Db, ref: string): Promise<SalesEntry> {
  const entry = await findSalesEntry(db, ref);
  if (!entry) throw new SalesRefused({ kind: "not_found", ref });
  return entry;
}

export interface NewSalesEntry {
  kind: SalesKind;
  customer: string;
  text: string;
  chatId: string;
  timezone: string;
}

/** Records one entry of the log; a lead is numbered Q-YYYYMMDD-NNN and starts open. */
export async function logSalesEntry(db: Db, actor: Actor, input: NewSalesEntry): Promise<SalesEntry> {
  const customer = input.customer.trim().replace(/\s+/gu, " ");
  const id = await db.transaction(async (tx) => {
    const number = input.kind === "lead" ? await nextNumber(tx, "Q", actor.at, input.timezone) : null;
    const [row] = await tx
      .insert(salesEntries)
      .values({
        kind: input.kind,
        number,
        customer,
        customerKey: customerKeyOf(customer),
        text: input.text.trim(),
        status: input.kind === "lead" ? "open" : null,
        at: actor.at,
        createdBy: actor.personId,
        platform: actor.platform,
        chatId: input.chatId,
      })
      .returning();
    const saved = row as SalesEntryRow;
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "sales_entry",
      entityId: number ?? String(saved.id),
      action: `sales.${input.kind}_logged`,
      after: saved,
    });
    return saved.id;
  });
  return mustFind(db, String(id));
}

/** Reads the entry for update inside `tx`; refuses an unknown one or one of another kind. */
async function lockEntry(tx: Db, ref: string, kind: SalesKind): Promise<SalesEntry> {
  const entry = await findSalesEntry(tx, ref);
  if (!entry || entry.kind !== kind) throw new SalesRefused({ kind: "not_found", ref });
  await tx
    .select({ id: salesEntries.id })
    .from(salesEntries)
    .where(eq(salesEntries.id, entry.id))
    .for("update");
  // Read again under the lock: a concurrent change may have landed between the two reads.
  return mustFind(tx, String(entry.id));
}

async function settle(
  tx: Db,
  actor: Actor,
  entry: SalesEntry,
  action: string,
  set: Partial<SalesEntryRow>,
): Promise<void> {
  const values = { ...set, settledAt: actor.at, settledBy: actor.personId, version: entry.version + 1 };
  await tx.update(salesEntries).set(values).where(eq(salesEntries.id, entry.id));
  await audit(tx, {
    ...auditedBy(actor),
    entityType: "sales_entry",
    entityId: entry.number ?? String(entry.id),
    action,
    before: { status: entry.status, orderNumber: entry.orderNumber, complaintNumber: entry.complaintNumber },
    after: set,
  });
}

/** Drafts an order from an open lead (the order's own checks apply) and marks the lead converted, in one go. */
export async function convertLead(
  db: Db,
  actor: Actor & { chatId: string },
  number: string,
  order: NewOrder,
  timezone: string,
) {
  const drafted = await db.transaction(async (tx) => {
    const lead = await lockEntry(tx, number, "lead");
    if (lead.status !== "open") throw new SalesRefused({ kind: "lead_settled", entry: lead });
    const drafted = await draftOrder(tx, order, actor, timezone);
    await settle(tx, actor, lead, "sales.lead_converted", {
      status: "converted",
      orderNumber: drafted.order.number,
    });
    return drafted;
  });
  return { ...drafted, lead: await mustFind(db, number) };
}

/** Closes an open lead without an order: by whoever logged it, customer service, a manager or an admin. */
export async function closeLead(db: Db, actor: Actor, number: string): Promise<SalesEntry> {
  await db.transaction(async (tx) => {
    const lead = await lockEntry(tx, number, "lead");
    if (lead.status !== "open") throw new SalesRefused({ kind: "lead_settled", entry: lead });
    const mayClose =
      lead.createdBy === actor.personId || actor.roles.some((role) => MAY_CLOSE_ANY_LEAD.includes(role));
    if (!mayClose) throw new SalesRefused({ kind: "not_yours", entry: lead });
    await settle(tx, actor, lead, "sales.lead_closed", { status: "closed" });
  });
  return mustFind(db, number);
}

/** Opens a complaint (with its two clocks) from a feedback, once; the feedback keeps the complaint's number. */
export async function complaintFromFeedback(
  db: Db,
  actor: Actor,
  id: string,
  where: { chatId: string; timezone: string },
): Promise<{ feedback: SalesEntry; complaint: Complaint }> {
  const complaint = await db.transaction(async (tx) => {
    const feedback = await lockEntry(tx, id, "feedback");
    if (feedback.complaintNumber) throw new SalesRefused({ kind: "complaint_exists", entry: feedback });
    const complaint = await openComplaint(tx, actor, {
      customer: feedback.customer,
      description: feedback.text,
      chatId: where.chatId,
      timezone: where.timezone,
    });
    await settle(tx, actor, feedback, "sales.feedback_escalated", { complaintNumber: complaint.number });
    return complaint;
  });
  return { feedback: await mustFind(db, id), complaint };
}

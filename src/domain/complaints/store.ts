// Reading complaints: one by number with the names of everyone involved, and the filtered lists.
import { and, asc, desc, eq, isNull, lte, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/database.ts";
import { complaints, people } from "../../db/schema/index.ts";

export type ComplaintRow = typeof complaints.$inferSelect;
export type ComplaintStatus = "open" | "responded" | "resolved";

/** A complaint with the display names cards and refusals need ("已由 王伟 于 10:02 解决"). */
export interface Complaint extends ComplaintRow {
  status: ComplaintStatus;
  ownerName: string | null;
  createdByName: string;
  respondedByName: string | null;
  resolvedByName: string | null;
  ratedByName: string | null;
}

export type ComplaintFilter = "open" | "overdue" | "mine";

/** How many complaints a list shows; the total is reported beside it. */
export const LIST_LIMIT = 20;

const owner = alias(people, "owner");
const creator = alias(people, "creator");
const responder = alias(people, "responder");
const resolver = alias(people, "resolver");
const rater = alias(people, "rater");

function selectComplaints(db: Db) {
  return db
    .select({
      complaint: complaints,
      ownerName: owner.displayName,
      createdByName: creator.displayName,
      respondedByName: responder.displayName,
      resolvedByName: resolver.displayName,
      ratedByName: rater.displayName,
    })
    .from(complaints)
    .innerJoin(creator, eq(creator.id, complaints.createdBy))
    .leftJoin(owner, eq(owner.id, complaints.ownerId))
    .leftJoin(responder, eq(responder.id, complaints.respondedBy))
    .leftJoin(resolver, eq(resolver.id, complaints.resolvedBy))
    .leftJoin(rater, eq(rater.id, complaints.ratedBy));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectComplaints>["execute"]>>[number];

function toComplaint({ complaint, ...names }: Joined): Complaint {
  return { ...complaint, status: complaint.status as ComplaintStatus, ...names };
}

export async function findComplaint(db: Db, number: string): Promise<Complaint | undefined> {
  const [row] = await selectComplaints(db).where(eq(complaints.number, number));
  return row ? toComplaint(row) : undefined;
}

/** A clock has passed its deadline and was never stopped. */
const overdueAt = (now: Date) =>
  or(
    and(isNull(complaints.respondedAt), lte(complaints.responseDueAt, now)),
    and(isNull(complaints.resolvedAt), lte(complaints.resolutionDueAt, now)),
  );

export interface ComplaintList {
  complaints: Complaint[];
  /** All matching complaints, of which at most LIST_LIMIT are listed. */
  total: number;
}

/**
 * open and overdue: oldest first (the most urgent); mine (owned or opened by `personId`): newest first, resolved
 * ones included. With `chat`, only the complaints opened in that chat; without it, every chat's.
 */
export async function listComplaints(
  db: Db,
  input: {
    filter: ComplaintFilter;
    personId: number;
    now: Date;
    chat?: { platform: string; chatId: string };
  },
): Promise<ComplaintList> {
  const { chat } = input;
  const where = and(
    {
      open: ne(complaints.status, "resolved"),
      overdue: overdueAt(input.now),
      mine: or(eq(complaints.ownerId, input.personId), eq(complaints.createdBy, input.personId)),
    }[input.filter],
    chat ? and(eq(complaints.platform, chat.platform), eq(complaints.chatId, chat.chatId)) : undefined,
  );
  const order =
    input.filter === "mine"
      ? [desc(complaints.receivedAt), desc(complaints.id)]
      : [asc(complaints.receivedAt), asc(complaints.id)];
  const [rows, [counted]] = await Promise.all([
    selectComplaints(db)
      .where(where)
      .orderBy(...order)
      .limit(LIST_LIMIT),
    db.select({ total: sql<number>`count(*)::int` }).from(complaints).where(where),
  ]);
  return { complaints: rows.map(toComplaint), total: counted?.total ?? 0 };
}

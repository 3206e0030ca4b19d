// The roster: a post's need and its assigned people for one day, each change audited.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { rosterPosts } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import { isShort, requiredWithSpare } from "./spare.ts";

export interface RosterPost {
  day: LocalDate;
  post: string;
  need: number;
  required: number;
  assigned: string[];
  short: boolean;
}

type Change = { need: number } | { assigned: string[] };

const toPost = (row: typeof rosterPosts.$inferSelect): RosterPost => ({
  day: row.day,
  post: row.post,
  need: row.need,
  required: requiredWithSpare(row.need),
  assigned: row.assigned,
  short: isShort(row.need, row.assigned.length),
});

/** Sets a post's need or its people for a day (the other stays as it was); returns the post as it stands. */
export async function changeRosterPost(
  db: Db,
  actor: Actor,
  day: LocalDate,
  post: string,
  change: Change,
): Promise<RosterPost> {
  return db.transaction(async (tx) => {
    const key = and(eq(rosterPosts.day, day), eq(rosterPosts.post, post));
    const [previous] = await tx.select().from(rosterPosts).where(key).for("update");
    const next = {
      day,
      post,
      need: "need" in change ? change.need : (previous?.need ?? 0),
      assigned: "assigned" in change ? change.assigned : (previous?.assigned ?? []),
      updatedAt: actor.at,
    };
    if (previous) await tx.update(rosterPosts).set(next).where(key);
    else await tx.insert(rosterPosts).values(next);
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "roster_post",
      entityId: `${day}:${post}`,
      action: "need" in change ? "set_need" : "assign",
      before: previous ? { need: previous.need, assigned: previous.assigned } : null,
      after: { need: next.need, assigned: next.assigned },
    });
    return toPost({ ...next });
  });
}

export async function rosterOf(db: Db, day: LocalDate): Promise<RosterPost[]> {
  const rows = await db
    .select()
    .from(rosterPosts)
    .where(eq(rosterPosts.day, day))
    .orderBy(asc(rosterPosts.post));
  return rows.map(toPost);
}

// Reading meetings: one by number, with its attendees typed.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { meetings } from "../../db/schema/index.ts";

export type MeetingRow = typeof meetings.$inferSelect;
export type MeetingKind = "special" | "review" | "topic";

export interface Attendee {
  personId: number;
  name: string;
}

export interface Meeting extends Omit<MeetingRow, "attendees" | "kind"> {
  kind: MeetingKind;
  attendees: Attendee[];
}

export const toMeeting = (row: MeetingRow): Meeting => ({
  ...row,
  kind: row.kind as MeetingKind,
  attendees: row.attendees as Attendee[],
});

export async function findMeeting(db: Db, number: string): Promise<Meeting | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.number, number));
  return row ? toMeeting(row) : undefined;
}

// A day in the life for the digest: what happened on Tue 11-24 and Wed 11-25, read at 09:00 on Thu 2026-11-26.
import { eq } from "drizzle-orm";
import type { Db } from "../../../src/db/database.ts";
import { complaints, people } from "../../../src/db/schema/index.ts";
import {
  insertComplaints,
  insertInspections,
  insertOrders,
  insertPerson,
  shanghai,
} from "../kpi/kpi-fixture.ts";

/** The digest tick: Thursday 2026-11-26 09:00 in Asia/Shanghai. */
export const DIGEST_AT = shanghai("2026-11-26T09:00");

/** Inserts the scenario; returns the person who took everything (王伟), for subscribing groups. */
export async function insertDigestScenario(db: Db): Promise<number> {
  const wang = await insertPerson(db);
  await insertOrders(db, wang, [
    // Received yesterday, due yesterday, done yesterday: on time.
    {
      number: "O-A",
      status: "completed",
      created: "2026-11-25T10:00",
      originalDue: "2026-11-25",
      completed: "2026-11-25T16:00",
    },
    // Received yesterday, due yesterday, still open: late, overdue now, 1 day late.
    { number: "O-B", status: "confirmed", created: "2026-11-25T11:00", originalDue: "2026-11-25" },
    // Received the day before, due next week.
    { number: "O-C", status: "confirmed", created: "2026-11-24T09:00", originalDue: "2026-11-30" },
    // Due 11-18 and still open: 8 days late, an escalation, the most urgent item.
    { number: "O-D", status: "confirmed", created: "2026-11-10T09:00", originalDue: "2026-11-18" },
    // A draft counts nowhere.
    { number: "O-E", status: "draft", created: "2026-11-25T12:00", originalDue: "2026-11-27" },
    // Received, due and done the day before: on time then.
    {
      number: "O-F",
      status: "completed",
      created: "2026-11-24T10:00",
      originalDue: "2026-11-24",
      completed: "2026-11-24T15:00",
    },
    // Received yesterday, due next week.
    { number: "O-G", status: "confirmed", created: "2026-11-25T13:00", originalDue: "2026-12-01" },
    // Due today and open: counted in month to date as not yet due.
    { number: "O-H", status: "confirmed", created: "2026-11-20T09:00", originalDue: "2026-11-26" },
  ]);
  await insertComplaints(db, wang, [
    // Opened yesterday, answered at once; resolution due Mon 11-30 10:00.
    {
      number: "C-A",
      received: "2026-11-25T10:00",
      responseDue: "2026-11-26T10:00",
      responded: "2026-11-25T11:00",
      resolutionDue: "2026-11-30T10:00",
    },
    // Opened yesterday, not answered yet: first response due today 15:00 (owner 李娜).
    {
      number: "C-B",
      received: "2026-11-25T15:00",
      responseDue: "2026-11-26T15:00",
      resolutionDue: "2026-11-30T15:00",
    },
    // Opened the day before; answered an hour after its deadline (yesterday); resolution due tomorrow 08:00.
    {
      number: "C-C",
      received: "2026-11-24T08:00",
      responseDue: "2026-11-25T08:00",
      responded: "2026-11-25T09:00",
      resolutionDue: "2026-11-27T08:00",
    },
    // Answered in time (deadline the day before), resolved, scored 5 yesterday.
    {
      number: "C-D",
      received: "2026-11-23T09:00",
      responseDue: "2026-11-24T09:00",
      responded: "2026-11-23T10:00",
      resolutionDue: "2026-11-26T09:00",
      resolved: "2026-11-24T17:00",
      score: 5,
      rated: "2026-11-25T10:00",
    },
    // Resolved before its deadline (yesterday 09:00), scored 3 yesterday.
    {
      number: "C-E",
      received: "2026-11-20T09:00",
      responseDue: "2026-11-21T09:00",
      responded: "2026-11-20T10:00",
      resolutionDue: "2026-11-25T09:00",
      resolved: "2026-11-25T08:00",
      score: 3,
      rated: "2026-11-25T11:00",
    },
    // Resolved an hour late (deadline the day before), scored 4 the day before.
    {
      number: "C-F",
      received: "2026-11-19T09:00",
      responseDue: "2026-11-20T09:00",
      responded: "2026-11-19T10:00",
      resolutionDue: "2026-11-24T09:00",
      resolved: "2026-11-24T10:00",
      score: 4,
      rated: "2026-11-24T12:00",
    },
    // Opened this morning: the sixth most urgent item, one too many for the list.
    {
      number: "C-H",
      received: "2026-11-26T08:30",
      responseDue: "2026-11-27T08:30",
      resolutionDue: "2026-12-01T08:30",
    },
  ]);
  const [li] = await db
    .insert(people)
    .values({ displayName: "李娜", createdAt: shanghai("2026-10-01T09:00") })
    .returning({ id: people.id });
  await db
    .update(complaints)
    .set({ ownerId: li?.id ?? null })
    .where(eq(complaints.number, "C-B"));

  await insertInspections(db, wang, [
    { number: "I-1", area: "warehouse", submitted: "2026-11-24T09:30" },
    { number: "I-2", area: "warehouse", submitted: "2026-11-25T09:30" },
    { number: "I-3", area: "production", submitted: "2026-11-25T10:30", findings: ["2026-11-25T10:30"] },
  ]);
  return wang;
}

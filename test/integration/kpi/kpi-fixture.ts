// Hand-made KPI data: orders, complaints, inspections and findings at chosen Shanghai times, inserted directly.
import { eq } from "drizzle-orm";
import type { Db } from "../../../src/db/database.ts";
import {
  complaints,
  findings,
  inspectionAreas,
  inspectionItems,
  inspections,
  orders,
  people,
} from "../../../src/db/schema/index.ts";

/** "Now" of the fixture: Thursday 2026-11-26 15:00 in Asia/Shanghai (07:00 UTC). */
export const FIXTURE_NOW = new Date("2026-11-26T07:00:00Z");
export const TIMEZONE = "Asia/Shanghai";

/** A Shanghai wall-clock time ("2026-11-26T10:00" or with seconds) as an instant. */
export const shanghai = (local: string): Date =>
  new Date(`${local}${local.length === 16 ? ":00" : ""}+08:00`);

export async function insertPerson(db: Db): Promise<number> {
  const [person] = await db
    .insert(people)
    .values({ displayName: "王伟", createdAt: shanghai("2026-10-01T09:00") })
    .returning({ id: people.id });
  if (!person) throw new Error("no person");
  return person.id;
}

interface OrderSpec {
  number: string;
  status: "draft" | "confirmed" | "completed" | "cancelled";
  created: string;
  originalDue: string;
  /** The due date now in force, when a delay moved it. */
  due?: string;
  completed?: string;
}

export async function insertOrders(db: Db, createdBy: number, specs: OrderSpec[]): Promise<void> {
  await db.insert(orders).values(
    specs.map((spec) => ({
      number: spec.number,
      customer: "华为",
      model: "X1",
      quantity: 10,
      dueDate: spec.due ?? spec.originalDue,
      originalDueDate: spec.originalDue,
      status: spec.status,
      delayCount: spec.due ? 1 : 0,
      platform: "lark",
      chatId: "oc_kpi",
      createdBy,
      createdAt: shanghai(spec.created),
      completedAt: spec.completed ? shanghai(spec.completed) : null,
      completedBy: spec.completed ? createdBy : null,
    })),
  );
}

interface ComplaintSpec {
  number: string;
  received: string;
  responseDue: string;
  responded?: string;
  resolutionDue: string;
  resolved?: string;
  score?: number;
  rated?: string;
}

export async function insertComplaints(db: Db, createdBy: number, specs: ComplaintSpec[]): Promise<void> {
  await db.insert(complaints).values(
    specs.map((spec) => ({
      number: spec.number,
      customer: "小米",
      description: "包装破损",
      status: spec.resolved ? "resolved" : spec.responded ? "responded" : "open",
      receivedAt: shanghai(spec.received),
      responseDueAt: shanghai(spec.responseDue),
      respondedAt: spec.responded ? shanghai(spec.responded) : null,
      resolutionDueAt: shanghai(spec.resolutionDue),
      resolvedAt: spec.resolved ? shanghai(spec.resolved) : null,
      satisfaction: spec.score ?? null,
      ratedAt: spec.rated ? shanghai(spec.rated) : null,
      platform: "lark",
      chatId: "oc_kpi",
      createdBy,
    })),
  );
}

interface InspectionSpec {
  number: string;
  area: "warehouse" | "production" | "office";
  submitted: string;
  /** Local times of the findings it raised. */
  findings?: string[];
}

export async function insertInspections(db: Db, submittedBy: number, specs: InspectionSpec[]): Promise<void> {
  const areas = await db.select().from(inspectionAreas);
  const [item] = await db.select().from(inspectionItems).limit(1);
  if (!item) throw new Error("no seeded checklist item");
  for (const spec of specs) {
    const area = areas.find((candidate) => candidate.code === spec.area);
    if (!area) throw new Error(`no seeded area ${spec.area}`);
    const [row] = await db
      .insert(inspections)
      .values({
        number: spec.number,
        areaId: area.id,
        submittedBy,
        submittedAt: shanghai(spec.submitted),
        findingCount: spec.findings?.length ?? 0,
        platform: "lark",
        chatId: "oc_kpi",
      })
      .returning({ id: inspections.id });
    for (const created of spec.findings ?? []) {
      await db.insert(findings).values({
        inspectionId: row?.id ?? 0,
        itemId: item.id,
        itemCode: item.code,
        value: "30",
        safety: false,
        createdAt: shanghai(created),
      });
    }
  }
}

export async function setAreaActive(db: Db, code: string, active: boolean): Promise<void> {
  await db.update(inspectionAreas).set({ active }).where(eq(inspectionAreas.code, code));
}

/**
 * The whole scenario; the expected numbers for today (Thu 11-26), its ISO week (11-23 – 11-29), November,
 * yesterday and month to date are worked out by hand in compute-kpis.test.ts next to each row's purpose.
 */
export async function insertKpiFixture(db: Db): Promise<void> {
  const person = await insertPerson(db);
  await insertOrders(db, person, [
    // Due today and done today: on time.
    {
      number: "O-1",
      status: "completed",
      created: "2026-11-26T09:00",
      originalDue: "2026-11-26",
      completed: "2026-11-26T14:00",
    },
    // Due today, still open at 15:00: counted, not yet due.
    { number: "O-2", status: "confirmed", created: "2026-11-26T10:00", originalDue: "2026-11-26" },
    // A draft and a cancelled order count nowhere.
    { number: "O-3", status: "draft", created: "2026-11-26T11:00", originalDue: "2026-11-26" },
    { number: "O-4", status: "cancelled", created: "2026-11-26T08:00", originalDue: "2026-11-26" },
    // Delayed from 11-18 to Friday 11-27: counts under its ORIGINAL date (November, not this week), 8 days late.
    {
      number: "O-5",
      status: "confirmed",
      created: "2026-11-10T10:00",
      originalDue: "2026-11-18",
      due: "2026-11-27",
    },
    // Created 00:30 on 11-01 (still October in UTC); completed 01:00 today (11-25 in UTC): 6 days late.
    {
      number: "O-6",
      status: "completed",
      created: "2026-11-01T00:30",
      originalDue: "2026-11-20",
      completed: "2026-11-26T01:00",
    },
    // Completed exactly 5 days late: not "more than 5".
    {
      number: "O-7",
      status: "completed",
      created: "2026-11-05T10:00",
      originalDue: "2026-11-19",
      completed: "2026-11-24T20:00",
    },
    // Completed at 23:59 of its due date: on time.
    {
      number: "O-8",
      status: "completed",
      created: "2026-11-23T09:00",
      originalDue: "2026-11-24",
      completed: "2026-11-24T23:59",
    },
    // Completed 30 s after its due date ended (still the due date in UTC): late.
    {
      number: "O-9",
      status: "completed",
      created: "2026-11-02T10:00",
      originalDue: "2026-11-23",
      completed: "2026-11-24T00:00:30",
    },
    // Open and past due: overdue now, 2 days late.
    { number: "O-10", status: "confirmed", created: "2026-11-15T10:00", originalDue: "2026-11-24" },
    // Due Saturday of this week, still open: not yet due.
    { number: "O-11", status: "confirmed", created: "2026-11-20T10:00", originalDue: "2026-11-28" },
    // An old escalation: overdue and 42 days late, in no window's on-time count.
    { number: "O-12", status: "confirmed", created: "2026-10-01T10:00", originalDue: "2026-10-15" },
    // Completed 23:30 on 10-31, 30 days late: outside November.
    {
      number: "O-13",
      status: "completed",
      created: "2026-09-25T10:00",
      originalDue: "2026-10-01",
      completed: "2026-10-31T23:30",
    },
    // Due 11-30, done early on 11-25.
    {
      number: "O-14",
      status: "completed",
      created: "2026-11-22T10:00",
      originalDue: "2026-11-30",
      completed: "2026-11-25T10:00",
    },
    // Due 11-03, done 00:30 on 11-01 (October in UTC).
    {
      number: "O-15",
      status: "completed",
      created: "2026-10-28T10:00",
      originalDue: "2026-11-03",
      completed: "2026-11-01T00:30",
    },
    // Due 11-02, completed 11-10: 8 days late, in November only.
    {
      number: "O-16",
      status: "completed",
      created: "2026-10-20T10:00",
      originalDue: "2026-11-02",
      completed: "2026-11-10T12:00",
    },
  ]);
  await insertComplaints(db, person, [
    // Opened today; response deadline tomorrow (this week), met; resolution deadline in December.
    {
      number: "C-1",
      received: "2026-11-26T09:00",
      responseDue: "2026-11-27T09:00",
      responded: "2026-11-26T10:00",
      resolutionDue: "2026-12-01T09:00",
    },
    // Response due 16:00 today, not yet answered at 15:00; resolution due 11-30.
    {
      number: "C-2",
      received: "2026-11-25T16:00",
      responseDue: "2026-11-26T16:00",
      resolutionDue: "2026-11-30T16:00",
    },
    // Answered exactly at its deadline (met), resolved in time, rated 5 today.
    {
      number: "C-3",
      received: "2026-11-25T08:00",
      responseDue: "2026-11-26T08:00",
      responded: "2026-11-26T08:00",
      resolutionDue: "2026-11-28T08:00",
      resolved: "2026-11-26T12:00",
      score: 5,
      rated: "2026-11-26T13:00",
    },
    // Answered an hour late; resolved in time; rated 3 today.
    {
      number: "C-4",
      received: "2026-11-24T10:00",
      responseDue: "2026-11-25T10:00",
      responded: "2026-11-25T11:00",
      resolutionDue: "2026-11-27T10:00",
      resolved: "2026-11-26T09:00",
      score: 3,
      rated: "2026-11-26T10:00",
    },
    // Resolved one second late; rated 4 yesterday.
    {
      number: "C-5",
      received: "2026-11-20T10:00",
      responseDue: "2026-11-21T10:00",
      responded: "2026-11-20T11:00",
      resolutionDue: "2026-11-25T10:00",
      resolved: "2026-11-25T10:00:01",
      score: 4,
      rated: "2026-11-25T12:00",
    },
    // October complaint resolved in November, rated 2 in November.
    {
      number: "C-6",
      received: "2026-10-30T10:00",
      responseDue: "2026-10-31T10:00",
      responded: "2026-10-30T12:00",
      resolutionDue: "2026-11-04T10:00",
      resolved: "2026-11-03T10:00",
      score: 2,
      rated: "2026-11-05T10:00",
    },
    // Opened 00:10 today (yesterday in UTC); both deadlines just after a local midnight.
    {
      number: "C-7",
      received: "2026-11-26T00:10",
      responseDue: "2026-11-27T00:10",
      resolutionDue: "2026-12-01T00:10",
    },
    // Never answered; resolution due 09:00 today, missed.
    {
      number: "C-8",
      received: "2026-11-23T09:00",
      responseDue: "2026-11-24T09:00",
      resolutionDue: "2026-11-26T09:00",
    },
    // Early November, all in time, rated 5.
    {
      number: "C-9",
      received: "2026-11-02T10:00",
      responseDue: "2026-11-03T10:00",
      responded: "2026-11-02T11:00",
      resolutionDue: "2026-11-05T10:00",
      resolved: "2026-11-04T10:00",
      score: 5,
      rated: "2026-11-06T10:00",
    },
  ]);
  await setAreaActive(db, "office", false);
  await insertInspections(db, person, [
    { number: "I-1", area: "warehouse", submitted: "2026-11-26T09:00", findings: ["2026-11-26T09:00"] },
    // A second warehouse round the same day is still one area-day.
    { number: "I-2", area: "warehouse", submitted: "2026-11-26T11:00" },
    // 00:05 today (yesterday in UTC).
    { number: "I-3", area: "production", submitted: "2026-11-26T00:05", findings: ["2026-11-26T00:05"] },
    // The office is inactive: neither due nor done.
    { number: "I-4", area: "office", submitted: "2026-11-26T09:30" },
    { number: "I-5", area: "warehouse", submitted: "2026-11-24T09:00", findings: ["2026-11-24T09:00"] },
    // Sunday: not a working day; done, and the day is not due.
    { number: "I-6", area: "production", submitted: "2026-11-22T10:00" },
    { number: "I-7", area: "warehouse", submitted: "2026-11-03T09:00" },
    // 23:50 on 10-31: October.
    { number: "I-8", area: "production", submitted: "2026-10-31T23:50", findings: ["2026-10-31T23:50"] },
  ]);
}

// The provisional-deadlines job: an open provisional deadline follows the calendar once its days are decided.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, complaints } from "../../../src/db/schema/index.ts";
import { setCalendarOverride } from "../../../src/domain/calendar/overrides-repository.ts";
import { provisionalDeadlinesJob } from "../../../src/jobs/provisional-deadlines.ts";
import { findJob } from "../../../src/jobs/registry.ts";
import { runJob } from "../../../src/jobs/run-job.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { jobContextAt } from "../../helpers/job-context.ts";
import { complaintReceived, person } from "../alerts/support.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

const contextAt = (tick: Date) => jobContextAt(database, tick, { OPS_TIMEZONE: "Asia/Shanghai" });

const runAt = (tick: Date) =>
  runJob(contextAt(tick), provisionalDeadlinesJob, { trigger: "manual", by: "test", finishedAt: () => tick });

describe("provisional-deadlines", () => {
  it("is in the job registry", () => {
    expect(findJob("provisional-deadlines")).toBe(provisionalDeadlinesJob);
  });

  it("moves an open provisional deadline when the calendar now decides a day differently, audited by the system", async () => {
    const staff = await person(database, "ou_wang", "王伟");
    const number = "C-20270204-001";
    await complaintReceived(database, number, new Date("2027-02-04T10:00:00+08:00"), staff);
    const tick = new Date("2027-02-04T03:00:00Z");
    expect((await runAt(tick)).summary).toBe("no provisional deadline moved");

    // Written without /calendar set (as newer data would decide it): 02-11 off.
    await setCalendarOverride(database.db, { day: "2027-02-11", kind: "off", by: null, now: tick });
    expect((await runAt(tick)).summary).toBe(`1 provisional deadlines moved: ${number}`);
    const [row] = await database.db.select().from(complaints).where(eq(complaints.number, number));
    expect(row).toMatchObject({
      resolutionDueAt: new Date("2027-02-16T02:00:00Z"),
      resolutionDueMovedFrom: new Date("2027-02-15T02:00:00Z"),
    });
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "complaint.deadline_moved"));
    expect(audits).toEqual([expect.objectContaining({ entityId: number, actorPersonId: null })]);
    expect((await runAt(tick)).summary).toBe("no provisional deadline moved");
  });
});

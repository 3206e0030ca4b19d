// Maintenance: each service due within a week gets one task for its owner, an overdue service is alerted
// (on a working day, on the make-up Saturday 2026-10-10, held over the holiday 2026-10-01) and cleared when done.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { alerts, auditLog, tasks } from "../../../src/db/schema/index.ts";
import {
  addEquipment,
  MaintenanceRefused,
  recordService,
  scheduleMaintenance,
} from "../../../src/domain/maintenance/equipment.ts";
import { larkActor, useAlertArea } from "../../helpers/alert-area.ts";
import { keysOf, local, person, TIMEZONE } from "../alerts/support.ts";

const t = useAlertArea({ start: local("2026-09-01", "08:00") });
let manager: number;
let mechanic: number;

const actorAt = larkActor("equipment", { personId: () => manager, name: "经理", roles: ["manager"] });
const add = (at: Date, code: string, everyDays: number, lastService: string, ownerPersonId?: number) =>
  addEquipment(
    t.database.db,
    actorAt(at),
    { code, name: "数控机床", everyDays, lastService, ownerPersonId },
    TIMEZONE,
  );
const serviceTasks = () => t.database.db.select().from(tasks).where(eq(tasks.sourceType, "equipment"));
const maintenanceKeys = () => keysOf(t.sent).filter((key) => key.startsWith("alert:maintenance"));

beforeEach(async () => {
  manager = await person(t.database, "ou_manager", "经理", true);
  mechanic = await person(t.database, "ou_mechanic", "机修");
});

describe("service tasks a week ahead", () => {
  it("gives a service due within 7 days its task at once, to the @owner, and only one per due date", async () => {
    const added = await add(local("2026-11-25", "09:00"), "cnc-1", 30, "2026-11-01", mechanic);
    expect(added.nextDue).toBe("2026-12-01");
    expect(added.task?.ownerName).toBe("机修");
    const [task] = await serviceTasks();
    expect(task).toMatchObject({ ownerId: mechanic, dueDate: "2026-12-01", sourceId: "CNC-1:2026-12-01" });
    expect(await scheduleMaintenance(t.database.db, local("2026-11-26", "09:00"), TIMEZONE)).toBe(0);
    expect(await serviceTasks()).toHaveLength(1);
  });

  it("marks the open task of the service done when the service is recorded, audited as the task's change", async () => {
    await add(local("2026-11-25", "09:00"), "CNC-1", 30, "2026-11-01", mechanic);
    const [open] = await serviceTasks();
    expect(open?.status).toBe("open");
    await recordService(t.database.db, actorAt(local("2026-11-26", "15:00")), "cnc-1", TIMEZONE);
    const [done] = await serviceTasks();
    expect(done).toMatchObject({ id: open?.id, status: "done", doneBy: manager, remindAt: null });
    expect(done?.doneAt).toEqual(local("2026-11-26", "15:00"));
    const audited = await t.database.db.select().from(auditLog).where(eq(auditLog.entityType, "task"));
    expect(audited.map((row) => [row.entityId, row.action])).toEqual([
      [open?.number, "task.created"],
      [open?.number, "task.done"],
    ]);
    // The next service, 30 days on, has no task yet.
    expect(await serviceTasks()).toHaveLength(1);
  });

  it("creates the task of a later service on the day it comes within 7 days, owned by whoever added it", async () => {
    const added = await add(local("2026-11-25", "09:00"), "PRESS-2", 30, "2026-11-20");
    expect(added.task).toBeUndefined();
    expect(await scheduleMaintenance(t.database.db, local("2026-12-12", "23:59"), TIMEZONE)).toBe(0);
    expect(await scheduleMaintenance(t.database.db, local("2026-12-13", "00:00"), TIMEZONE)).toBe(1);
    expect(await scheduleMaintenance(t.database.db, local("2026-12-13", "00:05"), TIMEZONE)).toBe(0);
    const [task] = await serviceTasks();
    expect(task).toMatchObject({ ownerId: manager, dueDate: "2026-12-20" });
  });

  it("refuses a duplicate and a last service in the future, changing nothing", async () => {
    await add(local("2026-11-25", "09:00"), "CNC-1", 30, "2026-11-20");
    await expect(add(local("2026-11-25", "09:01"), "cnc-1", 10, "2026-11-20")).rejects.toBeInstanceOf(
      MaintenanceRefused,
    );
    await expect(add(local("2026-11-25", "09:02"), "CNC-9", 10, "2026-11-26")).rejects.toMatchObject({
      refusal: { kind: "last_service_in_future" },
    });
    const audited = await t.database.db.select().from(auditLog).where(eq(auditLog.entityType, "equipment"));
    expect(audited.map((row) => row.action)).toEqual(["equipment.added"]);
  });
});

describe("overdue service alerts", () => {
  it("alerts an overdue service on a working day and clears it once the service is recorded", async () => {
    await add(local("2026-11-25", "09:00"), "CNC-1", 30, "2026-10-25");
    await t.bot.sweep(local("2026-11-25", "09:01"));
    expect(maintenanceKeys()).toEqual(["alert:maintenance:CNC-1:2026-11-24:overdue:0:lark:oc_alerts"]);
    const done = await recordService(t.database.db, actorAt(local("2026-11-25", "10:00")), "cnc-1", TIMEZONE);
    expect(done.nextDue).toBe("2026-12-25");
    expect((await t.bot.sweep(local("2026-11-25", "10:01"))).cleared).toBe(1);
    const [closed] = await t.database.db.select().from(alerts).where(eq(alerts.kind, "maintenance"));
    expect(closed?.closedReason).toBe("cleared");
  });

  it("goes out at once on the make-up Saturday 2026-10-10", async () => {
    await add(local("2026-10-10", "09:00"), "CNC-1", 10, "2026-09-29");
    await t.bot.sweep(local("2026-10-10", "09:01"));
    expect(maintenanceKeys()).toEqual(["alert:maintenance:CNC-1:2026-10-09:overdue:0:lark:oc_alerts"]);
  });

  it("waits over the holiday 2026-10-01 for the next working day", async () => {
    await add(local("2026-10-01", "09:00"), "CNC-1", 10, "2026-09-20");
    await t.bot.sweep(local("2026-10-01", "09:01"));
    expect(maintenanceKeys()).toEqual([]);
    await t.bot.sweep(local("2026-10-08", "08:00"));
    expect(maintenanceKeys()).toEqual(["alert:maintenance:CNC-1:2026-09-30:overdue:0:lark:oc_alerts"]);
  });
});

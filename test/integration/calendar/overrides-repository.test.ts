// calendar_overrides against the real database: set, replace, load, remove, and a calendar built from it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { people } from "../../../src/db/schema/index.ts";
import {
  loadCalendarOverrides,
  removeCalendarOverride,
  setCalendarOverride,
} from "../../../src/domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";

const T0 = new Date("2026-11-01T01:00:00Z");
const T1 = new Date("2026-11-02T01:00:00Z");

let database: TestDatabase;
let adminId: number;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

beforeEach(async () => {
  await truncateAll(database);
  const [admin] = await database.db
    .insert(people)
    .values({ displayName: "Admin", createdAt: T0 })
    .returning({ id: people.id });
  adminId = admin?.id ?? Number.NaN;
});

describe("calendar overrides repository", () => {
  it("starts empty", async () => {
    expect(await loadCalendarOverrides(database.db)).toEqual(new Map());
  });

  it("sets an override and loads it as the calendar's map", async () => {
    const change = await setCalendarOverride(database.db, {
      day: "2026-11-24",
      kind: "off",
      note: "company outing",
      by: adminId,
      now: T0,
    });
    expect(change).toEqual({
      before: null,
      after: { day: "2026-11-24", kind: "off", note: "company outing", createdBy: adminId, createdAt: T0 },
    });
    await setCalendarOverride(database.db, { day: "2026-11-22", kind: "work", by: null, now: T0 });
    expect(await loadCalendarOverrides(database.db)).toEqual(
      new Map([
        ["2026-11-24", "off"],
        ["2026-11-22", "work"],
      ]),
    );
  });

  it("replaces a day's override and reports what it replaced", async () => {
    await setCalendarOverride(database.db, {
      day: "2026-11-24",
      kind: "off",
      note: "outing",
      by: adminId,
      now: T0,
    });
    const change = await setCalendarOverride(database.db, {
      day: "2026-11-24",
      kind: "work",
      note: "outing cancelled",
      by: null,
      now: T1,
    });
    expect(change.before).toEqual({
      day: "2026-11-24",
      kind: "off",
      note: "outing",
      createdBy: adminId,
      createdAt: T0,
    });
    expect(change.after).toEqual({
      day: "2026-11-24",
      kind: "work",
      note: "outing cancelled",
      createdBy: null,
      createdAt: T1,
    });
    expect(await loadCalendarOverrides(database.db)).toEqual(new Map([["2026-11-24", "work"]]));
  });

  it("removes an override, returning it, and returns null when there is none", async () => {
    await setCalendarOverride(database.db, { day: "2026-11-24", kind: "off", by: adminId, now: T0 });
    expect(await removeCalendarOverride(database.db, "2026-11-24")).toEqual({
      day: "2026-11-24",
      kind: "off",
      note: null,
      createdBy: adminId,
      createdAt: T0,
    });
    expect(await removeCalendarOverride(database.db, "2026-11-24")).toBeNull();
    expect(await loadCalendarOverrides(database.db)).toEqual(new Map());
  });

  it("rejects a malformed day or kind before touching the table", async () => {
    await expect(
      setCalendarOverride(database.db, { day: "2026-11-31", kind: "off", by: null, now: T0 }),
    ).rejects.toThrow(RangeError);
    await expect(
      setCalendarOverride(database.db, {
        day: "2026-11-24",
        kind: "holiday" as unknown as "off",
        by: null,
        now: T0,
      }),
    ).rejects.toThrow(RangeError);
    await expect(removeCalendarOverride(database.db, "tomorrow")).rejects.toThrow(RangeError);
    expect(await loadCalendarOverrides(database.db)).toEqual(new Map());
  });

  it("works inside a caller's transaction, which can roll it back (e.g. when the audit write fails)", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await setCalendarOverride(tx, { day: "2026-11-24", kind: "off", by: adminId, now: T0 });
        throw new Error("audit write failed");
      }),
    ).rejects.toThrow("audit write failed");
    expect(await loadCalendarOverrides(database.db)).toEqual(new Map());
  });

  it("builds a calendar whose deadlines follow the stored overrides", async () => {
    const received = new Date("2026-11-20T11:30:00Z"); // Fri 19:30 in Shanghai
    const dueWith = async () =>
      createWorkingCalendar({
        timezone: "Asia/Shanghai",
        overrides: await loadCalendarOverrides(database.db),
      })
        .addWorkingDays(received, 3)
        .due.toISOString();
    expect(await dueWith()).toBe("2026-11-25T11:30:00.000Z");
    await setCalendarOverride(database.db, { day: "2026-11-24", kind: "off", by: adminId, now: T0 });
    expect(await dueWith()).toBe("2026-11-26T11:30:00.000Z");
    await setCalendarOverride(database.db, { day: "2026-11-22", kind: "work", by: adminId, now: T0 });
    expect(await dueWith()).toBe("2026-11-25T11:30:00.000Z");
  });
});

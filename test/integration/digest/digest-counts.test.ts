// The digest's urgent list and its inspection counts on the edges: an escalated order a delay moved ahead,
// today's inspections before and after their cut-off, and inspections done on a day off.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import { computeDigest } from "../../../src/domain/digest/content.ts";
import { urgentItems } from "../../../src/domain/digest/urgent-items.ts";
import { computeKpis } from "../../../src/domain/kpi/compute.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import {
  insertInspections,
  insertOrders,
  insertPerson,
  setAreaActive,
  shanghai,
  TIMEZONE,
} from "../kpi/kpi-fixture.ts";

let database: TestDatabase;
const calendar = createWorkingCalendar({ timezone: TIMEZONE });

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await truncateAll(database);
  await setAreaActive(database.db, "office", true);
});

describe("the most urgent items", () => {
  it("list an order more than 5 days past its original due date even after a delay moved its due date ahead", async () => {
    const person = await insertPerson(database.db);
    await insertOrders(database.db, person, [
      // 8 days past its original date, delayed to next month: the sweep escalates it, the digest counts it.
      {
        number: "O-ESC",
        status: "confirmed",
        created: "2026-11-10T09:00",
        originalDue: "2026-11-18",
        due: "2026-12-10",
      },
      // 2 days past its original date, delayed ahead: neither overdue nor an escalation.
      {
        number: "O-MOVED",
        status: "confirmed",
        created: "2026-11-20T09:00",
        originalDue: "2026-11-24",
        due: "2026-12-10",
      },
      // Exactly 5 days past: not yet "more than 5".
      {
        number: "O-FIVE",
        status: "confirmed",
        created: "2026-11-10T09:00",
        originalDue: "2026-11-21",
        due: "2026-12-10",
      },
    ]);
    const now = shanghai("2026-11-26T09:00");
    const urgent = await urgentItems(database.db, { now, timezone: TIMEZONE });
    expect(urgent.map((item) => [item.number, item.kind === "order" ? item.daysLate : null])).toEqual([
      ["O-ESC", 8],
    ]);
    const digest = await computeDigest(database.db, { now, timezone: TIMEZONE, calendar });
    expect(digest.yesterday.orders.delayedOverFiveDays).toBe(1);
    expect(digest.urgent.map((item) => item.number)).toEqual(["O-ESC"]);
  });
});

describe("inspections due today", () => {
  const today = (local: string) =>
    computeKpis(database.db, { window: "today", timezone: TIMEZONE, now: shanghai(local), calendar });

  it("are due only once their area's cut-off has passed; one done before it counts as done", async () => {
    const person = await insertPerson(database.db);
    await insertInspections(database.db, person, [
      { number: "I-W", area: "warehouse", submitted: "2026-11-26T08:30" },
    ]);
    // Thursday 09:00: every cut-off (10:00) is ahead, nothing is due yet.
    expect((await today("2026-11-26T09:00")).inspections.doneVsDue).toEqual({
      numerator: 1,
      denominator: 0,
      rate: null,
    });
    // 10:00: the three areas are due, one is done.
    expect((await today("2026-11-26T10:00")).inspections.doneVsDue).toMatchObject({
      numerator: 1,
      denominator: 3,
    });
  });

  it("the morning digest does not count today's areas before their cut-off", async () => {
    const digest = await computeDigest(database.db, {
      now: shanghai("2026-11-26T09:00"),
      timezone: TIMEZONE,
      calendar,
    });
    // November 2026 to the 25th: 18 working days × 3 areas; the 26th not yet.
    expect(digest.monthToDate.inspections.doneVsDue.denominator).toBe(54);
  });
});

describe("inspections on a day off", () => {
  it("count as done without making the day due (a weekend, and a holiday in the National Day week)", async () => {
    const person = await insertPerson(database.db);
    await insertInspections(database.db, person, [
      { number: "I-SAT", area: "warehouse", submitted: "2026-11-28T10:00" },
      { number: "I-HOL", area: "production", submitted: "2026-10-02T10:00" },
    ]);
    const week = await computeKpis(database.db, {
      window: { from: "2026-11-23", to: "2026-11-29" },
      timezone: TIMEZONE,
      now: shanghai("2026-11-30T09:00"),
      calendar,
    });
    // Mon–Fri due for 3 areas; the Saturday round is done on top.
    expect(week.inspections.doneVsDue).toMatchObject({ numerator: 1, denominator: 15 });
    const holidayWeek = await computeKpis(database.db, {
      window: { from: "2026-10-01", to: "2026-10-07" },
      timezone: TIMEZONE,
      now: shanghai("2026-11-30T09:00"),
      calendar,
    });
    expect(holidayWeek.inspections.doneVsDue).toEqual({ numerator: 1, denominator: 0, rate: null });
  });
});

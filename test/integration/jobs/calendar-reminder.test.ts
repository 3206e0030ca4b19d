// The calendar-reminder job on a manual clock: weekly from 1 November on a working day, stops once next year is in.
import { asc, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outbox as outboxTable } from "../../../src/db/schema/index.ts";
import { createPublishedChinaCalendar } from "../../../src/domain/calendar/china-holidays.ts";
import { nextYearReminder } from "../../../src/domain/calendar/next-year-reminder.ts";
import { setCalendarOverride } from "../../../src/domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import { subscribe } from "../../../src/domain/subscriptions/subscriptions.ts";
import { calendarReminderJob } from "../../../src/jobs/calendar-reminder.ts";
import { findJob } from "../../../src/jobs/registry.ts";
import { claimTick, runJob } from "../../../src/jobs/run-job.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { createHarness, type Fakes, startFakes } from "../../helpers/e2e-harness.ts";
import { complaintReceived } from "../alerts/support.ts";
import { insertPerson, shanghai } from "../kpi/kpi-fixture.ts";

let database: TestDatabase;
let fakes: Fakes;
let run = 0;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  run++;
});

const chatId = () => `oc_managers_${run}`;

async function subscribeManagers(): Promise<number> {
  const by = await insertPerson(database.db);
  await subscribe(database.db, {
    platform: "lark",
    chat: { id: chatId(), kind: "group" },
    topic: "alerts",
    sendAt: null,
    language: "zh",
    by,
    now: shanghai("2026-09-01T10:00"),
  });
  return by;
}

/** One process ticking the job as its scheduler would, every 5 minutes of a local day's hours given. */
function startInstance(start: Date) {
  const harness = createHarness({ database, fakes, channels: ["lark"], start });
  return {
    async tick(local: string) {
      const tick = shanghai(local);
      harness.clock.set(tick.toISOString());
      const ctx = harness.services.jobContext(tick);
      const id = await claimTick(ctx, calendarReminderJob, "a");
      if (id === undefined) return undefined;
      return runJob(ctx, calendarReminderJob, {
        id,
        trigger: "schedule",
        by: "a",
        finishedAt: harness.clock.now,
      });
    },
  };
}

async function reminderRows() {
  return database.db
    .select()
    .from(outboxTable)
    .where(like(outboxTable.idempotencyKey, "calendar-reminder:%"))
    .orderBy(asc(outboxTable.idempotencyKey));
}

/** Ticks of the job's five-minute schedule across a local day: before, at and after 10:00, and the afternoon. */
const dayTicks = (day: string): string[] =>
  ["08:00", "09:55", "10:00", "10:05", "14:00", "18:00"].map((time) => `${day}T${time}`);

describe("calendar-reminder", () => {
  it("is in the job registry", () => {
    expect(findJob("calendar-reminder")).toBe(calendarReminderJob);
  });

  it("once a week from 1 November on the first working day after 10:00, never in October, nor on a day off", async () => {
    const by = await subscribeManagers();
    await complaintReceived(database, "C-20261230-001", shanghai("2026-12-30T10:00"), by);
    const bot = startInstance(shanghai("2026-10-26T08:00"));
    // Fri 10-30 (October), Sun 11-01 (weekend), Mon 11-02 … Fri 11-06, Mon 11-09, Tue 11-10.
    for (const day of [
      "2026-10-30",
      "2026-11-01",
      "2026-11-02",
      "2026-11-03",
      "2026-11-06",
      "2026-11-09",
      "2026-11-10",
    ])
      for (const tick of dayTicks(day)) await bot.tick(tick);
    const rows = await reminderRows();
    expect(rows.map((row) => row.idempotencyKey)).toEqual([
      `calendar-reminder:lark:${chatId()}:2026-11-02`,
      `calendar-reminder:lark:${chatId()}:2026-11-09`,
    ]);
    expect(rows.map((row) => row.createdAt)).toEqual([
      shanghai("2026-11-02T10:00"),
      shanghai("2026-11-09T10:00"),
    ]);
    expect(fakes.lark.delivered).toHaveLength(2);
    const text = (rows[0]?.message as { text?: string } | undefined)?.text ?? "";
    expect(text).toContain("2027 年的放假安排尚未确认");
    expect(text).toContain("目前有 1 个未解决投诉的期限是暂定的。");
    expect(text).toContain("/日历 设置 2027-01-01 休息 元旦");
    expect(text).toContain("1 open complaint deadline(s) are provisional now.");
  });

  it("skips a week's holiday Monday and goes out on the Tuesday", async () => {
    await subscribeManagers();
    const bot = startInstance(shanghai("2026-11-01T08:00"));
    const at = shanghai("2026-11-01T08:00");
    await setCalendarOverride(database.db, { day: "2026-11-16", kind: "off", by: null, now: at });
    for (const day of ["2026-11-16", "2026-11-17", "2026-11-18"])
      for (const tick of dayTicks(day)) await bot.tick(tick);
    const rows = await reminderRows();
    expect(rows.map((row) => row.idempotencyKey)).toEqual([`calendar-reminder:lark:${chatId()}:2026-11-16`]);
    expect(rows[0]?.createdAt).toEqual(shanghai("2026-11-17T10:00"));
  });

  it("stops once an admin has entered next year's notice", async () => {
    await subscribeManagers();
    const bot = startInstance(shanghai("2026-11-01T08:00"));
    await setCalendarOverride(database.db, {
      day: "2027-02-11",
      kind: "off",
      by: null,
      now: shanghai("2026-11-20T09:00"),
    });
    expect((await bot.tick("2026-11-23T10:00"))?.summary).toBe("2027 was entered with /calendar set");
    expect(await reminderRows()).toEqual([]);
  });

  it("says nothing once the calendar data carries next year (a newer chinese-days)", async () => {
    const newer = createPublishedChinaCalendar({
      holidays: { "2027-01-01": "New Year's Day,元旦,1" },
      workdays: {},
    });
    const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai", published: newer });
    expect(await nextYearReminder(database.db, shanghai("2026-11-23T10:00"), calendar)).toEqual({
      due: false,
      why: "2027 is published",
    });
  });
});

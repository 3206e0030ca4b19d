// The server's own time zone (process TZ) must not change any calendar answer: only OPS_TIMEZONE counts.
//
// How: Node re-reads the zone whenever process.env.TZ is assigned, so each case stubs TZ, checks that the
// process clock really moved (else the test would prove nothing), then imports the calendar modules afresh
// so that even their load-time work runs under that zone. vitest's "forks" pool keeps this inside this file.
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Process zones to try, with the offset Date#getTimezoneOffset must then report for 2026-01-15 12:00 UTC. */
const PROCESS_ZONES = [
  ["UTC", 0],
  ["America/Los_Angeles", 480],
  ["Asia/Shanghai", -480],
  ["Pacific/Kiritimati", -840],
  ["Pacific/Pago_Pago", 660],
] as const;

async function answersUnderProcessZone(zone: string, expectedOffsetMinutes: number) {
  vi.stubEnv("TZ", zone);
  expect(new Date("2026-01-15T12:00:00Z").getTimezoneOffset()).toBe(expectedOffsetMinutes);
  vi.resetModules();
  const { createWorkingCalendar } = await import("../../../src/domain/calendar/working-calendar.ts");
  const { localDateOf, startOfLocalDay } = await import("../../../src/domain/calendar/local-time.ts");
  const shanghai = createWorkingCalendar({ timezone: "Asia/Shanghai" });
  const berlin = createWorkingCalendar({ timezone: "Europe/Berlin" });
  return {
    resolutionDue: shanghai.addWorkingDays(new Date("2026-09-30T02:00:00Z"), 3).due.toISOString(),
    holidayReceiptDue: shanghai.addWorkingDays(new Date("2026-10-03T07:00:00Z"), 3).due.toISOString(),
    makeUpSaturdayDue: shanghai.addWorkingDays(new Date("2026-02-14T02:00:00Z"), 3).due.toISOString(),
    localDateAfterMidnight: localDateOf(new Date("2026-09-30T16:30:00Z"), "Asia/Shanghai"),
    startOfDay: startOfLocalDay("2026-10-08", "Asia/Shanghai").toISOString(),
    days: ["2026-02-14", "2026-10-07", "2026-10-08", "2026-10-10", "2031-01-01"].map((day) => ({
      day,
      working: shanghai.isWorkingDay(day).working,
      provisional: shanghai.isWorkingDay(day).provisional,
    })),
    // The provisional rule reads the lunar calendar and solar terms through the library: same days everywhere.
    provisional2027: ["2027-02-04", "2027-02-05", "2027-02-10", "2027-04-05", "2027-06-09", "2027-09-15"].map(
      (day) => `${day} ${shanghai.isWorkingDay(day).reason}`,
    ),
    alertRepeat: shanghai.addWorkingHours(new Date("2026-09-30T10:00:00Z"), 4).due.toISOString(),
    berlinOverDst: berlin.addWorkingDays(new Date("2026-03-27T09:00:00Z"), 1).due.toISOString(),
  };
}

describe("calendar answers do not depend on the process time zone", () => {
  it.each(PROCESS_ZONES)("gives the same answers with TZ=%s", async (zone, offset) => {
    expect(await answersUnderProcessZone(zone, offset)).toEqual({
      resolutionDue: "2026-10-10T02:00:00.000Z",
      holidayReceiptDue: "2026-10-11T16:00:00.000Z",
      makeUpSaturdayDue: "2026-02-26T02:00:00.000Z",
      localDateAfterMidnight: "2026-10-01",
      startOfDay: "2026-10-07T16:00:00.000Z",
      days: [
        { day: "2026-02-14", working: true, provisional: false },
        { day: "2026-10-07", working: false, provisional: false },
        { day: "2026-10-08", working: true, provisional: false },
        { day: "2026-10-10", working: true, provisional: false },
        { day: "2031-01-01", working: false, provisional: true },
      ],
      provisional2027: [
        "2027-02-04 weekday",
        "2027-02-05 holiday",
        "2027-02-10 in_lieu",
        "2027-04-05 holiday",
        "2027-06-09 holiday",
        "2027-09-15 holiday",
      ],
      alertRepeat: "2026-10-08T02:00:00.000Z",
      berlinOverDst: "2026-03-30T08:00:00.000Z",
    });
  });
});

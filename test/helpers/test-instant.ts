// The instant date-sensitive suites run at: OPS_TEST_NOW (an ISO instant) when set, else a fixed one; never the wall clock.
import type { Clock } from "../../src/clock.ts";
import { instantAt, type LocalDate, localDateOf } from "../../src/domain/calendar/local-time.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";

/** A working Thursday, 10:00 in China. */
const DEFAULT_INSTANT = "2026-11-26T02:00:00Z";
const TIMEZONE = "Asia/Shanghai";

/** The chosen instant; `.ci/run` runs these suites at several (holiday eve, make-up Saturday, year end…). */
export function testInstant(): Date {
  const chosen = process.env.OPS_TEST_NOW || DEFAULT_INSTANT;
  const instant = new Date(chosen);
  if (Number.isNaN(instant.getTime())) throw new Error(`OPS_TEST_NOW is not an ISO instant: ${chosen}`);
  return instant;
}

/** A clock that reads `start` now and moves on with the monotonic clock, for servers that really wait. */
export function clockFrom(start: Date): Clock {
  const origin = performance.now();
  return () => new Date(start.getTime() + (performance.now() - origin));
}

/** `time` ("10:00" as ms of the day) in China on the first working day on or after the instant's date. */
export function workingDayAt(instant: Date, msOfDay: number): Date {
  const calendar = createWorkingCalendar({ timezone: TIMEZONE });
  let day: LocalDate = localDateOf(instant, TIMEZONE);
  if (!calendar.isWorkingDay(day).working) day = calendar.nextWorkingDay(day).day;
  return instantAt(day, msOfDay, TIMEZONE);
}

/** The local date `days` calendar days after the instant, in China. */
export function dateAfter(instant: Date, days: number): LocalDate {
  return localDateOf(new Date(instant.getTime() + days * 86_400_000), TIMEZONE);
}

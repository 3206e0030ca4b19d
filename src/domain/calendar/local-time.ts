// Dates and times of day in a named time zone (OPS_TIMEZONE), from Intl only: never the process's own zone.

/** A calendar date in the business time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (so not 2026-02-30). */
export function isLocalDate(value: string): value is LocalDate {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

export function assertLocalDate(value: string): LocalDate {
  if (!isLocalDate(value))
    throw new RangeError(`not a date in the form YYYY-MM-DD: ${JSON.stringify(value)}`);
  return value;
}

// Dates are handled as whole days since 1970-01-01; UTC here is only arithmetic, not a time zone.
function dayNumber(day: LocalDate): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

function fromDayNumber(days: number): LocalDate {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(day) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: LocalDate): number {
  return ((new Date(dayNumber(day) * DAY_MS).getUTCDay() + 6) % 7) + 1;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError unless the name is an IANA time zone the runtime knows. */
export function assertTimeZone(timeZone: string): string {
  formatterFor(timeZone);
  return timeZone;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(new Date(wholeSeconds));
  const read = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(
    read("year"),
    read("month") - 1,
    read("day"),
    read("hour"),
    read("minute"),
    read("second"),
  );
  return wall - wholeSeconds;
}

/** The wall-clock reading of an instant, as milliseconds on a UTC-like axis. */
function wallClockMs(instant: Date, timeZone: string): number {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new RangeError("invalid Date");
  return epochMs + offsetAt(epochMs, timeZone);
}

/** The local calendar date of an instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return fromDayNumber(Math.floor(wallClockMs(instant, timeZone) / DAY_MS));
}

/** Milliseconds since local midnight as the wall clock shows it (10:30 → 10.5 h, also on DST days). */
export function localTimeOfDay(instant: Date, timeZone: string): number {
  const wall = wallClockMs(instant, timeZone);
  return wall - Math.floor(wall / DAY_MS) * DAY_MS;
}

/**
 * The instant at which the local wall clock reads `day` plus `msOfDay`. Like Temporal's "compatible"
 * disambiguation: a time skipped by a DST jump moves forward by the jump, a repeated time takes the
 * earlier instant.
 */
export function instantAt(day: LocalDate, msOfDay: number, timeZone: string): Date {
  const wall = dayNumber(assertLocalDate(day)) * DAY_MS + msOfDay;
  // Zone transitions are far more than a day apart, so the offsets a day either side are the only candidates.
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  const matching = [wall - offsetBefore, wall - offsetAfter]
    .filter((candidate) => candidate + offsetAt(candidate, timeZone) === wall)
    .sort((a, b) => a - b);
  return new Date(matching[0] ?? wall - offsetBefore);
}

export function startOfLocalDay(day: LocalDate, timeZone: string): Date {
  return instantAt(day, 0, timeZone);
}

/** `HH:MM` (00:00–24:00) as milliseconds since midnight. */
export function parseTimeOfDay(value: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours * 60 + minutes > 24 * 60) {
    throw new RangeError(`not a time of day in the form HH:MM: ${JSON.stringify(value)}`);
  }
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

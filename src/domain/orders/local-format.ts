// Instants as people in the business time zone read them: "10:02" today, "2026-11-25 10:02" on other days.
import { HOUR_MS, type LocalDate, localDateOf, localTimeOfDay, MINUTE_MS } from "../calendar/local-time.ts";

const twoDigits = (value: number): string => String(value).padStart(2, "0");

export function formatLocalTime(instant: Date, timezone: string, today: LocalDate): string {
  const ms = localTimeOfDay(instant, timezone);
  const clock = `${twoDigits(Math.floor(ms / HOUR_MS))}:${twoDigits(Math.floor((ms % HOUR_MS) / MINUTE_MS))}`;
  const day = localDateOf(instant, timezone);
  return day === today ? clock : `${day} ${clock}`;
}

// The pasteable list `/calendar set` takes: one line per day or range, e.g. `2027-02-05..2027-02-11 holiday 春节`.
import {
  addDays,
  calendarDaysBetween,
  isLocalDate,
  type LocalDate,
} from "../../src/domain/calendar/local-time.ts";
import type { CalendarEntry } from "../../src/domain/calendar/override-changes.ts";
import type { CalendarOverrideKind } from "../../src/domain/calendar/working-calendar.ts";

/** A range may cover one holiday period at most: the longest notice break is nine days. */
export const MAX_RANGE_DAYS = 31;
/** Lines in one paste: a year's notice has about 15 (holidays plus make-up workdays). */
export const MAX_LINES = 60;

const KINDS: Record<string, CalendarOverrideKind> = {
  holiday: "off",
  off: "off",
  休息: "off",
  放假: "off",
  workday: "work",
  work: "work",
  上班: "work",
  补班: "work",
};

/** Why a line was refused, in both languages, with its 1-based number. */
export class NoticeLineError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    readonly problem: { zh: string; en: string },
  ) {
    super(`line ${line}: ${problem.en}`);
    this.name = "NoticeLineError";
  }
}

/** `2027-02-05`, `2027/2/5` or `2027-02-05..2027-02-11` (also `~` or `至`) as its days. */
export function parseDayRange(text: string): LocalDate[] | { zh: string; en: string } {
  const ascii = text.normalize("NFKC");
  const [from = "", to = from, ...extra] = ascii.split(/\.\.|~|至/u).map(normaliseDate);
  if (extra.length > 0 || !isLocalDate(from) || !isLocalDate(to))
    return {
      zh: `日期应写作 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD: ${text}`,
      en: `a date is YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD: ${text}`,
    };
  const span = calendarDaysBetween(from, to) + 1;
  if (span < 1)
    return { zh: `范围的结束日期早于开始日期: ${text}`, en: `the range ends before it starts: ${text}` };
  if (span > MAX_RANGE_DAYS)
    return {
      zh: `一个范围最多 ${MAX_RANGE_DAYS} 天: ${text}`,
      en: `a range covers at most ${MAX_RANGE_DAYS} days: ${text}`,
    };
  return Array.from({ length: span }, (_, index) => addDays(from, index));
}

function normaliseDate(text: string): string {
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  if (!match) return text.trim();
  return `${match[1]}-${match[2]?.padStart(2, "0")}-${match[3]?.padStart(2, "0")}`;
}

/**
 * Every line as days: `<date or range> <holiday|workday> [name…]`; blank lines and lines starting with `#`
 * are skipped. All or nothing: the first bad line throws a NoticeLineError naming it; a day listed twice
 * with different kinds is refused too.
 */
export function parseNoticeList(text: string): CalendarEntry[] {
  const lines = text.split(/\r?\n/u);
  const meaningful = lines.filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  if (meaningful.length === 0)
    throw new NoticeLineError(1, text, { zh: "没有要设置的日期", en: "there is no day to set" });
  if (meaningful.length > MAX_LINES)
    throw new NoticeLineError(MAX_LINES + 1, "", {
      zh: `一次最多 ${MAX_LINES} 行`,
      en: `at most ${MAX_LINES} lines at once`,
    });
  const byDay = new Map<LocalDate, CalendarEntry & { line: number }>();
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const number = index + 1;
    const [range = "", kindWord = "", ...name] = line.split(/[\s\u3000]+/u);
    const days = parseDayRange(range);
    if (!Array.isArray(days)) throw new NoticeLineError(number, line, days);
    const kind = KINDS[kindWord.normalize("NFKC").toLowerCase()];
    if (!kind)
      throw new NoticeLineError(number, line, {
        zh: `第二项应为 holiday (休息) 或 workday (上班): ${kindWord || "(空)"}`,
        en: `the second word must be holiday or workday: ${kindWord || "(nothing)"}`,
      });
    const note = name.join(" ") || null;
    for (const day of days) {
      const earlier = byDay.get(day);
      if (earlier && earlier.kind !== kind)
        throw new NoticeLineError(number, line, {
          zh: `${day} 与第 ${earlier.line} 行矛盾`,
          en: `${day} contradicts line ${earlier.line}`,
        });
      byDay.set(day, { day, kind, note, line: number });
    }
  });
  return [...byDay.values()]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map(({ day, kind, note }) => ({ day, kind, note }));
}

// DESIGN §1's provisional year: the days off of the national holiday law for a year without a published notice.
//
// Lunar dates come from chinese-days' getLunarDate, which counts days from a fixed UTC instant and is
// therefore the same in every process zone. getSolarTermDate computes the term's day of month exactly
// but formats it with the process's local clock; the true date is the one that the library's own
// formatting (getLunarDate(day).date, same clock) turns into the same text, which holds in every zone.
import chineseDays from "chinese-days";
import type { StatutoryDay } from "./china-holidays.ts";
import { addDays, isoWeekday, type LocalDate } from "./local-time.ts";

type Holiday = StatutoryDay["holiday"];

/** The law's holidays and how many days each has (全国年节及纪念日放假办法, as revised for 2025). */
export const STATUTORY_HOLIDAYS = {
  newYear: { zh: "元旦", en: "New Year's Day", days: 1 },
  springFestival: { zh: "春节", en: "Spring Festival", days: 4 },
  tombSweeping: { zh: "清明", en: "Tomb-sweeping Day", days: 1 },
  labourDay: { zh: "劳动节", en: "Labour Day", days: 2 },
  dragonBoat: { zh: "端午", en: "Dragon Boat Festival", days: 1 },
  midAutumn: { zh: "中秋", en: "Mid-autumn Festival", days: 1 },
  nationalDay: { zh: "国庆节", en: "National Day", days: 3 },
} as const;

const pad = (value: number): string => String(value).padStart(2, "0");
const dateOf = (year: number, month: number, day: number): LocalDate => `${year}-${pad(month)}-${pad(day)}`;

/** The Gregorian day in [from, from + span) that is lunar month/day (not a leap month). */
function lunarDay(from: LocalDate, span: number, month: number, day: number): LocalDate {
  for (let offset = 0; offset < span; offset++) {
    const candidate = addDays(from, offset);
    const lunar = chineseDays.getLunarDate(candidate);
    if (lunar.lunarMon === month && lunar.lunarDay === day && !lunar.isLeap) return candidate;
  }
  throw new RangeError(`no lunar ${month}/${day} within ${span} days of ${from}`);
}

/** 清明, the solar term, in early April. */
function tombSweepingDay(year: number): LocalDate {
  const asFormatted = chineseDays.getSolarTermDate(year, 4, "pure_brightness");
  for (let day = 1; day <= 10; day++) {
    const candidate = dateOf(year, 4, day);
    if (chineseDays.getLunarDate(candidate).date === asFormatted) return candidate;
  }
  throw new RangeError(`no 清明 found in April ${year}`);
}

function run(first: LocalDate, days: number): LocalDate[] {
  return Array.from({ length: days }, (_, index) => addDays(first, index));
}

/** Each holiday's statutory days in the year, in calendar order. */
function statutoryDaysOf(year: number): Array<{ holiday: Holiday; days: LocalDate[] }> {
  const { newYear, springFestival, tombSweeping, labourDay, dragonBoat, midAutumn, nationalDay } =
    STATUTORY_HOLIDAYS;
  // 正月初一 falls between 21 January and 20 February; 除夕 is the day before it.
  const firstDay = lunarDay(dateOf(year, 1, 21), 31, 1, 1);
  return [
    { holiday: newYear, days: run(dateOf(year, 1, 1), newYear.days) },
    { holiday: springFestival, days: run(addDays(firstDay, -1), springFestival.days) },
    { holiday: tombSweeping, days: run(tombSweepingDay(year), tombSweeping.days) },
    { holiday: labourDay, days: run(dateOf(year, 5, 1), labourDay.days) },
    // 端午 (5/5) falls between 28 May and 25 June, 中秋 (8/15) between 7 September and 8 October.
    { holiday: dragonBoat, days: run(lunarDay(dateOf(year, 5, 25), 35, 5, 5), dragonBoat.days) },
    { holiday: midAutumn, days: run(lunarDay(dateOf(year, 9, 5), 35, 8, 15), midAutumn.days) },
    { holiday: nationalDay, days: run(dateOf(year, 10, 1), nationalDay.days) },
  ].sort((a, b) => (a.days[0] ?? "").localeCompare(b.days[0] ?? ""));
}

const isWeekend = (day: LocalDate): boolean => isoWeekday(day) >= 6;

/**
 * Every day off of a provisional year: the statutory days, then for each statutory day on a Saturday or
 * Sunday one weekday off in lieu, the first weekdays after its holiday that are not already off. No
 * make-up workday is guessed: those only a notice decides.
 */
function computeYear(year: number): Map<LocalDate, StatutoryDay> {
  const holidays = statutoryDaysOf(year);
  const daysOff = new Map<LocalDate, StatutoryDay>();
  for (const { holiday, days } of holidays) {
    for (const day of days)
      if (!daysOff.has(day))
        daysOff.set(day, { kind: "off", holiday: { zh: holiday.zh, en: holiday.en }, inLieu: false });
  }
  for (const { holiday, days } of holidays) {
    let owed = days.filter(isWeekend).length;
    let day = days[days.length - 1] ?? dateOf(year, 1, 1);
    while (owed > 0) {
      day = addDays(day, 1);
      if (isWeekend(day) || daysOff.has(day)) continue;
      daysOff.set(day, { kind: "off", holiday: { zh: holiday.zh, en: holiday.en }, inLieu: true });
      owed -= 1;
    }
  }
  return daysOff;
}

const computedYears = new Map<number, Map<LocalDate, StatutoryDay>>();

/** The law's days off of one year, computed once per year. */
export function provisionalDaysOff(year: number): ReadonlyMap<LocalDate, StatutoryDay> {
  let days = computedYears.get(year);
  if (!days) {
    days = computeYear(year);
    computedYears.set(year, days);
  }
  return days;
}

/** The law's answer for a day of a provisional year; undefined for a day left to the weekday rule. */
export function provisionalStatutoryDay(day: LocalDate): StatutoryDay | undefined {
  return provisionalDaysOff(Number(day.slice(0, 4))).get(day);
}

/**
 * Known-future covariates: calendar fields in Irish local time and Irish public holidays.
 * They depend only on the timestamp, so a model may use them for any future hour.
 */
import { DAY_MS, irishOffsetHoursAtUtc, utcToIrishWallMs } from '../lib/time.js';

function easterSunday(year: number): number {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/** nth (1-based) weekday (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = Date.UTC(year, month, 1);
    const shift = (weekday - new Date(first).getUTCDay() + 7) % 7;
    return first + (shift + 7 * (n - 1)) * DAY_MS;
  }
  const last = Date.UTC(year, month + 1, 0);
  const back = (new Date(last).getUTCDay() - weekday + 7) % 7;
  return last - back * DAY_MS;
}

/** Fixed-date holidays that fall on a weekend give a substitute day off on the next free weekday. */
function withSubstitute(days: number[], fixed: number): void {
  let day = fixed;
  days.push(day);
  const dow = new Date(day).getUTCDay();
  if (dow === 0 || dow === 6) {
    day = fixed + (dow === 6 ? 2 : 1) * DAY_MS;
    while (days.includes(day)) day += DAY_MS;
    days.push(day);
  }
}

const holidayCache = new Map<number, ReadonlySet<number>>();

/** Irish public holidays of a year, as UTC midnights of their local dates. */
export function irishPublicHolidays(year: number): ReadonlySet<number> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const days: number[] = [];
  withSubstitute(days, Date.UTC(year, 0, 1));
  if (year >= 2023) {
    // St Brigid's Day: the first Monday in February, or 1 February when that is a Friday.
    const feb1 = Date.UTC(year, 1, 1);
    days.push(new Date(feb1).getUTCDay() === 5 ? feb1 : nthWeekday(year, 1, 1, 1));
  }
  withSubstitute(days, Date.UTC(year, 2, 17));
  if (year === 2022) days.push(Date.UTC(2022, 2, 18)); // one-off COVID-19 remembrance holiday
  days.push(easterSunday(year) + DAY_MS);
  days.push(nthWeekday(year, 4, 1, 1));
  days.push(nthWeekday(year, 5, 1, 1));
  days.push(nthWeekday(year, 7, 1, 1));
  days.push(nthWeekday(year, 9, 1, -1));
  // Christmas and St Stephen's Day: weekend dates move to the following Monday/Tuesday.
  const christmas = Date.UTC(year, 11, 25);
  const stephens = Date.UTC(year, 11, 26);
  days.push(christmas, stephens);
  const cdow = new Date(christmas).getUTCDay();
  if (cdow === 6) days.push(christmas + 2 * DAY_MS, christmas + 3 * DAY_MS);
  else if (cdow === 5) days.push(christmas + 3 * DAY_MS);
  else if (cdow === 0) days.push(christmas + 2 * DAY_MS);
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

export interface CalendarFields {
  /** Local hour of day, 0..23. */
  hour: number;
  /** Local day of week, 0 = Monday .. 6 = Sunday. */
  dow: number;
  /** Local month, 0..11. */
  month: number;
  /** Local day of year, 0-based. */
  dayOfYear: number;
  holiday: boolean;
  /** Irish summer time (IST) in force. */
  dst: boolean;
}

export function irishCalendar(utcMs: number): CalendarFields {
  const wall = utcToIrishWallMs(utcMs);
  const date = new Date(wall);
  const year = date.getUTCFullYear();
  const midnight = Date.UTC(year, date.getUTCMonth(), date.getUTCDate());
  return {
    hour: date.getUTCHours(),
    dow: (date.getUTCDay() + 6) % 7,
    month: date.getUTCMonth(),
    dayOfYear: Math.round((midnight - Date.UTC(year, 0, 1)) / DAY_MS),
    holiday: irishPublicHolidays(year).has(midnight),
    dst: irishOffsetHoursAtUtc(utcMs) === 1,
  };
}

/**
 * SEM trading days. Trading day D runs from 23:00 Irish local time on D-1 to 23:00 on D (the
 * same instants as midnight to midnight CET, because Ireland and the continent change clocks
 * together): 23:00 UTC the evening before in winter, 22:00 UTC in summer.
 */
import { DAY_MS, HOUR_MS, isoDate, irishWallToUtcMs, utcToIrishWallMs } from '../../lib/time.js';

/** The trading day (YYYY-MM-DD) a UTC instant belongs to. */
export function tradingDayOf(utcMs: number): string {
  return isoDate(utcToIrishWallMs(utcMs) + HOUR_MS);
}

/** The trading day of a UTC instant as a day number (days since 1970-01-01), for fast grouping. */
export function tradingDayNumber(utcMs: number): number {
  return Math.floor((utcToIrishWallMs(utcMs) + HOUR_MS) / DAY_MS);
}

/** UTC start of a trading day (YYYY-MM-DD): 23:00 Irish local time the day before. */
export function tradingDayStartUtc(day: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`) - HOUR_MS;
  // 23:00 local is never inside a clock change, so the conversion always has one answer.
  return irishWallToUtcMs(wall) as number;
}

export function nextDay(day: string): string {
  return isoDate(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
}

/** Trading days wholly inside [fromUtc, toUtc). */
export function tradingDaysWithin(fromUtc: number, toUtc: number): string[] {
  const days: string[] = [];
  for (let day = tradingDayOf(fromUtc); tradingDayStartUtc(day) < toUtc; day = nextDay(day)) {
    if (tradingDayStartUtc(day) >= fromUtc && tradingDayStartUtc(nextDay(day)) <= toUtc) days.push(day);
  }
  return days;
}

/**
 * Irish civil time (Europe/Dublin) without a time-zone library: the EU rule, in force for every
 * year our data covers, puts IST (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00 UTC
 * on the last Sunday of October; GMT otherwise.
 */
export const HOUR_MS = 3_600_000;
export const QUARTER_HOUR_MS = 900_000;
export const DAY_MS = 86_400_000;

/** UTC epoch ms of the last Sunday of a month at 01:00 UTC. */
function lastSundayAt0100Utc(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  const back = lastDay.getUTCDay();
  return Date.UTC(year, monthIndex, lastDay.getUTCDate() - back, 1);
}

const dstCache = new Map<number, readonly [number, number]>();

/** [start, end) of Irish summer time in a year, in UTC epoch ms. */
export function irishSummerTimeUtc(year: number): readonly [number, number] {
  let range = dstCache.get(year);
  if (range === undefined) {
    range = [lastSundayAt0100Utc(year, 2), lastSundayAt0100Utc(year, 9)] as const;
    dstCache.set(year, range);
  }
  return range;
}

/** Offset of Irish civil time from UTC at a UTC instant, in hours (0 or 1). */
export function irishOffsetHoursAtUtc(utcMs: number): 0 | 1 {
  const [start, end] = irishSummerTimeUtc(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? 1 : 0;
}

/**
 * Wall-clock fields of Irish local time at a UTC instant, returned as a "fake UTC" epoch so that
 * getUTCHours() etc. read local fields.
 */
export function utcToIrishWallMs(utcMs: number): number {
  return utcMs + irishOffsetHoursAtUtc(utcMs) * HOUR_MS;
}

export type LocalTimeKind = 'normal' | 'gap' | 'ambiguous';

/**
 * Classifies an Irish wall-clock time (given as a fake-UTC epoch): 'gap' for the hour skipped in
 * spring (01:00-01:59 local on the last Sunday of March), 'ambiguous' for the hour repeated in
 * autumn (01:00-01:59 local on the last Sunday of October).
 */
export function classifyIrishWall(wallMs: number): LocalTimeKind {
  const [start, end] = irishSummerTimeUtc(new Date(wallMs).getUTCFullYear());
  // Spring: wall 01:00..01:59 never happens (start is 01:00 UTC = 01:00 GMT wall).
  if (wallMs >= start && wallMs < start + HOUR_MS) return 'gap';
  // Autumn: wall 01:00..01:59 happens twice (end is 01:00 UTC = 02:00 IST wall).
  if (wallMs >= end && wallMs < end + HOUR_MS) return 'ambiguous';
  return 'normal';
}

/**
 * UTC instant of an Irish wall-clock time. In the autumn repeated hour the first (IST) occurrence
 * is returned unless `second` is set. Returns null for wall times inside the spring gap.
 */
export function irishWallToUtcMs(wallMs: number, second = false): number | null {
  const kind = classifyIrishWall(wallMs);
  if (kind === 'gap') return null;
  if (kind === 'ambiguous') return second ? wallMs : wallMs - HOUR_MS;
  const [start, end] = irishSummerTimeUtc(new Date(wallMs).getUTCFullYear());
  // Summer wall times lie in [start + 2h, end + 1h) on the fake-UTC axis.
  const summer = wallMs >= start + HOUR_MS && wallMs < end + HOUR_MS;
  return summer ? wallMs - HOUR_MS : wallMs;
}

/** The UTC dates (YYYY-MM-DD) of the two Irish clock changes in a year. */
export function irishClockChangeDays(year: number): { spring: string; autumn: string } {
  const [start, end] = irishSummerTimeUtc(year);
  return { spring: isoDate(start), autumn: isoDate(end) };
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13) + ':00Z';
}

export function floorToHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * Parses "01-Jan-2024 00:00:00" (the Smart Grid Dashboard's EffectiveTime) as a fake-UTC wall
 * epoch. Returns NaN when the text does not have that shape.
 */
export function parseDashboardWall(text: string): number {
  // dd-Mon-yyyy HH:MM(:SS)?
  if (text.length < 17 || text.charCodeAt(2) !== 45 || text.charCodeAt(6) !== 45) return Number.NaN;
  const day = Number(text.slice(0, 2));
  const month = MONTHS[text.slice(3, 6).toLowerCase()];
  const year = Number(text.slice(7, 11));
  const hour = Number(text.slice(12, 14));
  const minute = Number(text.slice(15, 17));
  const second = text.length >= 20 ? Number(text.slice(18, 20)) : 0;
  if (month === undefined || ![day, year, hour, minute, second].every(Number.isInteger)) return Number.NaN;
  return Date.UTC(year, month, day, hour, minute, second);
}

/** Formats a fake-UTC wall epoch as the dashboard's dd-Mon-yyyy. */
export function formatDashboardDate(wallMs: number): string {
  const d = new Date(wallMs);
  const mon = Object.keys(MONTHS)[d.getUTCMonth()] ?? 'jan';
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${day}-${mon[0]!.toUpperCase()}${mon.slice(1)}-${d.getUTCFullYear()}`;
}

/** Irish clock-change dates (YYYY-MM-DD) between two instants, inclusive. */
export function clockChangeDaysBetween(fromUtc: number, toUtc: number): string[] {
  const days: string[] = [];
  const fromDay = isoDate(fromUtc);
  const toDay = isoDate(toUtc);
  for (let year = new Date(fromUtc).getUTCFullYear(); year <= new Date(toUtc).getUTCFullYear(); year++) {
    const { spring, autumn } = irishClockChangeDays(year);
    for (const day of [spring, autumn]) if (day >= fromDay && day <= toDay) days.push(day);
  }
  return days;
}

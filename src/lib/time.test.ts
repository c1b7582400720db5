import { describe, expect, it } from 'vitest';
import {
  clockChangeDaysBetween,
  classifyIrishWall,
  irishClockChangeDays,
  irishOffsetHoursAtUtc,
  irishWallToUtcMs,
  parseDashboardWall,
  formatDashboardDate,
  utcToIrishWallMs,
} from './time.js';

describe('Irish civil time', () => {
  it('knows the clock-change days', () => {
    expect(irishClockChangeDays(2023)).toEqual({ spring: '2023-03-26', autumn: '2023-10-29' });
    expect(irishClockChangeDays(2024)).toEqual({ spring: '2024-03-31', autumn: '2024-10-27' });
  });

  it('maps wall time to UTC in winter and summer', () => {
    expect(irishWallToUtcMs(Date.UTC(2024, 0, 15, 12))).toBe(Date.UTC(2024, 0, 15, 12));
    expect(irishWallToUtcMs(Date.UTC(2024, 6, 15, 12))).toBe(Date.UTC(2024, 6, 15, 11));
  });

  it('treats the spring hour as a gap and the autumn hour as ambiguous', () => {
    expect(classifyIrishWall(Date.UTC(2023, 2, 26, 0, 45))).toBe('normal');
    expect(classifyIrishWall(Date.UTC(2023, 2, 26, 1, 0))).toBe('gap');
    expect(classifyIrishWall(Date.UTC(2023, 2, 26, 1, 45))).toBe('gap');
    expect(irishWallToUtcMs(Date.UTC(2023, 2, 26, 1, 15))).toBeNull();
    expect(irishWallToUtcMs(Date.UTC(2023, 2, 26, 2, 0))).toBe(Date.UTC(2023, 2, 26, 1, 0));
    expect(classifyIrishWall(Date.UTC(2023, 9, 29, 1, 30))).toBe('ambiguous');
    expect(irishWallToUtcMs(Date.UTC(2023, 9, 29, 1, 30))).toBe(Date.UTC(2023, 9, 29, 0, 30));
    expect(irishWallToUtcMs(Date.UTC(2023, 9, 29, 1, 30), true)).toBe(Date.UTC(2023, 9, 29, 1, 30));
    expect(irishWallToUtcMs(Date.UTC(2023, 9, 29, 2, 0))).toBe(Date.UTC(2023, 9, 29, 2, 0));
    expect(irishWallToUtcMs(Date.UTC(2023, 9, 29, 0, 45))).toBe(Date.UTC(2023, 9, 28, 23, 45));
  });

  it('round-trips every quarter-hour of a year', () => {
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2024, 0, 1); t += 900_000) {
      const wall = utcToIrishWallMs(t);
      const second = irishOffsetHoursAtUtc(t) === 0 && classifyIrishWall(wall) === 'ambiguous';
      expect(irishWallToUtcMs(wall, second)).toBe(t);
    }
  });

  it('parses and formats dashboard timestamps', () => {
    expect(parseDashboardWall('01-Jan-2024 00:00:00')).toBe(Date.UTC(2024, 0, 1));
    expect(parseDashboardWall('29-Oct-2023 01:45:00')).toBe(Date.UTC(2023, 9, 29, 1, 45));
    expect(parseDashboardWall('garbage')).toBeNaN();
    expect(formatDashboardDate(Date.UTC(2024, 1, 9))).toBe('09-Feb-2024');
  });
});

describe('clockChangeDaysBetween', () => {
  it('lists the clock changes inside a span, both ends included', () => {
    expect(clockChangeDaysBetween(Date.UTC(2023, 0, 1), Date.UTC(2024, 2, 31))).toEqual([
      '2023-03-26',
      '2023-10-29',
      '2024-03-31',
    ]);
    expect(clockChangeDaysBetween(Date.UTC(2023, 4, 1), Date.UTC(2023, 5, 1))).toEqual([]);
  });
});

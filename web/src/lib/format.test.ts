import { describe, expect, it } from 'vitest';
import { fmtAge, fmtHour, fmtNumber, fmtPercent, timeTickLabels } from './format.js';

describe('format', () => {
  it('shows numbers with grouping and fixed decimals, missing values as a dash', () => {
    expect(fmtNumber(4179.4)).toBe('4,179');
    expect(fmtNumber(39.333, 2)).toBe('39.33');
    expect(fmtNumber(null)).toBe('–');
    expect(fmtNumber(Number.NaN)).toBe('–');
    expect(fmtPercent(0.7061)).toBe('70.6 %');
  });

  it('shows hours in UTC and ages in hours, then days', () => {
    expect(fmtHour('2024-11-01T13:00:00+01:00')).toBe('2024-11-01 12:00 UTC');
    expect(fmtHour('not a time')).toBe('–');
    const t = Date.UTC(2024, 10, 1);
    expect(fmtAge(t, t + 5 * 3_600_000)).toBe('5 h');
    expect(fmtAge(t, t + 50 * 3_600_000)).toBe('2 d 2 h');
    expect(fmtAge(t, t + 72 * 3_600_000)).toBe('3 d');
  });

  it('labels time ticks on a 24-hour UTC clock, with the day at midnight and the year on 1 January', () => {
    const s = (y: number, m: number, d: number, hh = 0) => Date.UTC(y, m, d, hh) / 1000;
    expect(timeTickLabels([s(2024, 10, 3), s(2024, 10, 3, 14)], 3 * 86_400)).toEqual(['3 Nov', '14:00']);
    expect(timeTickLabels([s(2024, 10, 3, 14)], 30 * 86_400)).toEqual(['3 Nov']);
    expect(timeTickLabels([s(2025, 0, 1)], 365 * 86_400)).toEqual(['1 Jan 2025']);
  });
});

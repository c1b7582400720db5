import { describe, expect, it } from 'vitest';
import {
  nextDay,
  tradingDayNumber,
  tradingDayOf,
  tradingDaysWithin,
  tradingDayStartUtc,
} from './trading-day.js';

describe('SEM trading days', () => {
  it('start at 23:00 Irish time the evening before: 23:00 UTC in winter, 22:00 UTC in summer', () => {
    expect(new Date(tradingDayStartUtc('2025-01-01')).toISOString()).toBe('2024-12-31T23:00:00.000Z');
    expect(new Date(tradingDayStartUtc('2025-10-01')).toISOString()).toBe('2025-09-30T22:00:00.000Z');
    // Clock-change days: 30 Mar 2025 has 23 hours, 26 Oct 2025 has 25.
    expect(tradingDayStartUtc('2025-03-31') - tradingDayStartUtc('2025-03-30')).toBe(23 * 3_600_000);
    expect(tradingDayStartUtc('2025-10-27') - tradingDayStartUtc('2025-10-26')).toBe(25 * 3_600_000);
  });

  it('assign every instant to the trading day it falls in', () => {
    expect(tradingDayOf(Date.parse('2024-12-31T22:59:59Z'))).toBe('2024-12-31');
    expect(tradingDayOf(Date.parse('2024-12-31T23:00:00Z'))).toBe('2025-01-01');
    expect(tradingDayOf(Date.parse('2025-09-30T22:00:00Z'))).toBe('2025-10-01');
    expect(tradingDayOf(Date.parse('2025-10-26T22:30:00Z'))).toBe('2025-10-26');
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
    const dayNumber = tradingDayNumber(Date.parse('2025-09-30T22:00:00Z'));
    expect(new Date(dayNumber * 86_400_000).toISOString().slice(0, 10)).toBe('2025-10-01');
  });

  it('list the trading days wholly inside a range', () => {
    expect(tradingDaysWithin(Date.parse('2025-03-29T23:00:00Z'), Date.parse('2025-03-30T22:00:00Z'))).toEqual(
      ['2025-03-30'],
    );
    expect(tradingDaysWithin(Date.parse('2025-03-29T23:30:00Z'), Date.parse('2025-03-31T22:00:00Z'))).toEqual(
      ['2025-03-31'],
    );
    expect(tradingDaysWithin(Date.parse('2025-10-02T23:30:00Z'), Date.parse('2025-10-03T01:30:00Z'))).toEqual(
      [],
    );
  });
});

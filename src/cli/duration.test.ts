import { describe, expect, it } from 'vitest';
import { estimateRemaining, formatDuration, formatEta } from './duration.js';

describe('formatDuration', () => {
  it('writes seconds, minutes and hours with two-digit parts', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(3600)).toBe('1h00m');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(90_000)).toBe('25h00m');
  });

  it('rounds before splitting, so a part never reaches 60', () => {
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(179.7)).toBe('3m00s');
    expect(formatDuration(3599.6)).toBe('1h00m');
    expect(formatDuration(7199)).toBe('2h00m');
    const wellFormed = /^(\d+s|\d+m[0-5]\ds|\d+h[0-5]\dm)$/;
    const bad: string[] = [];
    for (let s = 0; s < 10_000; s += 0.7) if (!wellFormed.test(formatDuration(s))) bad.push(`${s}`);
    expect(bad).toEqual([]);
  });

  it('says "?" for what is not a duration', () => {
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDuration(-3)).toBe('?');
  });
});

describe('estimateRemaining and formatEta', () => {
  it('extrapolates the pace so far', () => {
    expect(estimateRemaining(5, 25, 10)).toBe(40);
    expect(formatEta(5, 25, 10)).toBe('ETA 40s');
    expect(formatEta(1, 4, 60)).toBe('ETA 3m00s');
    expect(estimateRemaining(25, 25, 100)).toBe(0);
  });

  it('gives no estimate instead of "NaN", "Infinity" or a guess from nothing', () => {
    expect(estimateRemaining(0, 25, 10)).toBeUndefined();
    expect(estimateRemaining(3, 0, 10)).toBeUndefined();
    expect(estimateRemaining(3, Number.NaN, 10)).toBeUndefined();
    expect(estimateRemaining(3, 10, 0.2)).toBeUndefined();
    expect(estimateRemaining(3, 10, Number.NaN)).toBeUndefined();
    expect(formatEta(0, 25, 10)).toBe('');
  });
});

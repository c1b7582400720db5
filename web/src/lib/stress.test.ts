import { describe, expect, it } from 'vitest';
import { bandOf, bandZones } from './stress.js';

const bandEdges = (t: number) => ({ elevated: t - 1, high: t, critical: t + 1 });

describe('stress bands', () => {
  it('matches the documented bands at the default threshold 2', () => {
    const edges = bandEdges(2);
    expect(bandOf(0.99, edges)).toBe('normal');
    expect(bandOf(1, edges)).toBe('elevated');
    expect(bandOf(1.99, edges)).toBe('elevated');
    expect(bandOf(2, edges)).toBe('high');
    expect(bandOf(3, edges)).toBe('critical');
    expect(bandOf(-4, edges)).toBe('normal');
    expect(bandOf(null, edges)).toBeNull();
    expect(bandOf(Number.NaN, edges)).toBeNull();
  });

  it('moves the bands with the threshold', () => {
    const edges = bandEdges(2.5);
    expect(bandOf(2.4, edges)).toBe('elevated');
    expect(bandOf(2.5, edges)).toBe('high');
  });

  it('gives zones that cover the data range without gaps', () => {
    const zones = bandZones(bandEdges(2), -3, 6);
    expect(zones[0]!.from).toBeLessThan(-3);
    expect(zones[3]!.to).toBeGreaterThan(6);
    for (let i = 1; i < zones.length; i++) expect(zones[i]!.from).toBe(zones[i - 1]!.to);
  });
});

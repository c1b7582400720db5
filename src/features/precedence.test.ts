import { describe, expect, it } from 'vitest';
import { compareSources, countWins, mergeByPrecedence } from './precedence.js';
import { arr, list } from './test-support/points.js';

const hourly = (values: Array<number | null>, incomplete: number[] = values.map(() => 0)) => ({
  values: arr(values),
  incomplete: Uint8Array.from(incomplete),
});

describe('source precedence', () => {
  it('ranks the workbook over the dashboard and SEMOpx over Ember', () => {
    expect(compareSources('eirgrid-workbook', 'dashboard')).toBeLessThan(0);
    expect(compareSources('semopx', 'ember')).toBeLessThan(0);
    expect(compareSources('telemetry', 'eirgrid-workbook')).toBeLessThan(0);
  });

  it('keeps the winner where both have a value and fills its gaps from the other', () => {
    const merged = mergeByPrecedence([
      { source: 'dashboard', hourly: hourly([100, 200, 300, 400]) },
      { source: 'eirgrid-workbook', hourly: hourly([110, null, 290, 430]) },
    ]);
    expect(list(merged.hourly.values)).toEqual([110, 200, 290, 430]);
    expect(merged.sources).toEqual(['eirgrid-workbook', 'dashboard']);
    expect(countWins(merged, 0, 4)).toEqual([
      { source: 'eirgrid-workbook', hours: 3 },
      { source: 'dashboard', hours: 1 },
    ]);
    expect(countWins(merged, 1, 2)).toEqual([
      { source: 'eirgrid-workbook', hours: 0 },
      { source: 'dashboard', hours: 1 },
    ]);
    // Overlap hours 0, 2, 3: differences workbook - dashboard = 10, -10, 30.
    expect(merged.disagreements).toEqual([
      {
        winner: 'eirgrid-workbook',
        other: 'dashboard',
        overlapHours: 3,
        meanDiff: 10,
        meanAbsDiff: 50 / 3,
        maxAbsDiff: 30,
      },
    ]);
  });

  it('flags an hour incomplete only when no source gives it a value', () => {
    const merged = mergeByPrecedence([
      { source: 'semopx', hourly: hourly([null, null, 50], [1, 1, 0]) },
      { source: 'ember', hourly: hourly([60, null, 55], [0, 0, 0]) },
    ]);
    expect(list(merged.hourly.values)).toEqual([60, null, 50]);
    expect([...merged.hourly.incomplete]).toEqual([0, 1, 0]);
    expect(merged.disagreements[0]).toMatchObject({ overlapHours: 1, meanDiff: -5, maxAbsDiff: 5 });
  });

  it('reports no disagreement for sources that never overlap, and refuses a source given twice', () => {
    const merged = mergeByPrecedence([
      { source: 'semopx', hourly: hourly([null, 1]) },
      { source: 'ember', hourly: hourly([2, null]) },
    ]);
    expect(merged.disagreements).toEqual([]);
    expect(() =>
      mergeByPrecedence([
        { source: 'ember', hourly: hourly([1]) },
        { source: 'ember', hourly: hourly([2]) },
      ]),
    ).toThrow(/appears twice/);
  });
});

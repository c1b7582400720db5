import { describe, expect, it } from 'vitest';
import type { MergedSeries } from './merge.js';
import { changedReadings, diffAgainstStored, overlay } from './observations-diff.js';

const Q = 900_000;

/** A demand series from [quarter-hour index, value, interval?] rows. */
function series(
  rows: Array<[number, number, number?]>,
  name: MergedSeries['series'] = 'demand_mw',
): MergedSeries {
  return {
    source: 'dashboard',
    series: name,
    region: 'IE',
    ts: Float64Array.from(rows, ([k]) => k * Q),
    intervalMin: Int16Array.from(rows, ([, , interval = 15]) => interval),
    values: Float64Array.from(rows, ([, value]) => value),
  };
}

const rowsOf = (s: MergedSeries) =>
  Array.from(s.ts, (t, i) => [t / Q, s.values[i], s.intervalMin[i]] as [number, number, number]);

describe('changedReadings', () => {
  it('keeps new readings and changed ones (value or interval); equal ones, missing included, are left out', () => {
    const stored = series([
      [0, 10],
      [1, Number.NaN],
      [2, 30],
      [3, 40],
    ]);
    const incoming = series([
      [0, 10],
      [1, Number.NaN],
      [2, 31],
      [3, 40, 30],
      [4, 50],
    ]);
    expect(rowsOf(changedReadings(incoming, stored))).toEqual([
      [2, 31, 15],
      [3, 40, 30],
      [4, 50, 15],
    ]);
    expect(changedReadings(incoming, undefined)).toBe(incoming);
    expect(changedReadings(stored, stored).ts.length).toBe(0);
  });

  it('sees a value that became missing as a change', () => {
    expect(rowsOf(changedReadings(series([[0, Number.NaN]]), series([[0, 5]])))).toEqual([
      [0, Number.NaN, 15],
    ]);
  });
});

describe('overlay', () => {
  it('merges both time lines in order, the incoming reading winning where both have one', () => {
    const stored = series([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    const incoming = series([
      [1, 20],
      [2, 30],
      [6, 70],
    ]);
    expect(rowsOf(overlay(stored, incoming))).toEqual([
      [0, 1, 15],
      [1, 20, 15],
      [2, 30, 15],
      [4, 5, 15],
      [6, 70, 15],
    ]);
  });
});

describe('diffAgainstStored', () => {
  it('writes only what changed and hands the feature build every series as it will be stored', () => {
    const storedDemand = series([
      [0, 1],
      [1, 2],
    ]);
    const storedWind = series([[0, 9]], 'wind_mw');
    const incomingDemand = series([
      [1, 2],
      [2, 3],
    ]);
    const incomingSolar = series([[0, 4]], 'solar_mw');
    const { changes, all } = diffAgainstStored([incomingDemand, incomingSolar], [storedDemand, storedWind]);
    expect(changes.map((s) => [s.series, rowsOf(s)])).toEqual([
      ['demand_mw', [[2, 3, 15]]],
      ['solar_mw', [[0, 4, 15]]],
    ]);
    expect(all.map((s) => [s.series, rowsOf(s)])).toEqual([
      [
        'demand_mw',
        [
          [0, 1, 15],
          [1, 2, 15],
          [2, 3, 15],
        ],
      ],
      ['solar_mw', [[0, 4, 15]]],
      ['wind_mw', [[0, 9, 15]]],
    ]);
  });

  it('has no changes for an unchanged re-run, and gives back the stored series themselves', () => {
    const stored = series([
      [0, 1],
      [1, 2],
    ]);
    const { changes, all } = diffAgainstStored([series([[1, 2]])], [stored]);
    expect(changes).toEqual([]);
    expect(all).toEqual([stored]);
  });
});

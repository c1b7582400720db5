import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { emptyQuality, type Observation, type ParseResult } from '../sources/types.js';
import { mergeParseResults } from './merge.js';

const Q = 900_000;
const T0 = Date.UTC(2024, 0, 1);

function file(name: string, records: Array<[number, number | null, Observation['series']?]>): ParseResult {
  return {
    source: 'dashboard',
    file: name,
    records: records.map(([k, value, series = 'demand_mw']) => ({
      series,
      region: 'IE',
      tsUtc: T0 + k * Q,
      intervalMin: 15,
      value,
    })),
    quality: emptyQuality(),
  };
}

describe('mergeParseResults', () => {
  it('joins files into sorted series, drops identical repeats and lets a value win over a missing one', () => {
    const { series, stats } = mergeParseResults([
      file('b.csv', [
        [2, 30],
        [3, null],
        [0, 5, 'wind_mw'],
      ]),
      file('a.csv', [
        [0, 10],
        [1, 20],
        [2, 30],
        [3, 40],
      ]),
    ]);
    const demand = series.find((s) => s.series === 'demand_mw')!;
    expect([...demand.ts]).toEqual([0, 1, 2, 3].map((k) => T0 + k * Q));
    expect([...demand.values]).toEqual([10, 20, 30, 40]);
    expect(series.find((s) => s.series === 'wind_mw')!.values[0]).toBe(5);
    expect(stats.crossFileDuplicatesDropped).toBe(2);
  });

  it('refuses two different values for the same slot, naming both files', () => {
    const error = (() => {
      try {
        mergeParseResults([file('x.csv', [[0, 1]]), file('y.csv', [[0, 2]])]);
      } catch (e) {
        return e;
      }
    })();
    expect(isDcgridError(error, 'E_DUPLICATE_CONFLICT')).toBe(true);
    expect((error as Error).message).toContain('1 in x.csv and 2 in y.csv');
  });
});

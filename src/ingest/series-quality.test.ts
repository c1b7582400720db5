import { describe, expect, it } from 'vitest';
import { describeMergedSeries } from './series-quality.js';
import type { MergedSeries } from './merge.js';

const Q = 900_000;
const T0 = Date.UTC(2024, 0, 1);

function series(values: number[], name: MergedSeries['series'] = 'demand_mw', ts?: number[]): MergedSeries {
  return {
    source: 'dashboard',
    series: name,
    region: 'IE',
    ts: Float64Array.from(ts ?? values.map((_, i) => T0 + i * Q)),
    intervalMin: new Int16Array(values.length).fill(15),
    values: Float64Array.from(values),
  };
}

describe('describeMergedSeries', () => {
  it('counts coverage, missing slots and gaps, including slots absent from the file', () => {
    const report = describeMergedSeries(
      series(
        [1, NaN, NaN, 4, 5, 6],
        'demand_mw',
        [0, 1, 2, 3, 7, 8].map((k) => T0 + k * Q),
      ),
    );
    // Expected slots 0..8 = 9; values at 0, 3, 7, 8.
    expect(report.values).toBe(4);
    expect(report.missing).toBe(5);
    expect(report.coverage).toBeCloseTo(4 / 9);
    expect(report.gaps).toBe(2);
    expect(report.longestGaps[0]).toEqual({ from: new Date(T0 + 4 * Q).toISOString(), hours: 0.75 });
  });

  it('flags isolated spikes and impossible values, not smooth swings', () => {
    const smooth = Array.from({ length: 200 }, (_, i) => 3000 + 800 * Math.sin(i / 10) + (i % 3));
    smooth[100] = smooth[100]! + 2500;
    smooth[150] = -5;
    const report = describeMergedSeries(series(smooth));
    expect(report.outliers).toBe(2);
    expect(report.outlierExamples.map((e) => e.value)).toEqual([smooth[100], -5]);
    const solarDay = Array.from({ length: 96 }, (_, i) =>
      Math.max(0, 300 * Math.sin(((i - 28) / 40) * Math.PI)),
    );
    expect(describeMergedSeries(series(solarDay, 'solar_mw')).outliers).toBe(0);
  });
});

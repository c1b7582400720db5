import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { aggregateHourly, valueHourRange } from './hourly.js';
import { list, points, thrownBy } from './test-support/points.js';

const T0 = Date.UTC(2024, 0, 1);
const grid = (hours: number) => ({ start: T0, hours });

describe('aggregateHourly', () => {
  it('averages four quarter-hours and keeps an hour with three of them', () => {
    const p = points('dashboard', 'demand_mw', 'IE', T0, 15, [
      [0, 3000],
      [15, 3100],
      [30, 3200],
      [45, 3300],
      [60, 4000],
      [75, null],
      [90, 4200],
      [105, 4400],
    ]);
    const { values, incomplete } = aggregateHourly(p, grid(2));
    expect(list(values)).toEqual([3150, (4000 + 4200 + 4400) / 3]);
    expect([...incomplete]).toEqual([0, 0]);
  });

  it('nulls and flags an hour with two of four quarter-hours, or only empty readings', () => {
    const p = points('dashboard', 'demand_mw', 'IE', T0, 15, [
      [0, 3000],
      [15, 3100],
      [30, null],
      [60, null],
      [75, null],
    ]);
    const { values, incomplete } = aggregateHourly(p, grid(3));
    expect(list(values)).toEqual([null, null, null]);
    // Hour 2 has no reading at all: missing, not incomplete.
    expect([...incomplete]).toEqual([1, 1, 0]);
  });

  it('needs both half-hours of a 30-minute series (SEMOpx prices) and takes their mean', () => {
    const p = points('semopx', 'price_eur_mwh', 'IE', T0, 30, [
      [0, 80],
      [30, 120],
      [60, 90],
      [90, null],
    ]);
    const { values, incomplete } = aggregateHourly(p, grid(2));
    expect(list(values)).toEqual([100, null]);
    expect([...incomplete]).toEqual([0, 1]);
  });

  it('takes a 60-minute reading as the hour value', () => {
    const p = points('ember', 'price_eur_mwh', 'IE', T0, 60, [
      [0, 55.5],
      [120, -3],
    ]);
    expect(list(aggregateHourly(p, grid(3)).values)).toEqual([55.5, null, -3]);
  });

  it('weights mixed intervals by the minutes they cover', () => {
    const mixed = {
      ...points('semopx', 'price_eur_mwh', 'IE', T0, 30, []),
      ts: Float64Array.from([T0, T0 + 30 * 60_000, T0 + 45 * 60_000]),
      intervalMin: [30, 15, 15],
      values: Float64Array.from([100, 40, 80]),
    };
    // (100*30 + 40*15 + 80*15) / 60 = 80
    expect(list(aggregateHourly(mixed, grid(1)).values)).toEqual([80]);
  });

  it('spreads a reading longer than an hour, or one straddling two hours, by overlap', () => {
    const twoHours = points('telemetry', 'dc_load_mw', 'IE', T0, 120, [[0, 700]]);
    expect(list(aggregateHourly(twoHours, grid(2)).values)).toEqual([700, 700]);
    // A 60-min reading from 00:30 covers 30 min of each hour: too few on its own.
    const straddle = points('ember', 'price_eur_mwh', 'IE', T0, 60, [[30, 50]]);
    const { values, incomplete } = aggregateHourly(straddle, grid(2));
    expect(list(values)).toEqual([null, null]);
    expect([...incomplete]).toEqual([1, 1]);
  });

  it('ignores readings outside the grid, including one that starts before it', () => {
    const p = points('dashboard', 'demand_mw', 'IE', T0 - HOUR_MS, 15, [
      [0, 1],
      [15, 1],
      [30, 1],
      [45, 1],
      [60, 10],
      [75, 10],
      [90, 10],
      [105, 10],
      [120, 99],
    ]);
    expect(list(aggregateHourly(p, grid(1)).values)).toEqual([10]);
  });

  it('rejects an interval that is not a positive whole number of minutes', () => {
    const p = points('dashboard', 'demand_mw', 'IE', T0, 15, [[0, 1]]);
    const bad = { ...p, intervalMin: [0] };
    expect(() => aggregateHourly(bad, grid(1))).toThrow(/interval 0 min/);
    const thrown = thrownBy(() => aggregateHourly({ ...p, intervalMin: [7.5] }, grid(1)));
    expect(isDcgridError(thrown, 'E_VALUE_INVALID')).toBe(true);
  });
});

describe('valueHourRange', () => {
  it('spans the hours touched by readings with a value', () => {
    const p = points('dashboard', 'demand_mw', 'IE', T0, 15, [
      [0, null],
      [75, 5],
      [180, 6],
      [300, null],
    ]);
    expect(valueHourRange(p)).toEqual({ first: T0 + HOUR_MS, last: T0 + 3 * HOUR_MS });
    expect(valueHourRange(points('dashboard', 'demand_mw', 'IE', T0, 15, [[0, null]]))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../lib/time.js';
import { shiftLoad } from './flex.js';

const start = Date.UTC(2023, 0, 1);
const ts = (n: number) => Float64Array.from({ length: n }, (_, i) => start + i * HOUR_MS);
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

describe('flexible load', () => {
  it('moves the shiftable share from the costliest hour to the cheapest it may reach', () => {
    const planned = new Float64Array(24).fill(100);
    const cost = Float64Array.from({ length: 24 }, () => 1);
    cost[18] = 5; // the evening peak
    cost[15] = 0; // the cheapest hour, 3 h earlier
    cost[2] = -1; // cheaper still, but 16 h away
    const { load, shiftedMwh } = shiftLoad(ts(24), planned, cost, { share: 0.2, maxShiftH: 4 });
    // Hour 18 gives its 20 MWh to hour 15; hour 0 (cost 1) gives 20 to hour 2; no other move is cheaper in reach.
    expect(shiftedMwh).toBeCloseTo(40, 9);
    expect(load[18]).toBeCloseTo(80, 9);
    expect(load[15]).toBeGreaterThan(100);
    expect(load[15]).toBeLessThanOrEqual(120 + 1e-9);
    expect(sum(load)).toBeCloseTo(2400, 9);
  });

  it('conserves each day’s energy, never moves across midnight and keeps the headroom', () => {
    const n = 72;
    const planned = new Float64Array(n).fill(50);
    const cost = Float64Array.from(
      { length: n },
      (_, h) => Math.sin((2 * Math.PI * h) / 24) + (h % 24 === 23 ? 5 : 0),
    );
    const { load } = shiftLoad(ts(n), planned, cost, { share: 0.3, maxShiftH: 6 });
    for (let d = 0; d < 3; d++) expect(sum(load.subarray(d * 24, d * 24 + 24))).toBeCloseTo(1200, 9);
    for (const x of load) {
      expect(x).toBeGreaterThanOrEqual(50 * 0.7 - 1e-9);
      expect(x).toBeLessThanOrEqual(50 * 1.3 + 1e-9);
    }
    // Hour 23 is the costliest of its day; the next day's cheap hours are out of reach.
    expect(load[23]).toBeCloseTo(35, 9);
    expect(load[24]).toBeLessThanOrEqual(50 * 1.3);
  });

  it('moves nothing when the share is 0 or all hours cost the same, and leaves unpriced hours alone', () => {
    const planned = new Float64Array(24).fill(10);
    const flat = new Float64Array(24).fill(3);
    expect(shiftLoad(ts(24), planned, flat, { share: 0.5, maxShiftH: 12 }).shiftedMwh).toBe(0);
    const cost = Float64Array.from({ length: 24 }, (_, h) => h);
    expect(shiftLoad(ts(24), planned, cost, { share: 0, maxShiftH: 12 }).shiftedMwh).toBe(0);
    cost[0] = Number.NaN;
    const { load } = shiftLoad(ts(24), planned, cost, { share: 0.5, maxShiftH: 23 });
    expect(load[0]).toBe(10);
  });
});

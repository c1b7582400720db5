import { describe, expect, it } from 'vitest';
import { computeGridFeatures, solarUnreportedMask } from './grid-features.js';
import { arr, expectSeries, list } from './test-support/points.js';

const flat = (n: number, v: number) => new Float64Array(n).fill(v);
const none = (n: number) => new Float64Array(n).fill(Number.NaN);

describe('seed grid features', () => {
  it('derives renewables, share, net load and ramp hour by hour', () => {
    const f = computeGridFeatures({
      demand: arr([4000, 4200, null, 4100]),
      wind: arr([1000, 1500, 1200, null]),
      solar: null,
      price: none(4),
    });
    expectSeries(f.renew, [1000, 1500, 1200, null]);
    expectSeries(f.renewableShare, [0.25, 1500 / 4200, null, null]);
    expectSeries(f.netLoad, [3000, 2700, null, null]);
    expectSeries(f.ramp, [null, 200, null, null]);
    expect([...f.solarUnreported]).toEqual([1, 1, 1, 1]);
    expect(list(f.solar)).toEqual([null, null, null, null]);
  });

  it('uses wind alone before the first solar reading and wind + solar after it', () => {
    const f = computeGridFeatures({
      demand: flat(5, 4000),
      wind: flat(5, 1000),
      solar: arr([null, null, 100, null, 50]),
      price: none(5),
    });
    expect([...f.solarUnreported]).toEqual([1, 1, 0, 0, 0]);
    expect(list(f.solar)).toEqual([null, null, 100, null, 50]);
    // Hour 3: solar reported but missing -> renewables unknown, not wind alone.
    expectSeries(f.renew, [1000, 1000, 1100, null, 1050]);
    expectSeries(f.netLoad, [3000, 3000, 2900, null, 2950]);
    expect([...solarUnreportedMask(arr([null, null]), 2)]).toEqual([1, 1]);
  });

  it('takes renew_var_24h as the sample std of the last 24 hours, with at least 18 of them', () => {
    // renew = 1000 + 10 i: the sample std of n consecutive terms is 10 sqrt(n (n + 1) / 12).
    const f = computeGridFeatures({
      demand: flat(30, 5000),
      wind: Float64Array.from({ length: 30 }, (_, i) => 1000 + 10 * i),
      solar: null,
      price: none(30),
    });
    expect(f.renewVar24h[16]).toBeNaN();
    expect(f.renewVar24h[17]).toBeCloseTo(10 * Math.sqrt((18 * 19) / 12), 9);
    expect(f.renewVar24h[23]).toBeCloseTo(10 * Math.sqrt((24 * 25) / 12), 9);
    expect(f.renewVar24h[29]).toBeCloseTo(10 * Math.sqrt(50), 9);
  });

  it('counts negative prices over the last 168 hours (at least 126 prices)', () => {
    const price = Float64Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? -5 : i % 10 === 5 ? 0 : 40));
    const f = computeGridFeatures({ demand: none(200), wind: none(200), solar: null, price });
    expect(f.negPrice[0]).toBe(1);
    expect(f.negPrice[5]).toBe(0);
    expect(f.negPriceFreq7d[124]).toBeNaN();
    // Hour 125: 126 prices (0..125), negative at 0, 10, ..., 120 -> 13.
    expect(f.negPriceFreq7d[125]).toBeCloseTo(13 / 126, 12);
    // Hour 199: window 32..199, negative at 40, 50, ..., 190 -> 16 of 168.
    expect(f.negPriceFreq7d[199]).toBeCloseTo(16 / 168, 12);
  });

  it('flags a price more than 2 rolling standard deviations above the rolling 168 h mean', () => {
    // Hours 0..166 alternate 40 (even, 84 of them) and 60 (odd, 83); hour 167 jumps to 200.
    const price = Float64Array.from({ length: 168 }, (_, i) => (i === 167 ? 200 : i % 2 === 0 ? 40 : 60));
    const f = computeGridFeatures({ demand: none(168), wind: none(168), solar: null, price });
    const mean = (84 * 40 + 83 * 60 + 200) / 168;
    const sd = Math.sqrt((84 * (40 - mean) ** 2 + 83 * (60 - mean) ** 2 + (200 - mean) ** 2) / 167);
    expect(f.priceZ[167]).toBeCloseTo((200 - mean) / sd, 10);
    expect(f.priceSpike[167]).toBe(1);
    const mean166 = (84 * 40 + 83 * 60) / 167;
    const sd166 = Math.sqrt((84 * (40 - mean166) ** 2 + 83 * (60 - mean166) ** 2) / 166);
    expect(f.priceZ[166]).toBeCloseTo((40 - mean166) / sd166, 10);
    expect(f.priceSpike[166]).toBe(0);
    expect(f.priceSpike[124]).toBeNaN();
  });
});

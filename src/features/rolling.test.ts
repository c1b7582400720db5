import { describe, expect, it } from 'vitest';
import { lagDifference, rollingMean, rollingMoments, rollingStd, rollingZ } from './rolling.js';
import { arr, expectSeries, list } from './test-support/points.js';

describe('look-back windows', () => {
  it('computes mean and sample std over the window ending at each hour', () => {
    const { mean, std, count } = rollingMoments(arr([2, 4, 4, 4, 5]), { window: 3, minCount: 2 });
    expectSeries(mean, [null, 3, 10 / 3, 4, 13 / 3]);
    // Hour 1: values 2, 4: sample variance ((2-3)^2 + (4-3)^2) / 1 = 2.
    expect(std[1]).toBeCloseTo(Math.SQRT2, 12);
    // Hour 2: 2, 4, 4: mean 10/3, squared deviations 16/9 + 4/9 + 4/9 = 24/9, / 2 = 4/3.
    expect(std[2]).toBeCloseTo(Math.sqrt(4 / 3), 12);
    // Hour 3: 4, 4, 4: constant.
    expect(std[3]).toBe(0);
    // Hour 4: 4, 4, 5: mean 13/3, deviations 1/9 + 1/9 + 4/9 = 6/9, / 2 = 1/3.
    expect(std[4]).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect([...count]).toEqual([1, 2, 3, 3, 3]);
  });

  it('skips missing values and needs minCount of them', () => {
    const values = arr([1, null, 3, null, null, 6]);
    expect(list(rollingMean(values, { window: 3, minCount: 2 }))).toEqual([null, null, 2, null, null, null]);
    expect(list(rollingMean(values, { window: 3, minCount: 1 }))).toEqual([1, 1, 2, 3, 3, 6]);
    // Hour 5: window 3, -, -, 6 -> sample std of (3, 6) = sqrt(4.5).
    expect(list(rollingStd(values, { window: 4, minCount: 2 }))).toEqual([
      null,
      null,
      Math.SQRT2,
      Math.SQRT2,
      null,
      Math.sqrt(4.5),
    ]);
  });

  it('gives the z of the current value within its own window, NaN for a constant window', () => {
    // Window of hour 3 = 1, 2, 3, 10: mean 4, squared deviations 9 + 4 + 1 + 36 = 50, variance 50/3.
    const z = rollingZ(arr([1, 2, 3, 10, 10, 10, 10]), { window: 4, minCount: 3 });
    expect(z[3]).toBeCloseTo(6 / Math.sqrt(50 / 3), 12);
    expect(z[6]).toBeNaN();
    expect(list(z).slice(0, 2)).toEqual([null, null]);
  });

  it('never reads ahead: changing a later value leaves every earlier hour unchanged', () => {
    const base = Float64Array.from({ length: 500 }, (_, i) => Math.sin(i / 7) * 100 + (i % 13));
    const changed = base.slice();
    changed[300] = 1e6;
    changed[420] = Number.NaN;
    const spec = { window: 24, minCount: 18 };
    for (const fn of [rollingMean, rollingStd, rollingZ]) {
      const a = fn(base, spec);
      const b = fn(changed, spec);
      expect(list(b.slice(0, 300))).toEqual(list(a.slice(0, 300)));
      expect(b[300]).not.toEqual(a[300]);
    }
  });

  it('matches a direct computation over a long series (running sums do not drift)', () => {
    const n = 20_000;
    const values = Float64Array.from({ length: n }, (_, i) =>
      i % 97 === 0 ? Number.NaN : 4000 + 800 * Math.sin(i / 11) + ((i * 7919) % 101),
    );
    const spec = { window: 168, minCount: 126 };
    const { mean, std } = rollingMoments(values, spec);
    for (const t of [200, 4095, 4096, 4097, 12_345, n - 1]) {
      const window = Array.from(values.slice(t - 167, t + 1)).filter((x) => !Number.isNaN(x));
      const m = window.reduce((s, x) => s + x, 0) / window.length;
      const sd = Math.sqrt(window.reduce((s, x) => s + (x - m) ** 2, 0) / (window.length - 1));
      expect(mean[t]).toBeCloseTo(m, 8);
      expect(std[t]).toBeCloseTo(sd, 8);
    }
  });

  it('differences a series with its value lag hours earlier', () => {
    expect(list(lagDifference(arr([10, 15, null, 30, 28]), 1))).toEqual([null, 5, null, null, -2]);
  });

  it('rejects a window that is not a positive whole number', () => {
    expect(() => rollingMean(arr([1]), { window: 0, minCount: 1 })).toThrow(/window >= 1/);
  });
});

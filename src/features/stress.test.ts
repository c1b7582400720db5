import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import {
  checkStressWeights,
  combineStress,
  snspTerm,
  stressBand,
  stressComponents,
  type StressComponents,
} from './stress.js';
import { arr, expectSeries, thrownBy } from './test-support/points.js';

const DEFAULTS = { ramp: 0.4, renew_var: 0.4, price_spike: 0.2, net_load: 0.2, snsp: 0.2 };

const components = (rows: Array<[number, number, number, number, number]>): StressComponents => ({
  ramp: arr(rows.map((r) => r[0])),
  renew_var: arr(rows.map((r) => r[1])),
  price_spike: arr(rows.map((r) => r[2])),
  net_load: arr(rows.map((r) => r[3])),
  snsp: arr(rows.map((r) => r[4])),
});

describe('stress score', () => {
  it('scores SNSP 0 at 50 %, 2 at the 75 % limit, clamped to [-2, 4]', () => {
    expect(snspTerm(0.5)).toBe(0);
    expect(snspTerm(0.625)).toBeCloseTo(1, 12);
    expect(snspTerm(0.75)).toBeCloseTo(2, 12);
    expect(snspTerm(0.1)).toBe(-2);
    expect(snspTerm(1)).toBe(4);
    expect(snspTerm(Number.NaN)).toBeNaN();
  });

  it('z-scores |ramp| and the other inputs over the look-back window', () => {
    const c = stressComponents(
      {
        ramp: arr([null, 100, -300, 200, 50]),
        renewVar24h: arr([5, 5, 5, 5, 5]),
        priceZ: arr([null, null, 1.5, -0.5, 2.5]),
        netLoad: arr([3000, 3100, 3200, 3300, 3400]),
        snsp: arr([0.5, 0.6, 0.7, 0.75, null]),
      },
      { window: 4, minCount: 3 },
    );
    // Hour 3: |ramp| 100, 300, 200 -> mean 200, sample std 100 -> z 0.
    // Hour 4: 100, 300, 200, 50 -> mean 162.5, squared deviations sum 36875, variance 36875 / 3.
    expectSeries(c.ramp, [null, null, null, 0, (50 - 162.5) / Math.sqrt(36875 / 3)]);
    // A constant window has no z.
    expectSeries(c.renew_var, [null, null, null, null, null]);
    expectSeries(c.price_spike, [null, null, 1.5, -0.5, 2.5]);
    // Net load 3000..3300 (hour 3): mean 3150, sample std sqrt(50000 / 3).
    expectSeries(c.net_load, [null, null, 1, 150 / Math.sqrt(50000 / 3), 150 / Math.sqrt(50000 / 3)]);
    expectSeries(c.snsp, [0, 0.8, 1.6, 2, null]);
  });

  it('divides the weighted sum of the available components by the root of their squared weights', () => {
    const { score, partial } = combineStress(
      components([
        [1, 2, 3, 0.5, 2],
        [1, 2, Number.NaN, 0.5, 2],
        [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
      ]),
      DEFAULTS,
    );
    // (0.4*1 + 0.4*2 + 0.2*3 + 0.2*0.5 + 0.2*2) / sqrt(0.16 + 0.16 + 0.04 + 0.04 + 0.04) = 2.3 / sqrt(0.44)
    expect(score[0]).toBeCloseTo(2.3 / Math.sqrt(0.44), 12);
    // Without the price: (0.4 + 0.8 + 0.1 + 0.4) / sqrt(0.40)
    expect(score[1]).toBeCloseTo(1.7 / Math.sqrt(0.4), 12);
    expect(score[2]).toBeNaN();
    expect([...partial]).toEqual([0, 1, 0]);
  });

  it('ignores components weighted 0, missing or not', () => {
    const { score, partial } = combineStress(components([[1, 3, 5, 7, Number.NaN]]), {
      ...DEFAULTS,
      snsp: 0,
      net_load: 0,
    });
    expect(score[0]).toBeCloseTo((0.4 * 1 + 0.4 * 3 + 0.2 * 5) / Math.sqrt(0.16 + 0.16 + 0.04), 12);
    expect(partial[0]).toBe(0);
  });

  it('keeps one component in its own units and only the ratio of the weights matters', () => {
    const nan = Number.NaN;
    expect(combineStress(components([[nan, nan, nan, nan, 2]]), DEFAULTS).score[0]).toBeCloseTo(2, 12);
    expect(combineStress(components([[-1.5, nan, nan, nan, nan]]), DEFAULTS).score[0]).toBeCloseTo(-1.5, 12);
    const scaled = { ramp: 4, renew_var: 4, price_spike: 2, net_load: 2, snsp: 2 };
    const row: [number, number, number, number, number] = [0.3, -1, 2, 0.7, 1.2];
    expect(combineStress(components([row]), scaled).score[0]).toBeCloseTo(
      combineStress(components([row]), DEFAULTS).score[0]!,
      12,
    );
    // Five components two standard deviations up at once: 2 * 1.4 / sqrt(0.44), a rarer event than any one.
    expect(combineStress(components([[2, 2, 2, 2, 2]]), DEFAULTS).score[0]).toBeCloseTo(
      (2 * 1.4) / Math.sqrt(0.44),
      12,
    );
  });

  it('has unit spread for independent unit-variance components, with all five or with fewer', () => {
    // Deterministic pseudo-normal components: mulberry32 uniforms, sums of 12 minus 6.
    let state = 12345;
    const uniform = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const normal = () => {
      let sum = -6;
      for (let k = 0; k < 12; k++) sum += uniform();
      return sum;
    };
    const n = 20_000;
    const draw = (present: boolean) =>
      Float64Array.from({ length: n }, () => (present ? normal() : Number.NaN));
    for (const present of [
      [true, true, true, true, true],
      [true, false, true, false, false],
    ]) {
      const c = {
        ramp: draw(present[0]!),
        renew_var: draw(present[1]!),
        price_spike: draw(present[2]!),
        net_load: draw(present[3]!),
        snsp: draw(present[4]!),
      };
      const { score } = combineStress(c, DEFAULTS);
      const mean = score.reduce((s, x) => s + x, 0) / n;
      const sd = Math.sqrt(score.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
      expect(sd).toBeGreaterThan(0.97);
      expect(sd).toBeLessThan(1.03);
    }
  });

  it('rejects negative, non-finite or all-zero weights', () => {
    expect(
      isDcgridError(
        thrownBy(() => checkStressWeights({ ...DEFAULTS, ramp: -1 })),
        'E_CONFIG_INVALID',
      ),
    ).toBe(true);
    expect(() => checkStressWeights({ ramp: 0, renew_var: 0, price_spike: 0, net_load: 0, snsp: 0 })).toThrow(
      /not all zero/,
    );
  });

  it('bands the score: normal < 1 <= elevated < 2 <= high < 3 <= critical', () => {
    expect(stressBand(-3)).toBe('normal');
    expect(stressBand(0.999)).toBe('normal');
    expect(stressBand(1)).toBe('elevated');
    expect(stressBand(1.999)).toBe('elevated');
    expect(stressBand(2)).toBe('high');
    expect(stressBand(3)).toBe('critical');
    expect(stressBand(Number.NaN)).toBeNull();
  });
});

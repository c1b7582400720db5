import { describe, expect, it } from 'vitest';
import { normalQuantile, referenceQuantiles, referenceRank, trailingMax } from './reference-window.js';
import { arr, expectSeries } from './test-support/points.js';

describe('reference windows', () => {
  it('ranks each value among the past hours of its lag ranges only', () => {
    // Reference of t: hours t-2 .. t-1 and t-5 .. t-4.
    const spec = {
      lags: [
        [1, 2],
        [4, 5],
      ] as Array<[number, number]>,
      minCount: 3,
    };
    const x = arr([1, 2, 3, 4, 5, 0, 9, null, 3]);
    const rank = referenceRank(x, spec);
    // t = 5: reference {3, 4} and {0 .. : hours 0, 1} = {1, 2, 3, 4}; value 0 is below all: 0.5 / 5.
    expect(rank[5]).toBeCloseTo(0.5 / 5, 12);
    // t = 6: hours 4, 5 and 1, 2: {5, 0, 2, 3}; 9 above all: 4.5 / 5.
    expect(rank[6]).toBeCloseTo(4.5 / 5, 12);
    // t = 8: hours 6, 7 (missing) and 3, 4: {9, 4, 5}; 3 is below all three.
    expect(rank[8]).toBeCloseTo(0.5 / 4, 12);
    expect(rank[7]).toBeNaN(); // the value is missing
    expect(rank[2]).toBeNaN(); // only hours 0, 1 in the reference
  });

  it('counts ties as half', () => {
    const rank = referenceRank(arr([5, 5, 5, 5]), { lags: [[1, 3]], minCount: 3 });
    expect(rank[3]).toBeCloseTo((0 + 3 / 2 + 0.5) / 4, 12);
  });

  it('gives interpolated quantiles of the reference', () => {
    const [median, top] = referenceQuantiles(
      arr([4, 1, 3, 2, 100]),
      { lags: [[1, 4]], minCount: 4 },
      [0.5, 1],
    );
    expectSeries(median!, [null, null, null, null, 2.5]);
    expectSeries(top!, [null, null, null, null, 4]);
    expect(() => referenceQuantiles(arr([1]), { lags: [[1, 1]], minCount: 1 }, [1.5])).toThrow(/quantile/);
  });

  it('agrees with a brute-force count on noisy data with ties and gaps', () => {
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const x = Float64Array.from({ length: 400 }, () => (next() < 0.1 ? Number.NaN : Math.round(next() * 30)));
    const spec = {
      lags: [
        [1, 24],
        [100, 150],
      ] as Array<[number, number]>,
      minCount: 20,
    };
    const rank = referenceRank(x, spec);
    const [q10, q99] = referenceQuantiles(x, spec, [0.1, 0.99]);
    for (let t = 0; t < x.length; t++) {
      const ref: number[] = [];
      for (const [from, to] of spec.lags) {
        for (let i = t - to; i <= t - from; i++) if (i >= 0 && !Number.isNaN(x[i]!)) ref.push(x[i]!);
      }
      ref.sort((a, b) => a - b);
      if (ref.length < spec.minCount) {
        expect(q10![t]).toBeNaN();
        continue;
      }
      const quantile = (q: number) => {
        const at = q * (ref.length - 1);
        const lo = Math.floor(at);
        return ref[lo]! + (at - lo) * ((ref[Math.min(lo + 1, ref.length - 1)] ?? 0) - ref[lo]!);
      };
      expect(q10![t]).toBeCloseTo(quantile(0.1), 12);
      expect(q99![t]).toBeCloseTo(quantile(0.99), 12);
      if (Number.isNaN(x[t]!)) continue;
      const below = ref.filter((v) => v < x[t]!).length;
      const equal = ref.filter((v) => v === x[t]!).length;
      expect(rank[t]).toBeCloseTo((below + equal / 2 + 0.5) / (ref.length + 1), 12);
    }
  });

  it('rejects lag ranges that include the current hour or overlap', () => {
    expect(() => referenceRank(arr([1]), { lags: [[0, 3]], minCount: 1 })).toThrow(/lag ranges/);
    expect(() =>
      referenceRank(arr([1]), {
        lags: [
          [1, 3],
          [3, 5],
        ],
        minCount: 1,
      }),
    ).toThrow(/lag ranges/);
  });

  it('takes the trailing maximum, skipping missing hours', () => {
    expectSeries(trailingMax(arr([1, 3, null, 2, 0, null, null]), 3), [1, 3, 3, 3, 2, 2, 0]);
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 4);
    expect(normalQuantile(0)).toBeNaN();
  });
});

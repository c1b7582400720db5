import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample.js';

const range = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i);

describe('downsampleMinMax', () => {
  it('returns short series unchanged', () => {
    const out = downsampleMinMax([1, 2, 3], [[5, 6, 7]], ['minmax'], 10);
    expect([...out.x]).toEqual([1, 2, 3]);
    expect([...out.ys[0]!]).toEqual([5, 6, 7]);
  });

  it('keeps every peak and trough of a long series, in time order, within 2 points per bucket', () => {
    const n = 8760;
    const x = range(n);
    const y = Float64Array.from(x, (i) => Math.sin(i / 5));
    y[1234] = 50;
    y[5000] = -50;
    const out = downsampleMinMax(x, [y], ['minmax'], 100);
    expect(out.x.length).toBe(200);
    expect(Math.max(...out.ys[0]!)).toBe(50);
    expect(Math.min(...out.ys[0]!)).toBe(-50);
    for (let i = 1; i < out.x.length; i++) expect(out.x[i]!).toBeGreaterThanOrEqual(out.x[i - 1]!);
    expect(out.x[0]).toBe(0);
    expect(out.x[out.x.length - 1]).toBe(n - 1);
  });

  it('orders a bucket as the values occurred: a fall gives max then min', () => {
    const x = range(8);
    const falling = [9, 8, 7, 6, 5, 4, 3, 2];
    const out = downsampleMinMax(x, [falling], ['minmax'], 2);
    expect([...out.ys[0]!]).toEqual([9, 6, 5, 2]);
    expect([...out.x]).toEqual([0, 3, 4, 7]);
  });

  it('never narrows a band: lower edge takes the minimum, upper edge the maximum', () => {
    const x = range(1000);
    const lower = Float64Array.from(x, (i) => -(i % 7));
    const upper = Float64Array.from(x, (i) => i % 11);
    const out = downsampleMinMax(x, [lower, upper], ['min', 'max'], 10);
    for (let k = 0; k < 10; k++) {
      expect(out.ys[0]![2 * k]).toBe(-6);
      expect(out.ys[0]![2 * k + 1]).toBe(-6);
      expect(out.ys[1]![2 * k]).toBe(10);
    }
  });

  it('keeps a bucket without values as a gap and ignores NaN inside a bucket', () => {
    const x = range(40);
    const y = Float64Array.from(x, (i) => (i < 10 ? Number.NaN : i === 15 ? Number.NaN : i));
    const out = downsampleMinMax(x, [y], ['minmax'], 4);
    expect(Number.isNaN(out.ys[0]![0]!)).toBe(true);
    expect(Number.isNaN(out.ys[0]![1]!)).toBe(true);
    expect([out.ys[0]![2], out.ys[0]![3]]).toEqual([10, 19]);
  });

  it('refuses series of another length or a missing reducer', () => {
    expect(() => downsampleMinMax([1, 2], [[1]], ['minmax'], 1)).toThrow(/length/);
    expect(() => downsampleMinMax([1, 2], [[1, 2]], [], 1)).toThrow(/reducer/);
  });
});

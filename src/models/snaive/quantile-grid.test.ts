import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { GRID_LEVELS, gridQuantile, percentileGrid, sortedQuantile } from './quantile-grid.js';

describe('empirical quantile grid', () => {
  it('interpolates between order statistics (type 7)', () => {
    const sorted = [1, 2, 4, 8];
    expect(sortedQuantile(sorted, 0)).toBe(1);
    expect(sortedQuantile(sorted, 1)).toBe(8);
    // position 0.5 * 3 = 1.5: halfway between 2 and 4.
    expect(sortedQuantile(sorted, 0.5)).toBe(3);
    // position 0.1 * 3 = 0.3: 1 + 0.3 * (2 - 1).
    expect(sortedQuantile(sorted, 0.1)).toBeCloseTo(1.3, 12);
    expect(sortedQuantile([], 0.5)).toBeNaN();
  });

  it('keeps 99 percentiles of the finite values and reads levels between them', () => {
    // 0..100 in random order with NaN mixed in: percentile p is exactly p.
    const values = [NaN, ...Array.from({ length: 101 }, (_, i) => (i * 37) % 101), NaN];
    const grid = percentileGrid(values);
    expect(grid).toHaveLength(GRID_LEVELS.length);
    expect(grid[0]).toBeCloseTo(1, 12);
    expect(grid[9]).toBeCloseTo(10, 12);
    expect(grid[98]).toBeCloseTo(99, 12);
    expect(gridQuantile(grid, 0.1)).toBeCloseTo(10, 12);
    expect(gridQuantile(grid, 0.125)).toBeCloseTo(12.5, 12);
    expect(gridQuantile(grid, 0.99)).toBeCloseTo(99, 12);
  });

  it('refuses levels outside the grid', () => {
    const grid = percentileGrid([1, 2, 3]);
    for (const q of [0.001, 0.995]) {
      let caught: unknown;
      try {
        gridQuantile(grid, q);
      } catch (error) {
        caught = error;
      }
      expect(isDcgridError(caught, 'E_VALUE_INVALID')).toBe(true);
    }
  });
});

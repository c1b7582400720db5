/**
 * Empirical error distributions kept as a grid of percentiles (levels 0.01 .. 0.99), so that a
 * saved model can answer any quantile level in that range without storing every error.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

export const GRID_LEVELS: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** Quantile of sorted values with linear interpolation between order statistics (Hyndman-Fan type 7). */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const weight = position - below;
  return sorted[below]! + weight * (sorted[above]! - sorted[below]!);
}

/** The grid of percentiles of the finite values. */
export function percentileGrid(values: ArrayLike<number>): number[] {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  finite.sort((a, b) => a - b);
  return GRID_LEVELS.map((level) => sortedQuantile(finite, level));
}

/** Quantile `q` read off a percentile grid, linear between grid levels; q must lie in [0.01, 0.99]. */
export function gridQuantile(grid: readonly number[], q: number): number {
  const first = GRID_LEVELS[0]!;
  const last = GRID_LEVELS[GRID_LEVELS.length - 1]!;
  if (!(q >= first - 1e-12 && q <= last + 1e-12)) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Quantile ${q} is outside the empirical error grid (${first} to ${last}).`,
    );
  }
  const position = Math.min(Math.max((q - first) * 100, 0), GRID_LEVELS.length - 1);
  const below = Math.floor(position + 1e-9);
  const above = Math.min(below + 1, grid.length - 1);
  const weight = Math.max(0, position - below);
  return grid[below]! + weight * (grid[above]! - grid[below]!);
}

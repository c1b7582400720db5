/**
 * Quantile helpers shared by the models: curves that never cross, levels between the trained ones,
 * and empirical quantiles of a sample.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';

/** Sorts the values of each hour across quantile levels, so quantiles never cross. */
export function uncross(values: Float64Array[]): void {
  const hours = values[0]?.length ?? 0;
  const column = new Float64Array(values.length);
  for (let h = 0; h < hours; h++) {
    for (let q = 0; q < values.length; q++) column[q] = values[q]![h]!;
    column.sort();
    for (let q = 0; q < values.length; q++) values[q]![h] = column[q]!;
  }
}

/**
 * Curves for the requested levels from curves at the trained levels (sorted ascending): exact
 * levels are copied, levels between two trained ones are interpolated linearly.
 */
export function atLevels(
  trained: readonly number[],
  values: Float64Array[],
  requested: readonly number[],
): Float64Array[] {
  const first = trained[0]!;
  const last = trained[trained.length - 1]!;
  return requested.map((level) => {
    const exact = trained.indexOf(level);
    if (exact >= 0) return Float64Array.from(values[exact]!);
    if (!(level > first && level < last)) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `Quantile ${level} is outside the trained range [${first}, ${last}]; refit with it in FitOptions.quantiles.`,
      );
    }
    const upper = trained.findIndex((q) => q > level);
    const lo = trained[upper - 1]!;
    const hi = trained[upper]!;
    const weight = (level - lo) / (hi - lo);
    const below = values[upper - 1]!;
    const above = values[upper]!;
    return below.map((v, h) => v + weight * (above[h]! - v));
  });
}

/** The alpha-quantile of finite values (linear interpolation between order statistics). */
export function empiricalQuantile(values: ArrayLike<number>, alpha: number): number {
  const sorted = Float64Array.from(values)
    .filter((v) => Number.isFinite(v))
    .sort();
  if (sorted.length === 0) return Number.NaN;
  const position = alpha * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (position - lower) * (sorted[upper]! - sorted[lower]!);
}

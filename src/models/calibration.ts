/**
 * Split-conformal recalibration of quantile curves on the validation window: per quantile level
 * and block of horizons, the shift that makes the share of validation targets below the curve
 * equal to the level. Quantile boosters fitted on overlapping (origin, horizon) rows come out too
 * narrow (their spread reflects the noise, not their own error); this widens them.
 *
 * 'spread' (the default) removes the validation window's overall bias from every shift, so only
 * the width is corrected: a 28-day window's bias is mostly season, and carrying it forward hurt
 * held-out coverage in our tests. 'full' keeps it (classic conformal quantile regression).
 */
import { atLevels, empiricalQuantile } from './quantiles.js';

export type CalibrationMode = 'spread' | 'full' | 'none';

/** Horizons 1-24 share a shift, 25-48 the next, and so on. */
export const CALIBRATION_BLOCK_HOURS = 24;
/** Blocks with fewer validation rows keep a zero shift. */
export const MIN_ROWS_PER_BLOCK = 100;

export function horizonBlock(h: number): number {
  return Math.floor((h - 1) / CALIBRATION_BLOCK_HOURS);
}

/** The median curve: interpolated when 0.5 lies within the levels, else the nearest level's. */
function centreCurve(levels: readonly number[], predictions: readonly Float64Array[]): Float64Array {
  const first = levels[0]!;
  const last = levels[levels.length - 1]!;
  if (0.5 >= first && 0.5 <= last) return atLevels(levels, [...predictions], [0.5])[0]!;
  return predictions[0.5 < first ? 0 : levels.length - 1]!;
}

/**
 * shifts[q][block] in the model's normalised units.
 * @param levels quantile levels, ascending
 * @param predictions predictions[q][row] of each level on the validation rows
 */
export function fitShifts(
  mode: CalibrationMode,
  levels: readonly number[],
  predictions: readonly Float64Array[],
  labels: Float32Array,
  horizons: Int32Array,
  horizon: number,
): number[][] {
  const blocks = horizonBlock(horizon) + 1;
  if (mode === 'none') return levels.map(() => new Array<number>(blocks).fill(0));
  const rowsByBlock: number[][] = Array.from({ length: blocks }, () => []);
  for (let r = 0; r < labels.length; r++) rowsByBlock[horizonBlock(horizons[r]!)]!.push(r);
  const centre = centreCurve(levels, predictions);
  const bias = rowsByBlock.map((rows) =>
    mode === 'spread' && rows.length >= MIN_ROWS_PER_BLOCK
      ? empiricalQuantile(
          rows.map((r) => labels[r]! - centre[r]!),
          0.5,
        )
      : 0,
  );
  return levels.map((level, q) =>
    rowsByBlock.map((rows, block) => {
      if (rows.length < MIN_ROWS_PER_BLOCK) return 0;
      const residuals = rows.map((r) => labels[r]! - predictions[q]![r]!);
      return empiricalQuantile(residuals, level) - bias[block]!;
    }),
  );
}

export function shiftFor(shifts: readonly number[], h: number): number {
  return shifts[horizonBlock(h)] ?? 0;
}

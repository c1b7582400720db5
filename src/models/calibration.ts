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
import { gridQuantile, percentileGrid } from './snaive/quantile-grid.js';

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

/*
 * Intervals from validation origins (every model through models/calibrated.ts, and the ensemble):
 * the model forecasts from daily origins inside the last validation hours of its training window,
 * each from the history before that origin, and the errors y - P50 of those forecasts, per band of
 * forecast hours, give quantile q at P50 + (q-quantile - median) of the band's errors. The band's
 * median error is removed, so the validation window's bias is not carried forward (as 'spread'
 * above). Widths are constant per band: the models' own widths follow the season in the wrong
 * direction (xgb's P10-P90 narrowed to 112 MW in July 2022 while its errors did not; mstl's and
 * prophet's come from a few weeks or from in-sample residuals).
 */

/** Hours between validation origins. */
export const VALIDATION_ORIGIN_EVERY_H = 24;
/** Fewer validation origins than this cannot calibrate. */
export const MIN_VALIDATION_ORIGINS = 3;

/**
 * Rows of a training frame of `hours` rows used as validation origins: every `everyH` hours from
 * the first hour of the last `validationHours`, each with its `horizon` hours inside the frame.
 */
export function validationOrigins(
  hours: number,
  validationHours: number,
  horizon: number,
  everyH: number = VALIDATION_ORIGIN_EVERY_H,
): number[] {
  const origins: number[] = [];
  const first = hours - validationHours;
  if (first <= 0) return origins;
  for (let o = first; o + horizon <= hours; o += everyH) origins.push(o);
  return origins;
}

/** The band (0-based) of forecast hour h (1-based) with bands of `bandHours`. */
export function bandOf(h: number, bandHours: number): number {
  return Math.floor((h - 1) / bandHours);
}

/**
 * Percentile grids (snaive/quantile-grid.ts) of the errors per band.
 * @param errors errors[j * horizon + h]: actual - median at hour h + 1 of validation origin j
 */
export function errorGrids(errors: ArrayLike<number>, horizon: number, bandHours: number): number[][] {
  const bands: number[][] = Array.from({ length: bandOf(horizon, bandHours) + 1 }, () => []);
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]!;
    if (Number.isFinite(e)) bands[bandOf((i % horizon) + 1, bandHours)]!.push(e);
  }
  return bands.map((band) => percentileGrid(band));
}

/**
 * Curves of `quantiles` around `median` from the band error grids: level q is the median plus the
 * band's q-quantile minus its median error, never on the wrong side of the median. 0.5 is the
 * median itself.
 */
export function curvesFromGrids(
  median: Float64Array,
  quantiles: readonly number[],
  grids: readonly (readonly number[])[],
  bandHours: number,
): Float64Array[] {
  return quantiles.map((q) => {
    if (q === 0.5) return Float64Array.from(median);
    return Float64Array.from(median, (point, h) => {
      const grid = grids[Math.min(bandOf(h + 1, bandHours), grids.length - 1)]!;
      const offset = gridQuantile(grid, q) - gridQuantile(grid, 0.5);
      return q < 0.5 ? Math.min(point + offset, point) : Math.max(point + offset, point);
    });
  });
}

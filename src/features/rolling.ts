/**
 * Look-back windows over an hourly grid: the window of hour t is hours t - window + 1 .. t (it ends
 * at, and includes, the current hour; it never reads a later hour). NaN values are skipped; a window
 * with fewer than `minCount` values gives NaN.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';

export interface WindowSpec {
  /** Hours in the window, the current one included. */
  window: number;
  /** Fewest values (not NaN) the window needs. */
  minCount: number;
}

export interface RollingMoments {
  mean: Float64Array;
  /** Sample standard deviation (divisor n - 1). */
  std: Float64Array;
  count: Int32Array;
}

/** Windows whose spread is below this fraction of their level count as constant (std 0). */
const CONSTANT_TOLERANCE = 1e-9;
/** Running sums are recomputed exactly this often, so rounding never accumulates over long series. */
const RESYNC_EVERY = 4096;

function checkSpec({ window, minCount }: WindowSpec): void {
  if (!Number.isInteger(window) || window < 1 || !Number.isInteger(minCount) || minCount < 1) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `rolling window needs whole numbers window >= 1 and minCount >= 1 (got ${window}, ${minCount})`,
    );
  }
}

export function rollingMoments(values: Float64Array, spec: WindowSpec): RollingMoments {
  checkSpec(spec);
  const { window, minCount } = spec;
  const n = values.length;
  const mean = new Float64Array(n).fill(Number.NaN);
  const std = new Float64Array(n).fill(Number.NaN);
  const count = new Int32Array(n);
  // Sums of (x - shift) keep the variance formula free of cancellation for series far from zero.
  let shift = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(values[i]!)) {
      shift = values[i]!;
      break;
    }
  }
  let k = 0;
  let s1 = 0;
  let s2 = 0;
  for (let t = 0; t < n; t++) {
    if (t % RESYNC_EVERY === 0) {
      k = 0;
      s1 = 0;
      s2 = 0;
      for (let i = Math.max(0, t - window + 1); i < t; i++) {
        const x = values[i]!;
        if (Number.isNaN(x)) continue;
        k++;
        s1 += x - shift;
        s2 += (x - shift) * (x - shift);
      }
    }
    const incoming = values[t]!;
    if (!Number.isNaN(incoming)) {
      k++;
      s1 += incoming - shift;
      s2 += (incoming - shift) * (incoming - shift);
    }
    const leaving = t - window >= 0 ? values[t - window]! : Number.NaN;
    if (!Number.isNaN(leaving) && t % RESYNC_EVERY !== 0) {
      k--;
      s1 -= leaving - shift;
      s2 -= (leaving - shift) * (leaving - shift);
    }
    count[t] = k;
    if (k < minCount || k === 0) continue;
    const m = s1 / k;
    mean[t] = m + shift;
    if (k < 2) continue;
    const variance = Math.max(0, (s2 - s1 * m) / (k - 1));
    const sd = Math.sqrt(variance);
    std[t] = sd <= CONSTANT_TOLERANCE * Math.max(1, Math.abs(m + shift)) ? 0 : sd;
  }
  return { mean, std, count };
}

/** Sample standard deviation over the look-back window. */
export function rollingStd(values: Float64Array, spec: WindowSpec): Float64Array {
  return rollingMoments(values, spec).std;
}

/** Mean over the look-back window (of a 0/1 indicator: the share of hours where it holds). */
export function rollingMean(values: Float64Array, spec: WindowSpec): Float64Array {
  return rollingMoments(values, spec).mean;
}

/**
 * z(t) = (x(t) - mean) / std over the look-back window ending at t (x(t) included). NaN when x(t)
 * is missing, the window has too few values, or its values are all equal.
 */
export function rollingZ(values: Float64Array, spec: WindowSpec): Float64Array {
  const { mean, std } = rollingMoments(values, spec);
  const z = new Float64Array(values.length);
  for (let t = 0; t < values.length; t++) {
    const sd = std[t]!;
    z[t] = sd > 0 ? (values[t]! - mean[t]!) / sd : Number.NaN;
  }
  return z;
}

/** x(t) - x(t - lag); NaN when either is missing or t - lag is before the grid. */
export function lagDifference(values: Float64Array, lag: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let t = lag; t < values.length; t++) out[t] = values[t]! - values[t - lag]!;
  return out;
}

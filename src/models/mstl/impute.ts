/**
 * MSTL needs a gap-free series. Missing hours take the value one week before (already filled when
 * that was missing too), else one day before, else the last known value; hours before the first
 * known value take that value.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

/** A window with fewer known values than this share is refused rather than invented. */
const MIN_KNOWN_SHARE = 0.5;

export function imputeSeasonal(values: Float64Array, column: string): Float64Array {
  let known = 0;
  for (const v of values) if (Number.isFinite(v)) known++;
  if (known < MIN_KNOWN_SHARE * values.length) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Only ${known} of ${values.length} hours of "${column}" are known; at least half are needed.`,
      { column },
    );
  }
  const out = values.slice();
  let last = Number.NaN;
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i]!)) {
      last = out[i]!;
      continue;
    }
    const week = i >= 168 ? out[i - 168]! : Number.NaN;
    const day = i >= 24 ? out[i - 24]! : Number.NaN;
    out[i] = Number.isFinite(week) ? week : Number.isFinite(day) ? day : last;
  }
  const first = out.findIndex((v) => Number.isFinite(v));
  for (let i = 0; i < first; i++) out[i] = out[first]!;
  return out;
}

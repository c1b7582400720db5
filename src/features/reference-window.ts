/**
 * Order statistics of an hourly series against a reference window made of past hours only: the
 * reference of hour t is the union of lag ranges [from, to] (hours back from t, from >= 1), so the
 * current hour and every later hour are never read. NaN values are skipped; a reference with fewer
 * than `minCount` values gives NaN. Used by the stress score (docs/FEATURES.md, "stress_score").
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';

export interface ReferenceWindow {
  /** Lag ranges in hours, inclusive, non-overlapping, each 1 <= from <= to. */
  lags: ReadonlyArray<readonly [number, number]>;
  /** Fewest values (not NaN) the reference needs. */
  minCount: number;
}

function checkWindow({ lags, minCount }: ReferenceWindow): void {
  const sorted = [...lags].sort((a, b) => a[0] - b[0]);
  const bad =
    sorted.length === 0 ||
    !Number.isInteger(minCount) ||
    minCount < 1 ||
    sorted.some(
      ([from, to], i) =>
        !Number.isInteger(from) ||
        !Number.isInteger(to) ||
        from < 1 ||
        to < from ||
        (i > 0 && from <= sorted[i - 1]![1]),
    );
  if (bad) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `reference window needs non-overlapping whole-hour lag ranges 1 <= from <= to and minCount >= 1 (got ${JSON.stringify(lags)}, ${minCount})`,
    );
  }
}

/**
 * A multiset of the series' own values: a Fenwick tree of counts over the sorted distinct values,
 * so adding, removing, ranking and picking the k-th smallest each cost O(log n) whatever the
 * window's size (a 2,000-hour seasonal reference slides over 100k hours in milliseconds).
 */
class CountWindow {
  private readonly tree: Int32Array;
  private readonly top: number;
  size = 0;

  /** `levels`: the distinct non-NaN values of the series, ascending. */
  constructor(private readonly levels: Float64Array) {
    this.tree = new Int32Array(levels.length + 1);
    let top = 1;
    while (top * 2 <= levels.length) top *= 2;
    this.top = top;
  }

  /** Index of the first level >= x (strict = false) or > x (strict = true). */
  private bound(x: number, strict: boolean): number {
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.levels[mid]!;
      if (v < x || (strict && v === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private update(x: number, by: number): void {
    if (Number.isNaN(x)) return;
    for (let i = this.bound(x, false) + 1; i < this.tree.length; i += i & -i) this.tree[i]! += by;
    this.size += by;
  }

  add(x: number): void {
    this.update(x, 1);
  }

  remove(x: number): void {
    this.update(x, -1);
  }

  /** How many values are below x (strict = true) or at most x (strict = false). */
  countBelow(x: number, strict: boolean): number {
    let n = 0;
    for (let i = this.bound(x, !strict); i > 0; i -= i & -i) n += this.tree[i]!;
    return n;
  }

  /** The k-th smallest value, k from 0. */
  kth(k: number): number {
    let pos = 0;
    let rest = k + 1;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && this.tree[next]! < rest) {
        pos = next;
        rest -= this.tree[next]!;
      }
    }
    return this.levels[pos]!;
  }

  /** Quantile q in [0, 1] with linear interpolation between order statistics. */
  quantile(q: number): number {
    const at = q * (this.size - 1);
    const lo = Math.floor(at);
    const low = this.kth(lo);
    return at === lo ? low : low + (at - lo) * (this.kth(lo + 1) - low);
  }
}

function distinctLevels(values: Float64Array): Float64Array {
  const sorted = values.filter((x) => !Number.isNaN(x)).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/**
 * Calls `visit(t, window)` for every hour t with the reference window of t loaded (window.size
 * values). Every lag range slides by one hour per step: the hour entering at its near edge is
 * added, the one leaving at its far edge removed.
 */
function slide(
  values: Float64Array,
  spec: ReferenceWindow,
  visit: (t: number, w: CountWindow) => void,
): void {
  checkWindow(spec);
  const window = new CountWindow(distinctLevels(values));
  const at = (i: number) => (i >= 0 && i < values.length ? values[i]! : Number.NaN);
  for (let t = 0; t < values.length; t++) {
    // Window of t: hours t - to .. t - from; at t = 0 both edges fall before the series.
    for (const [from, to] of spec.lags) {
      window.add(at(t - from));
      window.remove(at(t - 1 - to));
    }
    visit(t, window);
  }
}

/**
 * Mid-rank of each value among its reference: (below + equal / 2 + 1/2) / (n + 1), in (0, 1).
 * NaN where the value is missing or the reference has fewer than minCount values.
 */
export function referenceRank(values: Float64Array, spec: ReferenceWindow): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  slide(values, spec, (t, w) => {
    const x = values[t]!;
    if (Number.isNaN(x) || w.size < spec.minCount) return;
    const below = w.countBelow(x, true);
    const equal = w.countBelow(x, false) - below;
    out[t] = (below + equal / 2 + 0.5) / (w.size + 1);
  });
  return out;
}

/** Quantiles qs of each hour's reference (q = 0.5: the median), one array per q. NaN where it has too few values. */
export function referenceQuantiles(
  values: Float64Array,
  spec: ReferenceWindow,
  qs: readonly number[],
): Float64Array[] {
  const bad = qs.find((q) => !(q >= 0 && q <= 1));
  if (bad !== undefined) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `quantile must be in [0, 1] (got ${bad})`);
  }
  const out = qs.map(() => new Float64Array(values.length).fill(Number.NaN));
  slide(values, spec, (t, w) => {
    if (w.size < spec.minCount) return;
    for (let i = 0; i < qs.length; i++) out[i]![t] = w.quantile(qs[i]!);
  });
  return out;
}

/** Maximum of the hours t - window + 1 .. t (NaN skipped; NaN when all are missing). */
export function trailingMax(values: Float64Array, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `trailing max needs a whole window >= 1 (got ${window})`);
  }
  const out = new Float64Array(values.length).fill(Number.NaN);
  // Monotone deque of indices whose values decrease from front to back.
  const deque = new Int32Array(values.length);
  let head = 0;
  let tail = 0;
  for (let t = 0; t < values.length; t++) {
    const x = values[t]!;
    if (!Number.isNaN(x)) {
      while (tail > head && values[deque[tail - 1]!]! <= x) tail--;
      deque[tail++] = t;
    }
    while (tail > head && deque[head]! <= t - window) head++;
    if (tail > head) out[t] = values[deque[head]!]!;
  }
  return out;
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Standard normal quantile Φ⁻¹(p) for p in (0, 1); NaN outside. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return Number.NaN;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1)
    );
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

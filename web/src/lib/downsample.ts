/**
 * Min/max per pixel for charts that share one x axis (lines and P10-P90 bands): each bucket of
 * consecutive points becomes two points, at the bucket's first and last x. A line keeps its lowest
 * and highest value in the order they occurred, so no peak (a stress spike, a price spike) is lost;
 * a band's lower edge keeps its minimum and its upper edge its maximum, so the band never narrows.
 * A bucket with no value in a series stays a gap (NaN) in that series.
 */

export type Reducer = 'minmax' | 'min' | 'max';

export interface Downsampled {
  x: Float64Array;
  ys: Float64Array[];
}

/** Reduces to at most 2 * buckets points; returns the input unchanged when it is already that small. */
export function downsampleMinMax(
  x: ArrayLike<number>,
  ys: ReadonlyArray<ArrayLike<number>>,
  reducers: readonly Reducer[],
  buckets: number,
): Downsampled {
  const n = x.length;
  if (reducers.length !== ys.length) throw new Error('downsampleMinMax: one reducer per series');
  for (const y of ys) if (y.length !== n) throw new Error('downsampleMinMax: series length differs from x');
  const b = Math.max(1, Math.floor(buckets));
  if (n <= 2 * b) return { x: Float64Array.from(x), ys: ys.map((y) => Float64Array.from(y)) };

  const outX = new Float64Array(2 * b);
  const outYs = ys.map(() => new Float64Array(2 * b));
  for (let k = 0; k < b; k++) {
    const lo = Math.floor((k * n) / b);
    const hi = Math.floor(((k + 1) * n) / b); // exclusive; hi > lo because n > 2b
    outX[2 * k] = x[lo]!;
    outX[2 * k + 1] = x[hi - 1]!;
    for (let s = 0; s < ys.length; s++) {
      const [first, second] = reduceBucket(ys[s]!, lo, hi, reducers[s]!);
      outYs[s]![2 * k] = first;
      outYs[s]![2 * k + 1] = second;
    }
  }
  return { x: outX, ys: outYs };
}

function reduceBucket(y: ArrayLike<number>, lo: number, hi: number, reducer: Reducer): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let minAt = -1;
  let maxAt = -1;
  for (let i = lo; i < hi; i++) {
    const v = y[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) {
      min = v;
      minAt = i;
    }
    if (v > max) {
      max = v;
      maxAt = i;
    }
  }
  if (minAt < 0) return [Number.NaN, Number.NaN];
  if (reducer === 'min') return [min, min];
  if (reducer === 'max') return [max, max];
  return minAt <= maxAt ? [min, max] : [max, min];
}

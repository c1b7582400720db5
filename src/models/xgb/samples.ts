/**
 * Which (origin, horizon) pairs become training and validation rows. Every horizon is equally
 * represented; when there are more candidate pairs than the row budget, pairs are drawn with a
 * seeded generator so a fit is reproducible.
 */

export interface Pairs {
  origins: Int32Array;
  horizons: Int32Array;
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PairWindow {
  /** Smallest origin index allowed (enough history before it). */
  firstOrigin: number;
  /** Target indices t = origin + h - 1 must lie in [targetFrom, targetTo). */
  targetFrom: number;
  targetTo: number;
  horizon: number;
}

/** Range of target indices reachable with horizon h: [lo, hi). */
function targetRange(window: PairWindow, h: number): [number, number] {
  return [Math.max(window.targetFrom, window.firstOrigin + h - 1), window.targetTo];
}

export function countPairs(window: PairWindow): number {
  let total = 0;
  for (let h = 1; h <= window.horizon; h++) {
    const [lo, hi] = targetRange(window, h);
    total += Math.max(0, hi - lo);
  }
  return total;
}

/**
 * Up to `maxRows` pairs whose targets fall in the window and for which `usable` holds (e.g. the
 * target is known). All pairs when they fit in the budget; otherwise a seeded draw, horizon first
 * (uniform), then the target hour (uniform among those that horizon can reach).
 */
export function selectPairs(
  window: PairWindow,
  maxRows: number,
  random: () => number,
  usable: (origin: number, horizon: number) => boolean,
): Pairs {
  const origins: number[] = [];
  const horizons: number[] = [];
  const keep = (origin: number, h: number): void => {
    if (usable(origin, h)) {
      origins.push(origin);
      horizons.push(h);
    }
  };
  if (countPairs(window) <= maxRows) {
    for (let h = 1; h <= window.horizon; h++) {
      const [lo, hi] = targetRange(window, h);
      for (let t = lo; t < hi; t++) keep(t - h + 1, h);
    }
  } else {
    const seen = new Set<number>();
    const attempts = maxRows * 3;
    for (let i = 0; i < attempts && origins.length < maxRows; i++) {
      const h = 1 + Math.floor(random() * window.horizon);
      const [lo, hi] = targetRange(window, h);
      if (hi <= lo) continue;
      const t = lo + Math.floor(random() * (hi - lo));
      const key = t * (window.horizon + 1) + h;
      if (seen.has(key)) continue;
      seen.add(key);
      keep(t - h + 1, h);
    }
  }
  return { origins: Int32Array.from(origins), horizons: Int32Array.from(horizons) };
}

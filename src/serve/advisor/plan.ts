/**
 * The scheduling advisor's arithmetic, free of I/O: given hourly price, carbon intensity and stress
 * (each P10/P50/P90) over a window, pick the hours of a flexible job that minimise the objective,
 * contiguous or split into at most `maxBlocks` blocks, and cost them against starting at once.
 */

export const HOUR_MS = 3_600_000;

export const QUANTITIES = ['price', 'carbon', 'stress'] as const;
export type Quantity = (typeof QUANTITIES)[number];

export interface Band {
  p10: number;
  p50: number;
  p90: number;
}

export interface HourInputs {
  ts: number;
  /** EUR/MWh, gCO2/kWh, z; undefined where no input covers the hour. */
  price?: Band;
  carbon?: Band;
  stress?: Band;
}

export type Weights = Record<Quantity, number>;

export interface JobSpec {
  powerMw: number;
  durationHours: number;
  weights: Weights;
  splittable: boolean;
  /** With `splittable`: the most contiguous blocks (default: as many as hours). */
  maxBlocks?: number;
}

export interface Totals {
  costEur: Band | null;
  carbonKg: Band | null;
  meanStress: Band | null;
}

export interface Choice {
  /** Indices into the window's hours, ascending. */
  hours: number[];
  blocks: Array<{ start: number; end: number }>;
  totals: Totals;
}

/** Per-hour objective: each weighted quantity scaled to unit spread over the window, so weights mix units fairly. */
export function hourScores(hours: readonly HourInputs[], weights: Weights): Float64Array {
  const scores = new Float64Array(hours.length);
  const used = QUANTITIES.filter((q) => weights[q] > 0);
  for (const q of used) {
    const values = hours.map((h) => h[q]!.p50);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    // One quantity alone keeps its own units (hand-checkable); mixed, each is scaled by its spread.
    const scale = used.length === 1 ? 1 : std > 1e-12 ? std : 1;
    for (let h = 0; h < hours.length; h++)
      scores[h]! += (weights[q] * (values[h]! - (used.length === 1 ? 0 : mean))) / scale;
  }
  return scores;
}

export function totals(hours: readonly HourInputs[], chosen: readonly number[], powerMw: number): Totals {
  const sum = (q: Quantity, factor: number): Band | null => {
    if (chosen.some((i) => hours[i]![q] === undefined)) return null;
    const band = { p10: 0, p50: 0, p90: 0 };
    for (const i of chosen) {
      const b = hours[i]![q]!;
      band.p10 += b.p10 * factor;
      band.p50 += b.p50 * factor;
      band.p90 += b.p90 * factor;
    }
    return band;
  };
  const stress = sum('stress', 1 / chosen.length);
  // price EUR/MWh x MW x 1 h = EUR; gCO2/kWh x MW x 1 h x 1000 kWh/MWh / 1000 g/kg = kg.
  return { costEur: sum('price', powerMw), carbonKg: sum('carbon', powerMw), meanStress: stress };
}

export function blocksOf(hours: readonly number[]): Array<{ start: number; end: number }> {
  const blocks: Array<{ start: number; end: number }> = [];
  for (const h of hours) {
    const last = blocks.at(-1);
    if (last !== undefined && last.end === h) last.end = h + 1;
    else blocks.push({ start: h, end: h + 1 });
  }
  return blocks;
}

/** The best contiguous run of `length` hours (the earliest among equals). */
function bestContiguous(scores: Float64Array, length: number): number[] {
  let sum = 0;
  for (let h = 0; h < length; h++) sum += scores[h]!;
  let best = sum;
  let bestStart = 0;
  for (let start = 1; start + length <= scores.length; start++) {
    sum += scores[start + length - 1]! - scores[start - 1]!;
    if (sum < best - 1e-9) {
      best = sum;
      bestStart = start;
    }
  }
  return Array.from({ length }, (_, i) => bestStart + i);
}

/**
 * The `count` hours with the least total score in at most `maxBlocks` contiguous blocks: dynamic
 * programming over (hour, hours chosen, blocks used, previous hour chosen), O(H x count x blocks).
 */
function bestSplit(scores: Float64Array, count: number, maxBlocks: number): number[] {
  const n = scores.length;
  const B = Math.min(maxBlocks, count);
  const stride = (B + 1) * 2;
  const size = (count + 1) * stride;
  const cost: Float64Array[] = [];
  let prev = new Float64Array(size).fill(Infinity);
  prev[0] = 0; // nothing chosen, no block, previous hour not chosen
  cost.push(prev);
  for (let h = 0; h < n; h++) {
    const next = new Float64Array(size).fill(Infinity);
    for (let c = 0; c <= count; c++) {
      for (let b = 0; b <= B; b++) {
        for (let on = 0; on < 2; on++) {
          const value = prev[c * stride + b * 2 + on]!;
          if (value === Infinity) continue;
          // Skip hour h.
          const skip = c * stride + b * 2;
          if (value < next[skip]!) next[skip] = value;
          // Take hour h: continues a block, or opens one.
          if (c < count) {
            const nb = on === 1 ? b : b + 1;
            if (nb <= B) {
              const take = (c + 1) * stride + nb * 2 + 1;
              const v = value + scores[h]!;
              if (v < next[take]!) next[take] = v;
            }
          }
        }
      }
    }
    cost.push(next);
    prev = next;
  }
  // The best final state, then walk back.
  let state = -1;
  let best = Infinity;
  for (let b = 0; b <= B; b++) {
    for (let on = 0; on < 2; on++) {
      const s = count * stride + b * 2 + on;
      if (prev[s]! < best - 1e-9) {
        best = prev[s]!;
        state = s;
      }
    }
  }
  const chosen: number[] = [];
  for (let h = n - 1; h >= 0; h--) {
    const c = Math.floor(state / stride);
    const b = Math.floor((state % stride) / 2);
    const on = state % 2;
    const here = cost[h + 1]![state]!;
    if (on === 1) {
      // Came from (c - 1, b, 1) or (c - 1, b - 1, *).
      chosen.push(h);
      const candidates = [
        (c - 1) * stride + b * 2 + 1,
        (c - 1) * stride + (b - 1) * 2,
        (c - 1) * stride + (b - 1) * 2 + 1,
      ];
      state = candidates.find((s, i) => {
        if (i > 0 && b < 1) return false;
        const v = cost[h]![s]!;
        return Math.abs(v + scores[h]! - here) < 1e-9 * Math.max(1, Math.abs(here));
      })!;
    } else {
      state = [c * stride + b * 2, c * stride + b * 2 + 1].find(
        (s) => Math.abs(cost[h]![s]! - here) < 1e-9 * Math.max(1, Math.abs(here)),
      )!;
    }
  }
  return chosen.reverse();
}

export function chooseHours(hours: readonly HourInputs[], job: JobSpec): Choice {
  const scores = hourScores(hours, job.weights);
  const chosen = !job.splittable
    ? bestContiguous(scores, job.durationHours)
    : bestSplit(scores, job.durationHours, job.maxBlocks ?? job.durationHours);
  return { hours: chosen, blocks: blocksOf(chosen), totals: totals(hours, chosen, job.powerMw) };
}

/** Starting at the earliest start, in one block: what the advice is compared against. */
export function startAtOnce(hours: readonly HourInputs[], job: JobSpec): Choice {
  const chosen = Array.from({ length: job.durationHours }, (_, i) => i);
  return { hours: chosen, blocks: blocksOf(chosen), totals: totals(hours, chosen, job.powerMw) };
}

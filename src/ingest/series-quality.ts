/**
 * Per-series checks for the ingest report: coverage of the expected grid, gaps (runs of missing
 * slots) and outliers: impossible values (e.g. negative demand) and isolated spikes, i.e. a reading
 * that jumps away from both neighbours by more than 10 robust standard deviations of the series'
 * step-to-step changes (levels alone would flag every sunny hour of a solar series).
 */
import type { MergedSeries } from './merge.js';

export interface SeriesReport {
  source: string;
  series: string;
  region: string;
  first: string | null;
  last: string | null;
  /** Slots with a value / slots the series' own step expects between first and last. */
  coverage: number;
  values: number;
  missing: number;
  gaps: number;
  /** The longest gaps, hours, with where they start. */
  longestGaps: Array<{ from: string; hours: number }>;
  outliers: number;
  outlierExamples: Array<{ ts: string; value: number }>;
}

const NON_NEGATIVE = new Set([
  'demand_mw',
  'generation_mw',
  'solar_mw',
  'co2_intensity',
  'snsp',
  'dc_load_mw',
]);
const SPIKE_LIMIT = 10;

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function describeMergedSeries(s: MergedSeries): SeriesReport {
  const n = s.ts.length;
  let values = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(s.values[i]!)) values++;
  const gapsFound: Array<{ from: number; hours: number }> = [];
  let expected = 0;
  for (let i = 0; i < n; i++) {
    const step = s.intervalMin[i]! * 60_000;
    const next = i + 1 < n ? s.ts[i + 1]! : s.ts[i]! + step;
    const slots = Math.max(1, Math.round((next - s.ts[i]!) / step));
    expected += slots;
    if (slots > 1) gapsFound.push({ from: s.ts[i]! + step, hours: ((slots - 1) * step) / 3_600_000 });
  }
  // Published-but-empty slots are gaps too: merge consecutive missing values into runs.
  let runStart = -1;
  for (let i = 0; i <= n; i++) {
    const missing = i < n && Number.isNaN(s.values[i]!);
    if (missing && runStart < 0) runStart = i;
    if (!missing && runStart >= 0) {
      const end = i < n ? s.ts[i]! : s.ts[n - 1]! + s.intervalMin[n - 1]! * 60_000;
      gapsFound.push({ from: s.ts[runStart]!, hours: (end - s.ts[runStart]!) / 3_600_000 });
      runStart = -1;
    }
  }
  const steps: number[] = [];
  for (let i = 1; i < n; i++) {
    const d = s.values[i]! - s.values[i - 1]!;
    if (!Number.isNaN(d)) steps.push(Math.abs(d));
  }
  const scale = median(Float64Array.from(steps).sort()) * 1.4826;
  const outlierExamples: SeriesReport['outlierExamples'] = [];
  let outliers = 0;
  for (let i = 0; i < n; i++) {
    const v = s.values[i]!;
    if (Number.isNaN(v)) continue;
    const up = i > 0 ? v - s.values[i - 1]! : Number.NaN;
    const down = i + 1 < n ? v - s.values[i + 1]! : Number.NaN;
    const spike =
      scale > 0 &&
      Math.sign(up) === Math.sign(down) &&
      Math.min(Math.abs(up), Math.abs(down)) > SPIKE_LIMIT * scale;
    if ((NON_NEGATIVE.has(s.series) && v < 0) || spike) {
      outliers++;
      if (outlierExamples.length < 5)
        outlierExamples.push({ ts: new Date(s.ts[i]!).toISOString(), value: v });
    }
  }
  gapsFound.sort((a, b) => b.hours - a.hours);
  return {
    source: s.source,
    series: s.series,
    region: s.region,
    first: n > 0 ? new Date(s.ts[0]!).toISOString() : null,
    last: n > 0 ? new Date(s.ts[n - 1]!).toISOString() : null,
    coverage: expected > 0 ? values / expected : 0,
    values,
    missing: expected - values,
    gaps: gapsFound.length,
    longestGaps: gapsFound.slice(0, 3).map((g) => ({ from: new Date(g.from).toISOString(), hours: g.hours })),
    outliers,
    outlierExamples,
  };
}

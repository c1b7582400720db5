/**
 * Decides whether a fraction column (SNSP, penetrations, oversupply percentage) holds fractions
 * (the 2026 workbooks) or percents (older extracts), so every result is a fraction 0..1.
 */
import type { SeriesName } from '../types.js';
import type { HeaderLayout } from './header.js';
import type { WorkbookRow } from './row-reader.js';

export interface ScaleDecision {
  /** 100 when the column holds percents. */
  divisor: 1 | 100;
  /** Why, for the quality notes. */
  reason: string;
}

/** Values above this cannot be a fraction of SNSP or oversupply, which stay near 0..1. */
const PERCENT_THRESHOLD = 1.5;
const MIN_SAMPLES = 10;

const GENERATION_OF: Partial<Record<SeriesName, SeriesName>> = {
  wind_penetration: 'wind_mw',
  solar_penetration: 'solar_mw',
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * A penetration can exceed 1 in NI (wind above local demand), so a simple threshold would
 * misread it. When the same region's generation and demand columns are present, compare the
 * column with generation / demand: the ratio is near 1 for fractions and near 100 for percents.
 */
export function decideScale(
  columnIndex: number,
  layout: HeaderLayout,
  rows: readonly WorkbookRow[],
): ScaleDecision {
  const { series, region } = layout.data[columnIndex]!.column;
  const generationSeries = GENERATION_OF[series];
  if (generationSeries !== undefined) {
    const find = (wanted: SeriesName) =>
      layout.data.findIndex(({ column }) => column.series === wanted && column.region === region);
    const generation = find(generationSeries);
    const demand = find('demand_mw');
    if (generation >= 0 && demand >= 0) {
      const ratios: number[] = [];
      for (const row of rows) {
        const value = row.values[columnIndex];
        const gen = row.values[generation];
        const load = row.values[demand];
        if (value == null || gen == null || load == null || load <= 0 || value <= 0) continue;
        const share = gen / load;
        if (share > 0.05) ratios.push(value / share);
      }
      if (ratios.length >= MIN_SAMPLES) {
        const ratio = median(ratios);
        return ratio > 10
          ? { divisor: 100, reason: `values are about ${ratio.toFixed(0)} x generation/demand` }
          : { divisor: 1, reason: 'values match generation/demand' };
      }
    }
  }
  let max = 0;
  for (const row of rows) {
    const value = row.values[columnIndex];
    if (value != null && Math.abs(value) > max) max = Math.abs(value);
  }
  return max > PERCENT_THRESHOLD
    ? { divisor: 100, reason: `values reach ${max}, above ${PERCENT_THRESHOLD}` }
    : { divisor: 1, reason: `values stay within ${PERCENT_THRESHOLD}` };
}

/** 45.5 -> 0.455 by moving the decimal point, which avoids the float noise of dividing by 100. */
export function percentToFraction(value: number): number {
  const text = String(value);
  return text.includes('e') ? value / 100 : Number(`${text}e-2`);
}

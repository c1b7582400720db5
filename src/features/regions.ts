/**
 * Which regions' series feed a column of a region's rows. Every column first takes the region's own
 * series; the rule says what fills the hours it leaves empty:
 * - sum: ALL = IE + NI (both needed; flagged summed_regions), for additive MW quantities;
 * - system: one value for the whole synchronous system or market (SNSP, SEM price), taken from the
 *   other regions in the order given;
 * - landing: an interconnector lands in one jurisdiction; ALL takes that region's series;
 * - own: no fallback (CO2 intensity is not additive; telemetry is per region).
 */
import type { Region } from '../config/config.js';
import type { ObservedColumn } from './flags.js';
import type { HourlySeries } from './hourly.js';

export type RegionRule =
  | { kind: 'own' }
  | { kind: 'sum' }
  | { kind: 'system'; order: readonly Region[] }
  | { kind: 'landing'; region: Region };

const SUM: RegionRule = { kind: 'sum' };
const OWN: RegionRule = { kind: 'own' };

export const REGION_RULES: Record<ObservedColumn, RegionRule> = {
  demand_mw: SUM,
  generation_mw: SUM,
  wind_mw: SUM,
  solar_mw: SUM,
  demand_forecast_mw: SUM,
  wind_forecast_mw: SUM,
  solar_forecast_mw: SUM,
  // IE net + NI net = the island's external net: a North-South flow, if a source counts it, cancels.
  ic_net_mw: SUM,
  ic_ewic_mw: { kind: 'landing', region: 'IE' },
  ic_greenlink_mw: { kind: 'landing', region: 'IE' },
  ic_moyle_mw: { kind: 'landing', region: 'NI' },
  snsp: { kind: 'system', order: ['ALL', 'IE', 'NI'] },
  price_eur_mwh: { kind: 'system', order: ['IE', 'NI', 'ALL'] },
  co2_intensity: OWN,
  dc_load_mw: OWN,
};

export interface ResolvedColumn {
  values: Float64Array;
  incomplete: Uint8Array;
  /** 1 where the value is IE + NI (ALL rows only). */
  summed: Uint8Array;
}

/** Hourly series of one column per region, all on the grid of the region being built. */
export type ColumnByRegion = Partial<Record<Region, HourlySeries>>;

function finiteSpan(values: Float64Array): [number, number] | null {
  let first = -1;
  for (let h = 0; h < values.length; h++) {
    if (!Number.isNaN(values[h]!)) {
      first = h;
      break;
    }
  }
  if (first < 0) return null;
  let last = values.length - 1;
  while (Number.isNaN(values[last]!)) last--;
  return [first, last];
}

/** The hours where ALL = IE + NI applies: from the later first value to the earlier last value. */
export function sumSpan(ie: Float64Array, ni: Float64Array): [number, number] | null {
  const a = finiteSpan(ie);
  const b = finiteSpan(ni);
  if (!a || !b) return null;
  const span: [number, number] = [Math.max(a[0], b[0]), Math.min(a[1], b[1])];
  return span[0] <= span[1] ? span : null;
}

function fallbackRegions(rule: RegionRule, region: Region): Region[] {
  switch (rule.kind) {
    case 'system':
      return rule.order.filter((r) => r !== region);
    case 'landing':
      return region === 'ALL' ? [rule.region] : [];
    default:
      return [];
  }
}

/** The column for `region`, or null when no series feeds it. */
export function resolveColumn(
  rule: RegionRule,
  region: Region,
  byRegion: ColumnByRegion,
  hours: number,
): ResolvedColumn | null {
  const own = byRegion[region];
  const values = new Float64Array(hours).fill(Number.NaN);
  const incomplete = new Uint8Array(hours);
  const summed = new Uint8Array(hours);
  let fed = false;
  if (own) {
    values.set(own.values);
    incomplete.set(own.incomplete);
    fed = true;
  }
  for (const other of fallbackRegions(rule, region)) {
    const series = byRegion[other];
    if (!series) continue;
    fed = true;
    for (let h = 0; h < hours; h++) {
      if (!Number.isNaN(values[h]!)) continue;
      const value = series.values[h]!;
      if (Number.isNaN(value)) {
        if (series.incomplete[h]) incomplete[h] = 1;
      } else {
        values[h] = value;
        incomplete[h] = 0;
      }
    }
  }
  const ie = byRegion.IE;
  const ni = byRegion.NI;
  if (rule.kind === 'sum' && region === 'ALL' && ie && ni) {
    fed = true;
    const span = sumSpan(ie.values, ni.values);
    if (span) {
      for (let h = span[0]; h <= span[1]; h++) {
        if (!Number.isNaN(values[h]!)) continue;
        const sum = ie.values[h]! + ni.values[h]!;
        if (Number.isNaN(sum)) {
          incomplete[h] = 1;
        } else {
          values[h] = sum;
          summed[h] = 1;
          incomplete[h] = 0;
        }
      }
    }
  }
  return fed ? { values, incomplete, summed } : null;
}

/** Regions whose series a region's column may read (its own first). */
export function regionsFeeding(rule: RegionRule, region: Region): Region[] {
  const regions = [region, ...fallbackRegions(rule, region)];
  if (rule.kind === 'sum' && region === 'ALL') regions.push('IE', 'NI');
  return regions;
}

/**
 * Entry point: every ingested series -> one hourly feature row per UTC hour of a region.
 * Steps: readings -> hourly means per source (hourly.ts) -> source precedence (precedence.ts) ->
 * region rules (regions.ts) -> grid features (grid-features.ts), data-centre proxy (dc-proxy.ts),
 * stress score (stress.ts) -> rows and a quality report (quality.ts). Formulas: docs/FEATURES.md.
 */
import type { Config, Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { CsoFigure } from '../sources/types.js';
import type { FeatureRow } from './columns.js';
import { planCsoEnergy } from './cso-energy.js';
import { causalDataCentreLoad, dataCentreProxy, type ProxyResult } from './dc-proxy.js';
import type { ObservedColumn } from './flags.js';
import { computeGridFeatures } from './grid-features.js';
import type { HourGrid, SeriesPoints } from './hourly.js';
import { indexSeries, observeColumns, regionGrid } from './observed.js';
import { describeQuality, emptyQuality, type FeatureQuality } from './quality.js';
import {
  checkStressEventSettings,
  computeStressEvents,
  DEFAULT_STRESS_EVENTS,
  type StressEventSettings,
} from './stress-events.js';
import { checkStressWeights, computeStress } from './stress.js';
import { assembleTable, tableRows } from './table.js';

export type { SeriesPoints } from './hourly.js';
export { FEATURE_COLUMNS, featureRowValues, type FeatureRow } from './columns.js';
export type { FeatureQuality } from './quality.js';

export interface BuildFeaturesInput {
  /** The region to build rows for. */
  region: Region;
  /** Everything ingested, all sources and regions (one entry per source + series + region). */
  series: SeriesPoints[];
  /** Data-centre figures (published, possibly overridden by MEC02). */
  cso: CsoFigure[];
  stressWeights: Config['STRESS_WEIGHTS'];
  /** STRESS_ALERT_THRESHOLD: the stored stress_band is placed around it. */
  stressAlertThreshold: Config['STRESS_ALERT_THRESHOLD'];
  /** Stress-event label settings (default: the settings' defaults). */
  stressEvents?: StressEventSettings;
  /** Optional hour range [from, to) to emit; rolling windows and CSO quarters still use the other hours. */
  from?: number;
  to?: number;
}

export interface BuildFeaturesResult {
  rows: FeatureRow[];
  quality: FeatureQuality;
}

/** Grid indices [lo, hi) of the hours to emit. */
function emitRange(grid: HourGrid, from?: number, to?: number): [number, number] {
  if (from !== undefined && to !== undefined && !(from < to)) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `feature range: from ${from} must be before to ${to}`);
  }
  const lo = from === undefined ? 0 : Math.ceil((from - grid.start) / HOUR_MS);
  const hi = to === undefined ? grid.hours : Math.ceil((to - grid.start) / HOUR_MS);
  const first = Math.min(grid.hours, Math.max(0, lo));
  return [first, Math.max(first, Math.min(grid.hours, hi))];
}

export function buildFeatures(input: BuildFeaturesInput): BuildFeaturesResult {
  const { region, stressWeights } = input;
  checkStressWeights(stressWeights);
  const eventSettings = input.stressEvents ?? DEFAULT_STRESS_EVENTS;
  checkStressEventSettings(eventSettings);
  const { index, unused } = indexSeries(input.series);
  const hourGrid = regionGrid(region, index);
  if (!hourGrid) {
    return {
      rows: [],
      quality: emptyQuality(region, unused, `no series with values feeds region ${region}`),
    };
  }
  const observed = observeColumns(region, index, hourGrid);
  const none = new Float64Array(hourGrid.hours).fill(Number.NaN);
  const col = (c: ObservedColumn) => observed.columns.get(c)?.resolved.values ?? none;

  const grid = computeGridFeatures({
    demand: col('demand_mw'),
    wind: col('wind_mw'),
    solar: observed.columns.get('solar_mw')?.resolved.values ?? null,
    price: col('price_eur_mwh'),
  });
  const stress = computeStress(
    {
      start: hourGrid.start,
      net_load_mw: grid.netLoad,
      renew_mw: grid.renew,
      price_eur_mwh: col('price_eur_mwh'),
      snsp: col('snsp'),
      ic_ewic_mw: col('ic_ewic_mw'),
      ic_moyle_mw: col('ic_moyle_mw'),
      ic_greenlink_mw: col('ic_greenlink_mw'),
    },
    stressWeights,
  );
  const events = computeStressEvents(
    {
      start: hourGrid.start,
      net_load_mw: grid.netLoad,
      price_eur_mwh: col('price_eur_mwh'),
      snsp: col('snsp'),
    },
    eventSettings,
  );
  const notes: string[] = [];
  let proxy: ProxyResult | null = null;
  let causal: Float64Array | null = null;
  if (region === 'IE') {
    const plan = planCsoEnergy(input.cso);
    notes.push(...plan.notes);
    proxy = dataCentreProxy({
      grid: hourGrid,
      demand: col('demand_mw'),
      renewableShare: grid.renewableShare,
      priceZ: grid.priceZ,
      plan,
    });
    causal = causalDataCentreLoad({
      grid: hourGrid,
      demand: col('demand_mw'),
      renewableShare: grid.renewableShare,
      priceZ: grid.priceZ,
      figures: input.cso,
    });
  } else {
    notes.push('the dc_load_mw proxy is built for IE only; this region carries telemetry where present');
  }
  const [lo, hi] = emitRange(hourGrid, input.from, input.to);
  const table = assembleTable({ region, observed, grid, stress, events, proxy, causal }, lo, hi);
  const rows = tableRows(table, input.stressAlertThreshold);
  const quality = describeQuality({
    region,
    observed,
    lo,
    hi,
    table,
    proxy,
    telemetry: col('dc_load_mw'),
    unused,
    notes,
  });
  return { rows, quality };
}

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
import type { DcLoadSource, FeatureRow } from './columns.js';
import { planCsoEnergy } from './cso-energy.js';
import { dataCentreProxy, type ProxyResult } from './dc-proxy.js';
import { incompleteFlag, OBSERVED_COLUMNS, type FeatureFlag, type ObservedColumn } from './flags.js';
import { computeGridFeatures, WEEK_WINDOW, type GridFeatures } from './grid-features.js';
import type { HourGrid, SeriesPoints } from './hourly.js';
import { indexSeries, observeColumns, regionGrid, type ObservedData } from './observed.js';
import { describeQuality, emptyQuality, type FeatureQuality } from './quality.js';
import {
  checkStressWeights,
  combineStress,
  stressBand,
  stressComponents,
  type StressScore,
} from './stress.js';

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
  return [Math.max(0, lo), Math.min(grid.hours, Math.max(hi, 0))];
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
const boolOrNull = (x: number): boolean | null => (Number.isNaN(x) ? null : x === 1);

interface RowInputs {
  region: Region;
  observed: ObservedData;
  grid: GridFeatures;
  stress: StressScore;
  proxy: ProxyResult | null;
}

function makeRows(
  { region, observed, grid, stress, proxy }: RowInputs,
  lo: number,
  hi: number,
): FeatureRow[] {
  const none = new Float64Array(observed.grid.hours).fill(Number.NaN);
  const col = (c: ObservedColumn) => observed.columns.get(c)?.resolved.values ?? none;
  const observedFlags = OBSERVED_COLUMNS.flatMap((c) => {
    const data = observed.columns.get(c);
    return data ? [{ ...data.resolved, flag: incompleteFlag(c) }] : [];
  });
  const [demandCol, telemetry] = [col('demand_mw'), col('dc_load_mw')];
  const rows: FeatureRow[] = [];
  for (let h = lo; h < hi; h++) {
    const flags: FeatureFlag[] = [];
    let summed = false;
    for (const { incomplete, summed: sum, flag } of observedFlags) {
      if (incomplete[h]) flags.push(flag);
      if (sum[h]) summed = true;
    }
    if (summed) flags.push('summed_regions');
    if (grid.solarUnreported[h]) flags.push('solar_unreported');
    if (stress.partial[h]) flags.push('stress_partial');
    // Telemetry replaces the proxy wherever it has a value; the proxy's flags apply only where it is used.
    let dcLoad = telemetry[h]!;
    let dcSource: DcLoadSource | null = Number.isNaN(dcLoad) ? null : 'telemetry';
    if (dcSource === null && proxy) {
      dcLoad = proxy.load[h]!;
      if (!Number.isNaN(dcLoad)) dcSource = 'proxy';
      if (proxy.energyEstimated[h]) flags.push('dc_energy_estimated');
      if (proxy.energyFromAnnual[h]) flags.push('dc_energy_from_annual');
      if (proxy.energyUnknown[h]) flags.push('dc_energy_unknown');
      if (proxy.periodPartial[h]) flags.push('dc_period_partial');
      if (proxy.shapePartial[h]) flags.push('dc_shape_partial');
    }
    const demand = demandCol[h]!;
    const score = stress.score[h]!;
    rows.push({
      region,
      ts: observed.grid.start + h * HOUR_MS,
      demand_mw: orNull(demand),
      generation_mw: orNull(col('generation_mw')[h]!),
      wind_mw: orNull(col('wind_mw')[h]!),
      solar_mw: orNull(grid.solar[h]!),
      renew_mw: orNull(grid.renew[h]!),
      renewable_share: orNull(grid.renewableShare[h]!),
      net_load_mw: orNull(grid.netLoad[h]!),
      price_eur_mwh: orNull(col('price_eur_mwh')[h]!),
      neg_price_flag: boolOrNull(grid.negPrice[h]!),
      neg_price_freq_7d: orNull(grid.negPriceFreq7d[h]!),
      price_spike_flag: boolOrNull(grid.priceSpike[h]!),
      ramp_rate_mw_h: orNull(grid.ramp[h]!),
      renew_var_24h: orNull(grid.renewVar24h[h]!),
      co2_intensity: orNull(col('co2_intensity')[h]!),
      snsp: orNull(col('snsp')[h]!),
      ic_ewic_mw: orNull(col('ic_ewic_mw')[h]!),
      ic_moyle_mw: orNull(col('ic_moyle_mw')[h]!),
      ic_greenlink_mw: orNull(col('ic_greenlink_mw')[h]!),
      ic_net_mw: orNull(col('ic_net_mw')[h]!),
      demand_forecast_mw: orNull(col('demand_forecast_mw')[h]!),
      wind_forecast_mw: orNull(col('wind_forecast_mw')[h]!),
      solar_forecast_mw: orNull(col('solar_forecast_mw')[h]!),
      dc_share: demand > 0 && !Number.isNaN(dcLoad) ? dcLoad / demand : null,
      dc_load_mw: orNull(dcLoad),
      dc_load_source: dcSource,
      stress_score: orNull(score),
      stress_band: stressBand(score),
      flags,
    });
  }
  return rows;
}

export function buildFeatures(input: BuildFeaturesInput): BuildFeaturesResult {
  const { region, stressWeights } = input;
  checkStressWeights(stressWeights);
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
  const components = stressComponents(
    {
      ramp: grid.ramp,
      renewVar24h: grid.renewVar24h,
      priceZ: grid.priceZ,
      netLoad: grid.netLoad,
      snsp: col('snsp'),
    },
    WEEK_WINDOW,
  );
  const stress = combineStress(components, stressWeights);
  const notes: string[] = [];
  let proxy: ProxyResult | null = null;
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
  } else {
    notes.push('the dc_load_mw proxy is built for IE only; this region carries telemetry where present');
  }
  const [lo, hi] = emitRange(hourGrid, input.from, input.to);
  const rows = makeRows({ region, observed, grid, stress, proxy }, lo, hi);
  const quality = describeQuality({
    region,
    observed,
    lo,
    hi,
    rows,
    proxy,
    telemetry: col('dc_load_mw'),
    unused,
    notes,
  });
  return { rows, quality };
}

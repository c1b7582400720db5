/**
 * The emitted hours as columns (one typed array per numeric column, NaN = NULL), assembled from the
 * observed columns, grid features, stress score and data-centre load; and its conversion to rows.
 */
import type { Region } from '../config/config.js';
import { HOUR_MS } from '../lib/time.js';
import type { DcLoadSource, FeatureRow, NumericFeatureColumn } from './columns.js';
import type { ProxyResult } from './dc-proxy.js';
import { flagBit, flagsOfMask, incompleteFlag, OBSERVED_COLUMNS, type ObservedColumn } from './flags.js';
import type { GridFeatures } from './grid-features.js';
import type { ObservedData } from './observed.js';
import type { StressEvents } from './stress-events.js';
import { stressBand, type StressResult } from './stress.js';

export interface FeatureTable {
  region: Region;
  /** Hour starts, UTC ms. */
  ts: Float64Array;
  numeric: Record<NumericFeatureColumn, Float64Array>;
  /** 1 / 0 / NaN. */
  negPrice: Float64Array;
  priceSpike: Float64Array;
  /** Stress-event labels, 1 / 0 / NaN. */
  events: StressEvents;
  dcSource: Array<DcLoadSource | null>;
  /** Flags of each hour as a bit mask (flags.ts: ALL_FLAGS order). */
  flagMasks: Uint32Array;
}

export interface TableInputs {
  region: Region;
  observed: ObservedData;
  grid: GridFeatures;
  stress: StressResult;
  events: StressEvents;
  proxy: ProxyResult | null;
  /** The causal estimate (dc-proxy.ts causalDataCentreLoad), same grid as the proxy. */
  causal: Float64Array | null;
}

/** Columns of grid hours [lo, hi). */
export function assembleTable(
  { region, observed, grid, stress, events, proxy, causal }: TableInputs,
  lo: number,
  hi: number,
): FeatureTable {
  const n = hi - lo;
  const none = new Float64Array(observed.grid.hours).fill(Number.NaN);
  // Views, not copies: the table only reads them.
  const slice = (values: Float64Array) => values.subarray(lo, hi);
  const col = (c: ObservedColumn) => slice(observed.columns.get(c)?.resolved.values ?? none);
  const telemetry = col('dc_load_mw');
  const demand = col('demand_mw');
  const dcLoad = new Float64Array(n);
  const dcAnalysis = new Float64Array(n);
  const dcShare = new Float64Array(n);
  const dcSource: Array<DcLoadSource | null> = new Array<DcLoadSource | null>(n);
  const flagMasks = new Uint32Array(n);
  const markers: Array<[Uint8Array, number]> = [];
  for (const c of OBSERVED_COLUMNS) {
    const resolved = observed.columns.get(c)?.resolved;
    if (!resolved) continue;
    markers.push(
      [resolved.incomplete, flagBit(incompleteFlag(c))],
      [resolved.summed, flagBit('summed_regions')],
    );
  }
  markers.push(
    [grid.solarUnreported, flagBit('solar_unreported')],
    [stress.partial, flagBit('stress_partial')],
  );
  for (const [marks, bit] of markers) {
    for (let i = 0; i < n; i++) if (marks[lo + i]) flagMasks[i]! |= bit;
  }
  const proxyMarkers: Array<[Uint8Array, number]> = proxy
    ? [
        [proxy.energyEstimated, flagBit('dc_energy_estimated')],
        [proxy.energyFromAnnual, flagBit('dc_energy_from_annual')],
        [proxy.energyUnknown, flagBit('dc_energy_unknown')],
        [proxy.periodPartial, flagBit('dc_period_partial')],
        [proxy.shapePartial, flagBit('dc_shape_partial')],
      ]
    : [];
  for (let i = 0; i < n; i++) {
    const h = lo + i;
    // Telemetry replaces the proxy wherever it has a value; the proxy's flags apply only where it is used.
    let load = telemetry[i]!;
    let analysis = load;
    let source: DcLoadSource | null = Number.isNaN(load) ? null : 'telemetry';
    if (source === null && proxy) {
      analysis = proxy.load[h]!;
      load = causal?.[h] ?? Number.NaN;
      if (!Number.isNaN(load) || !Number.isNaN(analysis)) source = 'proxy';
      for (const [marks, bit] of proxyMarkers) if (marks[h]) flagMasks[i]! |= bit;
    }
    const d = demand[i]!;
    dcLoad[i] = load;
    dcAnalysis[i] = analysis;
    dcShare[i] = d > 0 ? load / d : Number.NaN;
    dcSource[i] = source;
  }
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = observed.grid.start + (lo + i) * HOUR_MS;
  return {
    region,
    ts,
    numeric: {
      demand_mw: demand,
      generation_mw: col('generation_mw'),
      wind_mw: col('wind_mw'),
      solar_mw: slice(grid.solar),
      renew_mw: slice(grid.renew),
      renewable_share: slice(grid.renewableShare),
      net_load_mw: slice(grid.netLoad),
      price_eur_mwh: col('price_eur_mwh'),
      neg_price_freq_7d: slice(grid.negPriceFreq7d),
      ramp_rate_mw_h: slice(grid.ramp),
      renew_var_24h: slice(grid.renewVar24h),
      co2_intensity: col('co2_intensity'),
      snsp: col('snsp'),
      ic_ewic_mw: col('ic_ewic_mw'),
      ic_moyle_mw: col('ic_moyle_mw'),
      ic_greenlink_mw: col('ic_greenlink_mw'),
      ic_net_mw: col('ic_net_mw'),
      demand_forecast_mw: col('demand_forecast_mw'),
      wind_forecast_mw: col('wind_forecast_mw'),
      solar_forecast_mw: col('solar_forecast_mw'),
      dc_share: dcShare,
      dc_load_mw: dcLoad,
      dc_load_analysis_mw: dcAnalysis,
      stress_score: slice(stress.score),
      stress_net_load: slice(stress.components.net_load),
      stress_renewables: slice(stress.components.renewables),
      stress_price: slice(stress.components.price),
      stress_interconnector: slice(stress.components.interconnector),
      stress_snsp: slice(stress.components.snsp),
    },
    negPrice: slice(grid.negPrice),
    priceSpike: slice(grid.priceSpike),
    events: {
      tight: slice(events.tight),
      snsp: slice(events.snsp),
      price_spike: slice(events.price_spike),
      event: slice(events.event),
    },
    dcSource,
    flagMasks,
  };
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
const boolOrNull = (x: number): boolean | null => (Number.isNaN(x) ? null : x === 1);

/** The table as rows; stress_band is placed around the alert threshold (STRESS_ALERT_THRESHOLD, stressBandFloors). */
export function tableRows(table: FeatureTable, alertThreshold: number): FeatureRow[] {
  const { region, ts, numeric: c, negPrice, priceSpike, events, dcSource, flagMasks } = table;
  const rows = new Array<FeatureRow>(ts.length);
  for (let i = 0; i < ts.length; i++) {
    const score = c.stress_score[i]!;
    rows[i] = {
      region,
      ts: ts[i]!,
      demand_mw: orNull(c.demand_mw[i]!),
      generation_mw: orNull(c.generation_mw[i]!),
      wind_mw: orNull(c.wind_mw[i]!),
      solar_mw: orNull(c.solar_mw[i]!),
      renew_mw: orNull(c.renew_mw[i]!),
      renewable_share: orNull(c.renewable_share[i]!),
      net_load_mw: orNull(c.net_load_mw[i]!),
      price_eur_mwh: orNull(c.price_eur_mwh[i]!),
      neg_price_flag: boolOrNull(negPrice[i]!),
      neg_price_freq_7d: orNull(c.neg_price_freq_7d[i]!),
      price_spike_flag: boolOrNull(priceSpike[i]!),
      ramp_rate_mw_h: orNull(c.ramp_rate_mw_h[i]!),
      renew_var_24h: orNull(c.renew_var_24h[i]!),
      co2_intensity: orNull(c.co2_intensity[i]!),
      snsp: orNull(c.snsp[i]!),
      ic_ewic_mw: orNull(c.ic_ewic_mw[i]!),
      ic_moyle_mw: orNull(c.ic_moyle_mw[i]!),
      ic_greenlink_mw: orNull(c.ic_greenlink_mw[i]!),
      ic_net_mw: orNull(c.ic_net_mw[i]!),
      demand_forecast_mw: orNull(c.demand_forecast_mw[i]!),
      wind_forecast_mw: orNull(c.wind_forecast_mw[i]!),
      solar_forecast_mw: orNull(c.solar_forecast_mw[i]!),
      dc_share: orNull(c.dc_share[i]!),
      dc_load_mw: orNull(c.dc_load_mw[i]!),
      dc_load_analysis_mw: orNull(c.dc_load_analysis_mw[i]!),
      dc_load_source: dcSource[i]!,
      stress_score: orNull(score),
      stress_band: stressBand(score, alertThreshold),
      stress_net_load: orNull(c.stress_net_load[i]!),
      stress_renewables: orNull(c.stress_renewables[i]!),
      stress_price: orNull(c.stress_price[i]!),
      stress_interconnector: orNull(c.stress_interconnector[i]!),
      stress_snsp: orNull(c.stress_snsp[i]!),
      event_tight: boolOrNull(events.tight[i]!),
      event_snsp: boolOrNull(events.snsp[i]!),
      event_price_spike: boolOrNull(events.price_spike[i]!),
      stress_event: boolOrNull(events.event[i]!),
      flags: flagsOfMask(flagMasks[i]!),
    };
  }
  return rows;
}

/**
 * The hourly feature row and the order of its columns in dcgrid.features_hourly.
 * Meanings, units and formulas of every column: docs/FEATURES.md.
 */
import type { Region } from '../config/config.js';
import type { FeatureFlag } from './flags.js';

export const STRESS_BANDS = ['normal', 'elevated', 'high', 'critical'] as const;
export type StressBand = (typeof STRESS_BANDS)[number];

export type DcLoadSource = 'proxy' | 'telemetry';

/** The double-precision columns, in table order. */
export const NUMERIC_FEATURE_COLUMNS = [
  'demand_mw',
  'generation_mw',
  'wind_mw',
  'solar_mw',
  'renew_mw',
  'renewable_share',
  'net_load_mw',
  'price_eur_mwh',
  'neg_price_freq_7d',
  'ramp_rate_mw_h',
  'renew_var_24h',
  'co2_intensity',
  'snsp',
  'ic_ewic_mw',
  'ic_moyle_mw',
  'ic_greenlink_mw',
  'ic_net_mw',
  'demand_forecast_mw',
  'wind_forecast_mw',
  'solar_forecast_mw',
  'dc_share',
  'dc_load_mw',
  'stress_score',
  'stress_net_load',
  'stress_renewables',
  'stress_price',
  'stress_interconnector',
  'stress_snsp',
  'dc_load_analysis_mw',
] as const;
export type NumericFeatureColumn = (typeof NUMERIC_FEATURE_COLUMNS)[number];

/** Every column this module fills, in table order (no updated_at). `ts_utc` holds FeatureRow.ts. */
export const FEATURE_COLUMNS = [
  'region',
  'ts_utc',
  'demand_mw',
  'generation_mw',
  'wind_mw',
  'solar_mw',
  'renew_mw',
  'renewable_share',
  'net_load_mw',
  'price_eur_mwh',
  'neg_price_flag',
  'neg_price_freq_7d',
  'price_spike_flag',
  'ramp_rate_mw_h',
  'renew_var_24h',
  'co2_intensity',
  'snsp',
  'ic_ewic_mw',
  'ic_moyle_mw',
  'ic_greenlink_mw',
  'ic_net_mw',
  'demand_forecast_mw',
  'wind_forecast_mw',
  'solar_forecast_mw',
  'dc_share',
  'dc_load_mw',
  'dc_load_source',
  'stress_score',
  'stress_band',
  'flags',
  // Added by migration 0006 (after updated_at in the table).
  'stress_net_load',
  'stress_renewables',
  'stress_price',
  'stress_interconnector',
  'stress_snsp',
  // Added by migration 0008.
  'dc_load_analysis_mw',
  // Added by migration 0009 (stress-event labels, booleans).
  'event_tight',
  'event_snsp',
  'event_price_spike',
  'stress_event',
] as const;
export type FeatureColumn = (typeof FEATURE_COLUMNS)[number];

export type FeatureRow = { region: Region; ts: number } & { [C in NumericFeatureColumn]: number | null } & {
  neg_price_flag: boolean | null;
  price_spike_flag: boolean | null;
  dc_load_source: DcLoadSource | null;
  stress_band: StressBand | null;
  /** Stress-event labels (src/features/stress-events.ts); NULL when unknown. */
  event_tight: boolean | null;
  event_snsp: boolean | null;
  event_price_spike: boolean | null;
  stress_event: boolean | null;
  /** Frozen: rows with the same flags share one list. */
  flags: readonly FeatureFlag[];
};

export type FeatureCellValue = string | number | boolean | Date | null | readonly string[];

/** A row's values in FEATURE_COLUMNS order (ts_utc as a Date), ready for COPY or INSERT. */
export function featureRowValues(row: FeatureRow): FeatureCellValue[] {
  return FEATURE_COLUMNS.map((column) => (column === 'ts_utc' ? new Date(row.ts) : row[column]));
}

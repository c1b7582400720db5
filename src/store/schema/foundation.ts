import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ObservationsTable {
  source: string;
  series: string;
  region: string;
  ts_utc: Timestamp;
  interval_min: number;
  value: number | null;
  ingested_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/**
 * One row per (region, hour). Column meanings and formulas: docs/FEATURES.md.
 * The column list (in table order) is FEATURE_COLUMNS in src/features/columns.ts.
 */
export interface FeaturesHourlyTable {
  region: string;
  ts_utc: Timestamp;
  demand_mw: number | null;
  generation_mw: number | null;
  wind_mw: number | null;
  solar_mw: number | null;
  renew_mw: number | null;
  renewable_share: number | null;
  net_load_mw: number | null;
  price_eur_mwh: number | null;
  neg_price_flag: boolean | null;
  neg_price_freq_7d: number | null;
  price_spike_flag: boolean | null;
  ramp_rate_mw_h: number | null;
  renew_var_24h: number | null;
  co2_intensity: number | null;
  snsp: number | null;
  ic_ewic_mw: number | null;
  ic_moyle_mw: number | null;
  ic_greenlink_mw: number | null;
  ic_net_mw: number | null;
  demand_forecast_mw: number | null;
  wind_forecast_mw: number | null;
  solar_forecast_mw: number | null;
  dc_share: number | null;
  dc_load_mw: number | null;
  dc_load_analysis_mw: number | null;
  dc_load_source: string | null;
  stress_score: number | null;
  stress_band: string | null;
  stress_net_load: number | null;
  stress_renewables: number | null;
  stress_price: number | null;
  stress_interconnector: number | null;
  stress_snsp: number | null;
  event_tight: boolean | null;
  event_snsp: boolean | null;
  event_price_spike: boolean | null;
  stress_event: boolean | null;
  flags: string[];
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IngestReportsTable {
  id: Generated<number>;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: string;
  mode: string;
  raw_dir: string | null;
  region: string;
  rows_written: number;
  report: ColumnType<unknown, string, string>;
  error: string | null;
}

export interface CsoFiguresTable {
  year: number;
  /** 0 for an annual figure, 1..4 for a quarter. */
  quarter: number;
  metric: string;
  value: number;
  unit: string;
  status: string;
  source_url: string;
  note: string;
  ingested_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface FoundationTables {
  'dcgrid.observations': ObservationsTable;
  'dcgrid.features_hourly': FeaturesHourlyTable;
  'dcgrid.ingest_reports': IngestReportsTable;
  'dcgrid.cso_figures': CsoFiguresTable;
}

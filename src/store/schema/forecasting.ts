import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** One backtest: the same origins for every model. */
export interface BacktestsTable {
  backtest_id: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  region: string;
  target: string;
  models: string[];
  horizon_h: number;
  origins: number;
  first_origin: Timestamp;
  last_origin: Timestamp;
  refit_every_h: number;
  config: Json;
  run_id: string | null;
}

/**
 * Metric values of a backtest: scope 'horizon' has one row per horizon hour (horizon_h = 1..H);
 * scopes 'day_ahead' (hours 1-24) and 'week_ahead' (1-168) aggregate with horizon_h = 0.
 */
export interface BacktestMetricsTable {
  backtest_id: string;
  model: string;
  scope: string;
  horizon_h: number;
  metric: string;
  value: number | null;
}

/** Issued forecasts: one row per forecast hour. */
export interface ForecastsTable {
  region: string;
  target: string;
  model: string;
  version: number;
  origin: Timestamp;
  ts_utc: Timestamp;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** P(event) of an event classifier (migration 0009); NULL for quantile forecasts. */
  probability: ColumnType<number | null, number | null | undefined, number | null>;
  run_id: string | null;
  issued_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ForecastingTables {
  'dcgrid.backtests': BacktestsTable;
  'dcgrid.backtest_metrics': BacktestMetricsTable;
  'dcgrid.forecasts': ForecastsTable;
}

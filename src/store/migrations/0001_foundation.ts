import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS dcgrid`.execute(db);
  await sql`
    CREATE TABLE dcgrid.observations (
      source text NOT NULL,
      series text NOT NULL,
      region text NOT NULL CHECK (region IN ('IE', 'NI', 'ALL')),
      ts_utc timestamptz NOT NULL,
      interval_min smallint NOT NULL CHECK (interval_min > 0),
      value double precision,
      ingested_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, series, region, ts_utc)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.features_hourly (
      region text NOT NULL CHECK (region IN ('IE', 'NI', 'ALL')),
      ts_utc timestamptz NOT NULL,
      demand_mw double precision,
      generation_mw double precision,
      wind_mw double precision,
      solar_mw double precision,
      renew_mw double precision,
      renewable_share double precision,
      net_load_mw double precision,
      price_eur_mwh double precision,
      neg_price_flag boolean,
      neg_price_freq_7d double precision,
      price_spike_flag boolean,
      ramp_rate_mw_h double precision,
      renew_var_24h double precision,
      co2_intensity double precision,
      snsp double precision,
      ic_ewic_mw double precision,
      ic_moyle_mw double precision,
      ic_greenlink_mw double precision,
      ic_net_mw double precision,
      demand_forecast_mw double precision,
      wind_forecast_mw double precision,
      solar_forecast_mw double precision,
      dc_share double precision,
      dc_load_mw double precision,
      dc_load_source text CHECK (dc_load_source IN ('proxy', 'telemetry')),
      stress_score double precision,
      stress_band text CHECK (stress_band IN ('normal', 'elevated', 'high', 'critical')),
      flags text[] NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (region, ts_utc)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.ingest_reports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
      mode text NOT NULL,
      raw_dir text,
      region text NOT NULL,
      rows_written integer NOT NULL DEFAULT 0,
      report jsonb NOT NULL,
      error text
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.cso_figures (
      year integer NOT NULL,
      quarter smallint NOT NULL CHECK (quarter BETWEEN 0 AND 4),
      metric text NOT NULL,
      value double precision NOT NULL,
      unit text NOT NULL,
      status text NOT NULL,
      source_url text NOT NULL,
      note text NOT NULL DEFAULT '',
      ingested_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (year, quarter, metric)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['cso_figures', 'ingest_reports', 'features_hourly', 'observations']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(`dcgrid.${table}`)}`.execute(db);
  }
}

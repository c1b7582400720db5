import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dcgrid.backtests (
      backtest_id text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      region text NOT NULL,
      target text NOT NULL,
      models text[] NOT NULL,
      horizon_h integer NOT NULL,
      origins integer NOT NULL,
      first_origin timestamptz NOT NULL,
      last_origin timestamptz NOT NULL,
      refit_every_h integer NOT NULL,
      config jsonb NOT NULL,
      run_id text
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.backtest_metrics (
      backtest_id text NOT NULL REFERENCES dcgrid.backtests ON DELETE CASCADE,
      model text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('horizon', 'day_ahead', 'week_ahead')),
      horizon_h integer NOT NULL,
      metric text NOT NULL,
      value double precision,
      PRIMARY KEY (backtest_id, model, scope, horizon_h, metric)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.forecasts (
      region text NOT NULL,
      target text NOT NULL,
      model text NOT NULL,
      version integer NOT NULL,
      origin timestamptz NOT NULL,
      ts_utc timestamptz NOT NULL,
      p10 double precision,
      p50 double precision,
      p90 double precision,
      run_id text,
      issued_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (region, target, model, version, origin, ts_utc)
    )`.execute(db);
  await sql`CREATE INDEX forecasts_latest ON dcgrid.forecasts (region, target, origin DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['forecasts', 'backtest_metrics', 'backtests']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(`dcgrid.${table}`)}`.execute(db);
  }
}

import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dcgrid.experiments (
      experiment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      mlflow_experiment_id text
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.runs (
      run_id text PRIMARY KEY CHECK (run_id ~ '^[0-9a-f]{32}$'),
      experiment_id bigint NOT NULL REFERENCES dcgrid.experiments,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
      start_time timestamptz NOT NULL,
      end_time timestamptz,
      error text,
      pid integer,
      pid_start text,
      host text,
      mlflow_run_id text,
      CHECK ((status IN ('RUNNING', 'SCHEDULED')) = (end_time IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX runs_by_experiment ON dcgrid.runs (experiment_id, start_time DESC)`.execute(db);
  await sql`CREATE INDEX runs_running ON dcgrid.runs (host) WHERE status = 'RUNNING'`.execute(db);
  await sql`
    CREATE TABLE dcgrid.run_params (
      run_id text NOT NULL REFERENCES dcgrid.runs ON DELETE CASCADE,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (run_id, key)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.run_metrics (
      run_id text NOT NULL REFERENCES dcgrid.runs ON DELETE CASCADE,
      key text NOT NULL,
      value double precision NOT NULL,
      step bigint NOT NULL DEFAULT 0,
      timestamp timestamptz NOT NULL,
      PRIMARY KEY (run_id, key, step, timestamp, value)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.run_tags (
      run_id text NOT NULL REFERENCES dcgrid.runs ON DELETE CASCADE,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (run_id, key)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.run_artifacts (
      run_id text NOT NULL REFERENCES dcgrid.runs ON DELETE CASCADE,
      path text NOT NULL,
      uri text NOT NULL,
      size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, path)
    )`.execute(db);
  await sql`
    CREATE TABLE dcgrid.models (
      region text NOT NULL CHECK (region IN ('IE', 'NI', 'ALL')),
      target text NOT NULL,
      model text NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      alias text NOT NULL CHECK (alias IN ('champion', 'challenger', 'retired')),
      artifact_uri text NOT NULL,
      run_id text REFERENCES dcgrid.runs ON DELETE SET NULL,
      metrics jsonb NOT NULL,
      metadata jsonb NOT NULL,
      data_fingerprint text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      mlflow_name text,
      mlflow_version text,
      PRIMARY KEY (region, target, model, version)
    )`.execute(db);
  // Exactly one champion per (region, target), whichever model it is.
  await sql`CREATE UNIQUE INDEX models_one_champion ON dcgrid.models (region, target) WHERE alias = 'champion'`.execute(
    db,
  );
  await sql`
    CREATE TABLE dcgrid.model_events (
      event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      region text NOT NULL,
      target text NOT NULL,
      model text NOT NULL,
      version integer NOT NULL,
      action text NOT NULL CHECK (action IN ('register', 'promote', 'demote', 'rollback')),
      alias text NOT NULL CHECK (alias IN ('champion', 'challenger', 'retired')),
      reason text NOT NULL,
      run_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (region, target, model, version) REFERENCES dcgrid.models ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX model_events_history ON dcgrid.model_events (region, target, event_id DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'model_events',
    'models',
    'run_artifacts',
    'run_tags',
    'run_metrics',
    'run_params',
    'runs',
    'experiments',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(`dcgrid.${table}`)}`.execute(db);
  }
}

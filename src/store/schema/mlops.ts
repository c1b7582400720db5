import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

/** Run states, as MLflow names them (RunStatus in MLflow's service.proto). */
export type RunStatusValue = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** A registered version's role: one champion per (region, target), any number of challengers. */
export type ModelAlias = 'champion' | 'challenger' | 'retired';

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  created_at: DefaultTimestamp;
  mlflow_experiment_id: string | null;
}

export interface RunsTable {
  /** 32 lowercase hex digits, the shape of an MLflow run id. */
  run_id: string;
  experiment_id: number;
  name: string;
  status: RunStatusValue;
  start_time: Timestamp;
  end_time: Timestamp | null;
  error: string | null;
  /** The process that runs it, to tell a live run from one whose process died (kill -9). */
  pid: number | null;
  /** The process's start time as the kernel reports it, so a recycled pid is not taken for the run's. */
  pid_start: string | null;
  host: string | null;
  mlflow_run_id: string | null;
}

export interface RunParamsTable {
  run_id: string;
  key: string;
  value: string;
}

/** The training curve (one row per step) and the backtest metrics (step 0). */
export interface RunMetricsTable {
  run_id: string;
  key: string;
  value: number;
  step: number;
  timestamp: Timestamp;
}

export interface RunTagsTable {
  run_id: string;
  key: string;
  value: string;
}

/** Where a run's artifacts are: one row per file, with its size and checksum. */
export interface RunArtifactsTable {
  run_id: string;
  path: string;
  uri: string;
  size_bytes: number;
  sha256: string;
  created_at: DefaultTimestamp;
}

export interface ModelsTable {
  region: string;
  target: string;
  model: string;
  version: number;
  alias: ModelAlias;
  artifact_uri: string;
  run_id: string | null;
  /** Backtest metrics (name -> value; null where not finite). */
  metrics: Json;
  /** A copy of the version's metadata.json, so readers need not fetch it from the artifact store. */
  metadata: Json;
  data_fingerprint: string;
  created_at: DefaultTimestamp;
  mlflow_name: string | null;
  mlflow_version: string | null;
}

/** Every alias change, in order: the history that rollback walks back through. */
export interface ModelEventsTable {
  event_id: Generated<number>;
  region: string;
  target: string;
  model: string;
  version: number;
  action: 'register' | 'promote' | 'demote' | 'rollback';
  alias: ModelAlias;
  reason: string;
  run_id: string | null;
  created_at: DefaultTimestamp;
}

export interface MlopsTables {
  'dcgrid.experiments': ExperimentsTable;
  'dcgrid.runs': RunsTable;
  'dcgrid.run_params': RunParamsTable;
  'dcgrid.run_metrics': RunMetricsTable;
  'dcgrid.run_tags': RunTagsTable;
  'dcgrid.run_artifacts': RunArtifactsTable;
  'dcgrid.models': ModelsTable;
  'dcgrid.model_events': ModelEventsTable;
}

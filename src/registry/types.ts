import type { Region } from '../config/config.js';
import type { ModelMetadata } from '../artifacts/metadata.js';
import type { WriteOptions } from '../artifacts/store.js';
import type { ModelFiles } from '../models/types.js';
import type { ModelAlias } from '../store/schema/mlops.js';

export type { ModelAlias };

export interface SeriesKey {
  region: Region;
  target: string;
}

export interface VersionRef extends SeriesKey {
  model: string;
  version: number;
}

/** What a model knows about itself, for metadata.json (ModelDescription's fields and the data). */
export interface RegistrationMetadata {
  features: string[];
  params: Record<string, unknown>;
  horizon?: number;
  contextLength?: number;
  quantiles?: number[];
  /** Epoch ms of the first and last training hour. */
  trainingWindow: { from: number; to: number } | null;
  /** Identifies the training data (e.g. a hash of the feature rows); two equal fingerprints, same data. */
  dataFingerprint: string;
  details?: Record<string, unknown>;
}

export interface RegisterInput extends SeriesKey {
  model: string;
  files: ModelFiles;
  metadata: RegistrationMetadata;
  /** Backtest metrics, e.g. { day_ahead_mase: 0.81, week_ahead_mase: 0.95 }. */
  backtestMetrics: Record<string, number>;
  /** The tracked run that trained it; a FAILED or KILLED run is refused. */
  runId?: string | null;
  signal?: AbortSignal;
  onFile?: WriteOptions['onFile'];
}

export interface Decision {
  alias: Extract<ModelAlias, 'champion' | 'challenger'>;
  /** One line for logs and the pipeline's output. */
  reason: string;
}

export interface RegisterResult extends VersionRef, Decision {
  artifactUri: string;
  /** The champion it replaced, if it became champion. */
  replaced?: VersionRef;
  mlflow?: { name: string; version: string };
}

export interface ModelVersionRecord extends VersionRef {
  alias: ModelAlias;
  artifactUri: string;
  runId: string | null;
  metrics: Record<string, number | null>;
  dataFingerprint: string;
  createdAt: Date;
  mlflowName: string | null;
  mlflowVersion: string | null;
}

/** What the API reads to serve forecasts. */
export interface Champion extends ModelVersionRecord {
  metadata: ModelMetadata;
}

export interface AliasChange extends SeriesKey {
  champion: VersionRef;
  /** The version that was champion before, and what it became. */
  previous?: VersionRef & { alias: ModelAlias };
  changed: boolean;
  reason: string;
}

export interface ModelEvent extends VersionRef {
  eventId: number;
  action: 'register' | 'promote' | 'demote' | 'rollback';
  alias: ModelAlias;
  reason: string;
  runId: string | null;
  createdAt: Date;
}

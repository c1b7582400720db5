/**
 * Experiment tracking: one interface, two backends (embedded: the database tables; mlflow: an MLflow
 * tracking server over its REST API). Names follow MLflow's: experiments hold runs; a run has params
 * (set once), metrics (appended, with a step and a timestamp), tags (overwritable) and artifacts.
 */
import type { Region } from '../config/config.js';
import type { RunStatusValue } from '../store/schema/mlops.js';

export type RunStatus = RunStatusValue;

/** The states a run can end in. */
export type TerminalRunStatus = Extract<RunStatus, 'FINISHED' | 'FAILED' | 'KILLED'>;

export interface Experiment {
  /** The backend's id (a number as text in the database, MLflow's experiment_id on MLflow). */
  id: string;
  name: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  /** Training step (boosting round, epoch); 0 for one-off values such as backtest metrics. */
  step: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** Where one artifact file of a run lives (the bytes themselves are in the artifact store). */
export interface ArtifactIndexEntry {
  /** Path relative to the run, e.g. `model/metadata.json`. */
  path: string;
  /** Absolute URI of the file in the artifact store. */
  uri: string;
  sizeBytes: number;
  sha256: string;
}

export type ParamValue = string | number | boolean;

export interface StartRunOptions {
  experiment: string;
  name: string;
  tags?: Record<string, string>;
}

export interface RunHandle {
  readonly runId: string;
  readonly experimentId: string;
  readonly name: string;
  /** Params are set once: logging a key again with another value is an error (as in MLflow). */
  logParams(params: Record<string, ParamValue>): Promise<void>;
  logMetrics(points: readonly MetricPoint[]): Promise<void>;
  setTag(key: string, value: string): Promise<void>;
  logArtifacts(entries: readonly ArtifactIndexEntry[]): Promise<void>;
  /** Ends the run; `error` is stored with FAILED / KILLED. Ending twice is an error. */
  end(status: TerminalRunStatus, error?: string): Promise<void>;
}

export interface Tracker {
  /** "embedded", "mlflow" or "embedded+mlflow", for messages. */
  readonly backend: string;
  getOrCreateExperiment(name: string): Promise<Experiment>;
  startRun(options: StartRunOptions): Promise<RunHandle>;
}

/** The experiment every run of a region goes to. */
export function experimentName(region: Region): string {
  return `dcgrid-${region}`;
}

export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
export const TERMINAL_STATUSES: readonly TerminalRunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

/** Params are stored as text everywhere (MLflow params are strings). */
export function paramText(value: ParamValue): string {
  return typeof value === 'string' ? value : String(value);
}

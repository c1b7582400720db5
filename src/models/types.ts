import type { Region } from '../config/config.js';

/**
 * A contiguous hourly grid: `ts[i]` is the UTC epoch ms at which hour i starts, ts[i+1] = ts[i] + 1 h.
 * Every column has one value per hour; NaN marks a missing value.
 */
export interface HourlyFrame {
  ts: Float64Array;
  columns: Record<string, Float64Array>;
}

/** Quantile levels every model returns at least. */
export const DEFAULT_QUANTILES = [0.1, 0.5, 0.9] as const;

export interface TrainingData {
  region: Region;
  target: string;
  /** History to learn from: the last row is the last hour the model may see. */
  frame: HourlyFrame;
}

export interface FitOptions {
  horizon: number;
  contextLength: number;
  quantiles: readonly number[];
  seed: number;
  /** Hours at the end of the frame held out for early stopping (0: no validation window). */
  validationHours: number;
  signal?: AbortSignal;
  /** Called after each epoch / boosting round block, for progress bars and tracking. */
  onProgress?: (progress: TrainingProgress) => void;
  /** Model-specific hyper-parameters, validated by the model. */
  params?: Record<string, unknown>;
}

export interface TrainingProgress {
  step: number;
  totalSteps: number;
  metrics: Record<string, number>;
}

export interface FitReport {
  steps: number;
  bestStep: number;
  metrics: Record<string, number>;
  /** Training curve: one entry per step (for tracking). */
  curve: Array<{ step: number; metrics: Record<string, number> }>;
  seconds: number;
}

/**
 * Forecast issued at `origin`: hour h (1..H) starts at origin + (h - 1) h and ends at origin + h h
 * ("T+h" in the hour-ending convention of power markets). The history handed to a model holds only
 * hours that start before `origin`.
 */
export interface Forecast {
  origin: number;
  /** Start of each forecast hour (UTC epoch ms). */
  ts: Float64Array;
  quantiles: number[];
  /** values[q][h]: quantile q of hour h+1. */
  values: Float64Array[];
  /**
   * Event classifiers only (a 0/1 target such as stress_event): probability[h] = P(event in hour
   * h+1). Their quantiles are those of that Bernoulli variable (1 where P > 1 - q, else 0).
   */
  probability?: Float64Array;
}

/** A model's persisted form: file name -> bytes, in portable formats (JSON, UBJ, raw float32). */
export type ModelFiles = Record<string, Uint8Array>;

export interface ModelDescription {
  model: string;
  target: string;
  region: Region;
  horizon: number;
  contextLength: number;
  quantiles: number[];
  features: string[];
  params: Record<string, unknown>;
  trainedFrom?: number;
  trainedTo?: number;
  /** Model-specific explanations (importances, variable-selection weights, ...). */
  details?: Record<string, unknown>;
}

export interface Forecaster {
  readonly name: string;
  fit(data: TrainingData, options: FitOptions): Promise<FitReport>;
  /** `history` ends at the hour before `origin`; its last ts + 1 h = origin. */
  forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast>;
  save(): Promise<ModelFiles>;
  describe(): ModelDescription;
  /** Frees native or GPU/wasm memory. Safe to call twice. */
  dispose(): void;
}

export interface ModelFactory {
  readonly name: string;
  /** Frame columns besides the target the model reads when its parameters name none (pastColumns). */
  readonly defaultPastColumns?: readonly string[];
  create(): Forecaster;
  load(files: ModelFiles): Promise<Forecaster>;
}

/**
 * The backtest engine: every model forecasts from the same rolling origins; at each refit a fresh
 * model trains on the window before that origin only (src/models/harness.ts slices and copies), and
 * every forecast is scored against the actuals per horizon hour and pooled per scope.
 */
import { randomBytes } from 'node:crypto';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { checkHourlyFrame, fitAt, forecastAt } from '../models/harness.js';
import type {
  FitReport,
  Forecast,
  Forecaster,
  ModelFactory,
  HourlyFrame,
  TrainingProgress,
} from '../models/types.js';
import { resolveBacktestConfig, type BacktestConfig, type BacktestConfigInput } from './config.js';
import { EventAccumulator, type EventMetricValues, type ReliabilityBin } from './event-metrics.js';
import { MetricAccumulator, seasonalNaiveScale, type MetricValues } from './metrics.js';
import { planOrigins } from './origins.js';

/** Scopes of pooled metrics: hours 1-24 and 1-168 (or 1..horizon when shorter). */
export const SCOPES = { day_ahead: 24, week_ahead: 168 } as const;
export type Scope = keyof typeof SCOPES;
/** The MASE scale is the weekly seasonal naive's in-sample MAE. */
const MASE_SEASON = 168;

export interface ModelBacktest {
  model: string;
  fits: number;
  fitSeconds: number;
  forecastSeconds: number;
  /** byHorizon[h - 1]: metrics of forecast hour h over every origin. */
  byHorizon: MetricValues[];
  scopes: Record<Scope, MetricValues>;
  /** Event classifiers only (forecasts with a probability): pooled event metrics per scope. */
  events?: Record<Scope, EventScope>;
}

export interface EventScope {
  metrics: EventMetricValues & { n: number };
  reliability: ReliabilityBin[];
}

export interface BacktestResult {
  backtestId: string;
  createdAt: Date;
  config: BacktestConfig;
  /** Forecast origins (UTC epoch ms). */
  origins: number[];
  /** Hours the backtest read, from the first training hour to the last scored hour: [from, to). */
  frame: { from: number; to: number };
  models: ModelBacktest[];
  seconds: number;
}

export interface BacktestProgress {
  model: string;
  /** 0-based position of the model in config.models. */
  modelIndex: number;
  phase: 'fit' | 'forecast';
  originsDone: number;
  originsTotal: number;
  fits: number;
  /** The model's own training progress during a fit. */
  training?: TrainingProgress;
}

export interface BacktestOptions {
  /** The model factories by name (normally getModelFactory from src/models/catalog.ts). */
  factory: (name: string) => ModelFactory;
  onProgress?: (progress: BacktestProgress) => void;
  signal?: AbortSignal;
  /**
   * Receives each model's last fitted forecaster (trained on the hours before `fittedBefore`)
   * once the model's origins are all scored, instead of the engine disposing it: a caller can
   * register the very model the backtest scored rather than train it again.
   */
  keepLastFit?: (model: string, forecaster: Forecaster, fittedBefore: number, report: FitReport) => void;
  /** Creation time, for the id; default now. */
  now?: Date;
  /** Called with every forecast scored (e.g. to export them), in the order they are made. */
  onForecast?: (scored: ScoredForecast) => void | Promise<void>;
}

/** One forecast of a backtest beside the actuals it was scored against. */
export interface ScoredForecast {
  model: string;
  forecast: Forecast;
  /** actual[h]: the target in forecast hour h + 1 (NaN where unknown). */
  actual: Float64Array;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `bt_<yyyymmddHHMMSS>_<6 hex>` in UTC. */
export function newBacktestId(now: Date = new Date()): string {
  const stamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `bt_${stamp}_${randomBytes(3).toString('hex')}`;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error
      ? signal.reason
      : new DcgridError(ErrorCodes.INTERRUPTED, 'The backtest was interrupted.');
  }
}

function needsRefit(origin: number, lastFit: number | undefined, refitEveryH: number): boolean {
  if (lastFit === undefined) return true;
  return refitEveryH > 0 && origin - lastFit >= refitEveryH * HOUR_MS;
}

/** Runs the backtest on `frame` (target column plus whatever the models read). */
export async function runBacktest(
  frame: HourlyFrame,
  input: BacktestConfigInput,
  options: BacktestOptions,
): Promise<BacktestResult> {
  const started = performance.now();
  const config = resolveBacktestConfig(input);
  const createdAt = options.now ?? new Date();
  const factories = config.models.map((name) => options.factory(name));
  checkHourlyFrame(frame, [config.target]);
  const y = frame.columns[config.target]!;
  const origins = planOrigins(frame, config.target, config.horizon, config.origins);
  const first = frame.ts[0]!;
  const originRows = origins.map((origin) => Math.round((origin - first) / HOUR_MS));
  const scales = originRows.map((row) =>
    seasonalNaiveScale(y.subarray(Math.max(0, row - config.trainHours), row), MASE_SEASON),
  );
  const models: ModelBacktest[] = [];
  for (const [modelIndex, factory] of factories.entries()) {
    throwIfAborted(options.signal);
    models.push(
      await backtestModel(factory, modelIndex, frame, config, origins, originRows, scales, options),
    );
  }
  return {
    backtestId: newBacktestId(createdAt),
    createdAt,
    config,
    origins,
    frame: { from: first, to: origins.at(-1)! + config.horizon * HOUR_MS },
    models,
    seconds: (performance.now() - started) / 1000,
  };
}

async function backtestModel(
  factory: ModelFactory,
  modelIndex: number,
  frame: HourlyFrame,
  config: BacktestConfig,
  origins: number[],
  originRows: number[],
  scales: number[],
  options: BacktestOptions,
): Promise<ModelBacktest> {
  const { signal, onProgress } = options;
  const y = frame.columns[config.target]!;
  const byHorizon = Array.from({ length: config.horizon }, () => new MetricAccumulator(config.quantiles));
  const eventsByHorizon = Array.from({ length: config.horizon }, () => new EventAccumulator());
  let probabilistic = false;
  const report = (progress: Omit<BacktestProgress, 'model' | 'modelIndex' | 'originsTotal'>) =>
    onProgress?.({ model: factory.name, modelIndex, originsTotal: origins.length, ...progress });
  let model = undefined as ReturnType<ModelFactory['create']> | undefined;
  let lastFit: number | undefined;
  let lastReport: FitReport | undefined;
  let fits = 0;
  let fitSeconds = 0;
  let forecastSeconds = 0;
  try {
    for (const [j, origin] of origins.entries()) {
      throwIfAborted(signal);
      if (needsRefit(origin, lastFit, config.refitEveryH)) {
        model?.dispose();
        model = factory.create();
        const fitStarted = performance.now();
        lastReport = await fitAt(model, frame, origin, {
          region: config.region,
          target: config.target,
          trainHours: config.trainHours,
          validationHours: config.validationHours,
          horizon: config.horizon,
          contextLength: config.contextLength,
          quantiles: config.quantiles,
          seed: config.seed,
          params: config.params[factory.name],
          signal,
          onProgress: (training) => report({ phase: 'fit', originsDone: j, fits, training }),
        });
        fitSeconds += (performance.now() - fitStarted) / 1000;
        fits++;
        lastFit = origin;
      }
      const forecastStarted = performance.now();
      const forecast = await forecastAt(model!, frame, origin, {
        horizon: config.horizon,
        quantiles: config.quantiles,
      });
      forecastSeconds += (performance.now() - forecastStarted) / 1000;
      const levels = config.quantiles.map(
        (q) => forecast.values[forecast.quantiles.findIndex((l) => Math.abs(l - q) < 1e-9)]!,
      );
      const point = new Float64Array(levels.length);
      for (let h = 0; h < config.horizon; h++) {
        for (let k = 0; k < levels.length; k++) point[k] = levels[k]![h]!;
        byHorizon[h]!.add(y[originRows[j]! + h]!, point, scales[j]!);
      }
      if (forecast.probability !== undefined) {
        probabilistic = true;
        for (let h = 0; h < config.horizon; h++) {
          eventsByHorizon[h]!.add(forecast.probability[h]!, y[originRows[j]! + h]!);
        }
      }
      if (options.onForecast !== undefined) {
        const row = originRows[j]!;
        await options.onForecast({
          model: factory.name,
          forecast,
          actual: y.slice(row, row + config.horizon),
        });
      }
      report({ phase: 'forecast', originsDone: j + 1, fits });
    }
    if (options.keepLastFit && model !== undefined && lastFit !== undefined && lastReport !== undefined) {
      options.keepLastFit(factory.name, model, lastFit, lastReport);
      model = undefined;
    }
  } finally {
    model?.dispose();
  }
  const scopes = {} as Record<Scope, MetricValues>;
  for (const [scope, hours] of Object.entries(SCOPES) as Array<[Scope, number]>) {
    const pooled = new MetricAccumulator(config.quantiles);
    for (let h = 0; h < Math.min(hours, config.horizon); h++) pooled.merge(byHorizon[h]!);
    scopes[scope] = pooled.values();
  }
  let events: Record<Scope, EventScope> | undefined;
  if (probabilistic) {
    events = {} as Record<Scope, EventScope>;
    for (const [scope, hours] of Object.entries(SCOPES) as Array<[Scope, number]>) {
      const pooled = new EventAccumulator();
      for (let h = 0; h < Math.min(hours, config.horizon); h++) pooled.merge(eventsByHorizon[h]!);
      events[scope] = { metrics: pooled.values(config.alertProbability), reliability: pooled.reliability() };
    }
  }
  return {
    model: factory.name,
    fits,
    fitSeconds,
    forecastSeconds,
    byHorizon: byHorizon.map((accumulator) => accumulator.values()),
    scopes,
    ...(events ? { events } : {}),
  };
}

/** A model's metric in a scope (e.g. the promotion metric: day-ahead MASE). */
export function scopeMetric(
  result: BacktestResult,
  model: string,
  metric: keyof MetricValues,
  scope: Scope = 'day_ahead',
): number {
  const entry = result.models.find((m) => m.model === model);
  if (entry === undefined) {
    throw new DcgridError(ErrorCodes.NOT_FOUND, `Backtest ${result.backtestId} has no model "${model}".`);
  }
  return entry.scopes[scope][metric];
}

/** Relative improvement of `model` over `baseline` on a lower-is-better metric: 0.3 = 30 % lower. */
export function improvementOver(
  result: BacktestResult,
  model: string,
  baseline = 'snaive168',
  metric: keyof MetricValues = 'mase',
  scope: Scope = 'day_ahead',
): number {
  const base = scopeMetric(result, baseline, metric, scope);
  return (base - scopeMetric(result, model, metric, scope)) / base;
}

/**
 * Training one model for one (region, target), as the pipeline and `dcgrid train` do it, inside a
 * tracked run: check the data, backtest the configuration on the most recent weeks (its day-ahead
 * MASE decides promotion), fit on the full training window, then register the version, which
 * becomes champion only if it beats the current one. A failure anywhere leaves the registry as it
 * was; the run ends FAILED (or KILLED when interrupted) with the error stored.
 */
import type { Region } from '../config/config.js';
import { runBacktest, SCOPES, type BacktestResult, type Scope } from '../backtest/engine.js';
import { saveBacktest } from '../backtest/store.js';
import { codeVersion } from '../artifacts/code-version.js';
import { HOUR_MS } from '../lib/time.js';
import { getModelFactory, modelInputColumns } from '../models/catalog.js';
import {
  DEFAULT_QUANTILES,
  type FitReport,
  type Forecaster,
  type TrainingProgress,
} from '../models/types.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { RegisterResult } from '../registry/types.js';
import type { Store } from '../store/store.js';
import { experimentName, type MetricPoint, type Tracker } from '../tracking/tracker.js';
import { withRun } from '../tracking/with-run.js';
import { loadTargetFrame } from './training-data.js';

/** How every model is trained and scored; the pipeline passes the same settings to each. */
export interface TrainingSettings {
  horizon: number;
  contextLength: number;
  /** Length of the training window (hours, ending at the last observed hour). */
  trainHours: number;
  /** Hours at the end of the window for early stopping. */
  validationHours: number;
  /** Daily origins over this many final weeks score the configuration before it is registered. */
  backtestWeeks: number;
  seed: number;
  /** Train as if the store ended here: only hours that start before it (UTC epoch ms). */
  asOf?: number;
}

export interface TrainRequest extends TrainingSettings {
  region: Region;
  target: string;
  model: string;
  params?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Progress: the phase and, while fitting, the model's own steps. */
  onProgress?: (phase: 'backtest' | 'fit' | 'register', done: number, total: number) => void;
  /** Tags for the run (e.g. the pipeline run it belongs to). */
  tags?: Record<string, string>;
}

/**
 * Models whose fit takes minutes (the TFT): trained once per run. The fit the backtest scored (on
 * the training window before its first origin) is the version registered, instead of a second
 * training on the window up to the last hour; its forecasts still read the latest hours as context.
 */
export const TRAINED_ONCE: ReadonlySet<string> = new Set(['tft']);

export interface TrainOutcome {
  runId: string;
  registered: RegisterResult;
  backtest: BacktestResult;
  fit: FitReport;
  promotionMetrics: Record<string, number>;
}

export interface TrainDeps {
  store: Store;
  tracker: Tracker;
  registry: ModelRegistry;
}

/** Backtest metrics as flat names: day_ahead_mase, week_ahead_mae, ... */
export function scopeMetrics(result: BacktestResult, model: string): Record<string, number> {
  const entry = result.models.find((m) => m.model === model);
  const out: Record<string, number> = {};
  if (entry === undefined) return out;
  for (const scope of Object.keys(SCOPES) as Scope[]) {
    for (const [name, value] of Object.entries(entry.scopes[scope])) {
      if (['mae', 'rmse', 'mape', 'smape', 'mase', 'pinball', 'coverage'].includes(name))
        out[`${scope}_${name}`] = value;
    }
    // Event classifiers: day_ahead_brier, day_ahead_auc, ... beside the quantile metrics.
    for (const [name, value] of Object.entries(entry.events?.[scope].metrics ?? {})) {
      if (['brier', 'auc', 'precision', 'recall'].includes(name)) out[`${scope}_${name}`] = value;
    }
  }
  return out;
}

export async function trainAndRegister(deps: TrainDeps, request: TrainRequest): Promise<TrainOutcome> {
  const { store, tracker, registry } = deps;
  const { region, target, model, horizon, contextLength, signal } = request;
  const params = request.params ?? {};
  const factory = getModelFactory(model);
  const backtestHours = request.backtestWeeks * 168;
  // Enough for the backtest's training window plus its origins, checked before any work is done.
  const minHours = contextLength + horizon + request.validationHours + backtestHours;
  const data = await loadTargetFrame(store, {
    region,
    target,
    columns: modelInputColumns(params, model),
    lastHours: request.trainHours + backtestHours,
    minHours,
    ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
  });
  const frame = data.frame;
  const trainFrom = Math.max(frame.ts[0]!, data.lastObserved + HOUR_MS - request.trainHours * HOUR_MS);

  return withRun(
    tracker,
    {
      experiment: experimentName(region),
      name: `train ${model} ${target}`,
      tags: { model, target, region, ...request.tags },
      signals: false,
    },
    async (run) => {
      const code = codeVersion();
      await run.logParams({
        model,
        region,
        target,
        horizon,
        context_length: contextLength,
        rows: frame.ts.length,
        observed_hours: data.observedHours,
        train_from: new Date(trainFrom).toISOString(),
        train_to: new Date(data.lastObserved).toISOString(),
        validation_hours: request.validationHours,
        backtest_weeks: request.backtestWeeks,
        seed: request.seed,
        ...(request.asOf !== undefined ? { as_of: new Date(request.asOf).toISOString() } : {}),
        data_fingerprint: data.fingerprint,
        code_version: `${code.version}${code.gitCommit ? `+${code.gitCommit.slice(0, 12)}` : ''}`,
        ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`param.${k}`, JSON.stringify(v)])),
      });

      request.onProgress?.('backtest', 0, 1);
      const curve: MetricPoint[] = [];
      const onTraining = (p: TrainingProgress) => {
        const timestamp = Date.now();
        for (const [key, value] of Object.entries(p.metrics)) {
          if (Number.isFinite(value)) curve.push({ key, value, step: p.step, timestamp });
        }
        request.onProgress?.('fit', p.step, p.totalSteps);
      };
      let kept: { forecaster: Forecaster; fittedBefore: number; report: FitReport } | undefined;
      const trainOnce = TRAINED_ONCE.has(model);
      const backtest = await runBacktest(
        frame,
        {
          region,
          target,
          models: [model],
          horizon,
          origins: { weeks: request.backtestWeeks, originHour: 0, everyH: 24 },
          refitEveryH: 0,
          trainHours: request.trainHours,
          validationHours: request.validationHours,
          contextLength,
          seed: request.seed,
          params: { [model]: params },
        },
        {
          factory: getModelFactory,
          ...(signal ? { signal } : {}),
          onProgress: (p) => {
            if (p.phase === 'fit' && p.training !== undefined) {
              if (trainOnce) onTraining(p.training);
              else request.onProgress?.('backtest', p.training.step, p.training.totalSteps);
            } else request.onProgress?.('backtest', p.originsDone, p.originsTotal);
          },
          ...(trainOnce
            ? {
                keepLastFit: (_name, forecaster, fittedBefore, report) => {
                  kept = { forecaster, fittedBefore, report };
                },
              }
            : {}),
        },
      );
      const forecaster = kept?.forecaster ?? factory.create();
      try {
        await saveBacktest(store, backtest, run.runId);
        const promotionMetrics = scopeMetrics(backtest, model);
        const now = Date.now();
        await run.logMetrics(
          Object.entries(promotionMetrics)
            .filter(([, v]) => Number.isFinite(v))
            .map(([key, value]) => ({ key: `backtest_${key}`, value, step: 0, timestamp: now })),
        );
        await run.setTag('backtest_id', backtest.backtestId);
        request.onProgress?.('backtest', 1, 1);

        const fitFrame = {
          ts: frame.ts.subarray(frame.ts.length - Math.min(frame.ts.length, request.trainHours)),
          columns: Object.fromEntries(
            Object.entries(frame.columns).map(([k, v]) => [
              k,
              v.subarray(v.length - Math.min(v.length, request.trainHours)),
            ]),
          ),
        };
        const trainingWindow = kept
          ? {
              from: Math.max(frame.ts[0]!, kept.fittedBefore - request.trainHours * HOUR_MS),
              to: kept.fittedBefore - HOUR_MS,
            }
          : { from: fitFrame.ts[0]!, to: data.lastObserved };
        const fit =
          kept?.report ??
          (await forecaster.fit(
            { region, target, frame: fitFrame },
            {
              horizon,
              contextLength,
              quantiles: DEFAULT_QUANTILES,
              seed: request.seed,
              validationHours: Math.min(request.validationHours, Math.floor(fitFrame.ts.length / 5)),
              params,
              ...(signal ? { signal } : {}),
              onProgress: onTraining,
            },
          ));
        for (let i = 0; i < curve.length; i += 500) await run.logMetrics(curve.slice(i, i + 500));
        await run.logMetrics(
          Object.entries(fit.metrics)
            .filter(([, v]) => Number.isFinite(v))
            .map(([key, value]) => ({
              key: `final_${key}`,
              value,
              step: fit.bestStep,
              timestamp: Date.now(),
            })),
        );
        signal?.throwIfAborted();

        request.onProgress?.('register', 0, 1);
        const description = forecaster.describe();
        const registered = await registry.registerModelVersion({
          region,
          target,
          model,
          files: await forecaster.save(),
          metadata: {
            features: description.features,
            params: description.params,
            horizon,
            contextLength: description.contextLength,
            quantiles: description.quantiles,
            trainingWindow,
            dataFingerprint: data.fingerprint,
            ...(description.details ? { details: description.details } : {}),
          },
          backtestMetrics: promotionMetrics,
          runId: run.runId,
          ...(signal ? { signal } : {}),
        });
        await run.setTag('registered_version', String(registered.version));
        await run.setTag('alias', registered.alias);
        request.onProgress?.('register', 1, 1);
        return { runId: run.runId, registered, backtest, fit, promotionMetrics };
      } finally {
        forecaster.dispose();
      }
    },
  );
}

/**
 * The pipeline: ingest (with the feature build) -> for each target and model: backtest, train,
 * register/promote -> forecast from each target's champion. The pipeline is itself a tracked run;
 * every finished step is recorded on it as a tag `step.<name>`, so `--resume` after a failure or
 * an interruption skips the steps a previous run of the same configuration finished.
 */
import { createHash } from 'node:crypto';
import type { Config, Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { planAndRunIngest } from '../ingest/ingest.js';
import type { PlanOptions } from '../ingest/plan.js';
import { getModelFactory } from '../models/catalog.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import { experimentName, type RunHandle, type Tracker } from '../tracking/tracker.js';
import { withRun } from '../tracking/with-run.js';
import { issueForecast } from './forecast.js';
import { trainAndRegister, type TrainingSettings, type TrainRequest } from './train.js';

export interface PipelineRequest extends TrainingSettings {
  region: Region;
  /** The first is the main target. */
  targets: readonly string[];
  /** Models trained for every target not in `targetModels`. */
  models: readonly string[];
  /** Models by target, where a target gets others than `models` (the quicker ones, say). */
  targetModels?: Readonly<Record<string, readonly string[]>>;
  /** Model parameters by model name. */
  params?: Record<string, Record<string, unknown>>;
  ingest: PlanOptions | false;
  resume: boolean;
  signal?: AbortSignal;
  onStep?: (event: PipelineEvent) => void;
}

export type PipelineEvent =
  | { kind: 'plan'; steps: string[]; skipped: string[] }
  | { kind: 'start'; step: string }
  | { kind: 'progress'; step: string; phase: string; done: number; total: number }
  | { kind: 'done'; step: string; seconds: number; summary: string };

export interface StepResult {
  step: string;
  status: 'done' | 'skipped';
  seconds: number;
  summary: string;
}

export interface PipelineResult {
  runId: string;
  resumedFrom: string | null;
  steps: StepResult[];
}

export interface PipelineDeps {
  config: Config;
  store: Store;
  tracker: Tracker;
  registry: ModelRegistry;
}

const STEP_TAG = 'step.';

/** The models trained for a target. */
export function modelsFor(request: Pick<PipelineRequest, 'models' | 'targetModels'>, target: string) {
  return request.targetModels?.[target] ?? request.models;
}

export function pipelineSteps(
  request: Pick<PipelineRequest, 'targets' | 'models' | 'targetModels' | 'ingest'>,
): string[] {
  const steps = request.ingest === false ? [] : ['ingest'];
  for (const target of request.targets) {
    for (const model of modelsFor(request, target)) steps.push(`train/${target}/${model}`);
    steps.push(`forecast/${target}`);
  }
  return steps;
}

/** Identifies a pipeline configuration: a resumed run must have been asked to do the same thing. */
export function pipelineFingerprint(request: PipelineRequest, config: Config): string {
  const { signal: _signal, onStep: _onStep, resume: _resume, ...rest } = request;
  const text = JSON.stringify({ ...rest, rawDir: config.DCGRID_RAW_DIR ?? null });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The steps the last unfinished pipeline run of this configuration completed, by name. */
async function resumableSteps(
  store: Store,
  fingerprint: string,
): Promise<{ runId: string; done: Map<string, string> } | undefined> {
  const previous = await store.db
    .selectFrom('dcgrid.runs')
    .innerJoin('dcgrid.run_tags', 'dcgrid.run_tags.run_id', 'dcgrid.runs.run_id')
    .select(['dcgrid.runs.run_id', 'dcgrid.runs.status'])
    .where('dcgrid.run_tags.key', '=', 'pipeline.fingerprint')
    .where('dcgrid.run_tags.value', '=', fingerprint)
    .orderBy('dcgrid.runs.start_time', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (previous === undefined || previous.status === 'FINISHED' || previous.status === 'RUNNING')
    return undefined;
  const tags = await store.db
    .selectFrom('dcgrid.run_tags')
    .select(['key', 'value'])
    .where('run_id', '=', previous.run_id)
    .where('key', 'like', `${STEP_TAG}%`)
    .execute();
  return { runId: previous.run_id, done: new Map(tags.map((t) => [t.key.slice(STEP_TAG.length), t.value])) };
}

export async function runPipeline(deps: PipelineDeps, request: PipelineRequest): Promise<PipelineResult> {
  const { config, store, tracker } = deps;
  const { region, signal, onStep } = request;
  if (request.targets.length === 0)
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, 'no targets to forecast (TARGETS)');
  for (const target of request.targets) {
    const models = modelsFor(request, target);
    if (models.length === 0)
      throw new DcgridError(ErrorCodes.CONFIG_INVALID, `no models to train for ${target}`);
    for (const model of models) getModelFactory(model); // an unknown name fails before any work
  }
  const fingerprint = pipelineFingerprint(request, config);
  const steps = pipelineSteps(request);
  const previous = request.resume ? await resumableSteps(store, fingerprint) : undefined;
  if (request.resume && previous === undefined) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `nothing to resume: no failed or interrupted pipeline run with this configuration ` +
        `(region ${region}, targets ${request.targets.join(',')}, data ${dataName(request, config)}); ` +
        'run `dcgrid pipeline` without --resume to start one',
    );
  }
  const done = previous?.done ?? new Map<string, string>();
  onStep?.({ kind: 'plan', steps, skipped: steps.filter((s) => done.has(s)) });

  return withRun(
    tracker,
    {
      experiment: experimentName(region),
      name: 'pipeline',
      tags: {
        'pipeline.fingerprint': fingerprint,
        ...(previous ? { 'pipeline.resumed_from': previous.runId } : {}),
      },
      signals: false,
    },
    async (run) => {
      await run.logParams({
        region,
        targets: request.targets.join(','),
        models: request.models.join(','),
        ...(request.targetModels
          ? {
              target_models: Object.entries(request.targetModels)
                .map(([target, models]) => `${target}:${models.join('+')}`)
                .join(','),
            }
          : {}),
        horizon: request.horizon,
        context_length: request.contextLength,
        train_hours: request.trainHours,
        validation_hours: request.validationHours,
        backtest_weeks: request.backtestWeeks,
        seed: request.seed,
        ...(request.asOf !== undefined ? { as_of: new Date(request.asOf).toISOString() } : {}),
        data: dataName(request, config),
      });
      const results: StepResult[] = [];
      for (const step of steps) {
        const summary = done.get(step);
        if (summary !== undefined) {
          await run.setTag(`${STEP_TAG}${step}`, summary);
          results.push({
            step,
            status: 'skipped',
            seconds: 0,
            summary: `done in ${previous!.runId}: ${summary}`,
          });
          continue;
        }
        signal?.throwIfAborted();
        onStep?.({ kind: 'start', step });
        const started = performance.now();
        const outcome = await runStep(deps, request, run, step);
        const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
        await run.setTag(`${STEP_TAG}${step}`, outcome);
        await run.logMetrics([{ key: `seconds/${step}`, value: seconds, step: 0, timestamp: Date.now() }]);
        results.push({ step, status: 'done', seconds, summary: outcome });
        onStep?.({ kind: 'done', step, seconds, summary: outcome });
      }
      return { runId: run.runId, resumedFrom: previous?.runId ?? null, steps: results };
    },
  );
}

/** What the pipeline reads, in words: the raw folder, downloads, the demo data or the stored features. */
export function dataName(request: Pick<PipelineRequest, 'ingest'>, config: Pick<Config, 'DCGRID_RAW_DIR'>) {
  if (request.ingest === false) return 'stored features';
  return config.DCGRID_RAW_DIR ?? (request.ingest.download ? 'download' : 'demo');
}

async function runStep(
  deps: PipelineDeps,
  request: PipelineRequest,
  run: RunHandle,
  step: string,
): Promise<string> {
  const { config, store, tracker, registry } = deps;
  const { region, signal, onStep } = request;
  const [kind, target, model] = step.split('/') as [string, string | undefined, string | undefined];
  if (kind === 'ingest') {
    const { reportId, report, plan } = await planAndRunIngest(store, config, request.ingest || {}, {
      ...(signal ? { signal } : {}),
      onStage: (stage, total) => onStep?.({ kind: 'progress', step, phase: stage, done: 0, total }),
    });
    const w = report.rowsWritten;
    return `report ${reportId} (${plan.mode}): ${w.observations} observations, ${w.features} feature rows written`;
  }
  if (kind === 'train') {
    const trainRequest: TrainRequest = {
      region,
      target: target!,
      model: model!,
      horizon: request.horizon,
      contextLength: request.contextLength,
      trainHours: request.trainHours,
      validationHours: request.validationHours,
      backtestWeeks: request.backtestWeeks,
      seed: request.seed,
      ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
      params: request.params?.[model!] ?? {},
      tags: { 'pipeline.run_id': run.runId },
      ...(signal ? { signal } : {}),
      onProgress: (phase, done, total) => onStep?.({ kind: 'progress', step, phase, done, total }),
    };
    const outcome = await trainAndRegister({ store, tracker, registry }, trainRequest);
    const brier = outcome.promotionMetrics.day_ahead_brier;
    const score =
      brier !== undefined
        ? `day-ahead Brier ${brier.toFixed(4)}, AUC ${outcome.promotionMetrics.day_ahead_auc?.toFixed(3) ?? 'n/a'}`
        : `day-ahead MASE ${outcome.promotionMetrics.day_ahead_mase?.toFixed(3) ?? 'n/a'}`;
    return `${model} v${outcome.registered.version} ${outcome.registered.alias} (${score}): ${outcome.registered.reason}`;
  }
  const issued = await issueForecast(
    { store, registry },
    {
      region,
      target: target!,
      horizon: request.horizon,
      ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
    },
  );
  const origin = new Date(issued.forecast.origin).toISOString();
  return `${issued.version.model} v${issued.version.version}: ${issued.rowsWritten} hours from ${origin}`;
}

/** `dcgrid pipeline`: ingest -> train -> backtest -> register/promote -> forecast for each target. */
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import type { PipelineEvent, PipelineRequest, PipelineResult } from '../../pipeline/pipeline.js';
import { logFile, runCommand, type CommandContext } from '../context.js';
import { openMlops } from '../mlops.js';
import { checkTarget, instantOption, integerOption, listOption, modelParamsOption } from '../options.js';
import type { ProgressTask } from '../progress.js';
import { STRESS_EVENT_COLUMN } from '../../features/stress-events.js';

export interface PipelineOptions {
  targets?: string;
  models?: string;
  resume?: boolean;
  ingest?: boolean;
  download?: boolean;
  telemetry?: string;
  trainDays?: string;
  backtestWeeks?: string;
  params?: string;
  asOf?: string;
}

/**
 * The offline demo's lighter defaults: its synthetic series need less history, fewer epochs and
 * no seed averaging to show the whole job in minutes. Each applies only where the setting or flag
 * is not given.
 */
export const DEMO_PROFILE = { trainDays: 365, tftMaxEpochs: 5, xgbSeeds: 1 } as const;

/** The ensemble's XGBoost member gets the demo's seed count too, unless its parameters say otherwise. */
function demoEnsembleParams(given: Record<string, unknown> | undefined): Record<string, unknown> {
  const members = (given?.memberParams ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return {
    ...given,
    memberParams: { ...members, xgb: { seeds: DEMO_PROFILE.xgbSeeds, ...members.xgb } },
  };
}

/** True when the pipeline will ingest the offline synthetic demo data. */
export function readsDemoData(config: Config, options: PipelineOptions): boolean {
  return options.ingest !== false && !options.download && config.DCGRID_RAW_DIR === undefined;
}

export function pipelineRequest(
  ctx: CommandContext,
  options: PipelineOptions,
): Omit<PipelineRequest, 'onStep'> {
  const { config } = ctx;
  const demo = readsDemoData(config, options);
  const targets = (listOption(options.targets) ?? config.TARGETS).map(checkTarget);
  const fast = config.PIPELINE_FAST_MODELS;
  const params = modelParamsOption(options.params) ?? {};
  const trainDays =
    integerOption(options.trainDays, '--train-days') ??
    (demo && !config.given.has('TRAIN_DAYS') ? DEMO_PROFILE.trainDays : config.TRAIN_DAYS);
  return {
    region: config.REGION,
    targets,
    models: listOption(options.models) ?? config.PIPELINE_MODELS,
    // The first target is the main one; the others get the quicker models, and the stress_event
    // labels the event classifiers.
    ...(targets.length > 1 || targets.includes(STRESS_EVENT_COLUMN)
      ? {
          targetModels: Object.fromEntries(
            targets.flatMap((target, i): Array<[string, readonly string[]]> =>
              target === STRESS_EVENT_COLUMN
                ? [[target, config.PIPELINE_EVENT_MODELS]]
                : i > 0
                  ? [[target, fast]]
                  : [],
            ),
          ),
        }
      : {}),
    horizon: config.FORECAST_HORIZON_H,
    contextLength: config.CONTEXT_LENGTH_H,
    trainHours: trainDays * 24,
    validationHours: config.VALIDATION_HOURS,
    backtestWeeks: integerOption(options.backtestWeeks, '--backtest-weeks') ?? config.BACKTEST_WEEKS,
    seed: config.SEED,
    ...(options.asOf !== undefined ? { asOf: instantOption(options.asOf, '--as-of') } : {}),
    params: demo
      ? {
          ...params,
          tft: { maxEpochs: DEMO_PROFILE.tftMaxEpochs, ...params.tft },
          xgb: { seeds: DEMO_PROFILE.xgbSeeds, ...params.xgb },
          ensemble: demoEnsembleParams(params.ensemble),
        }
      : params,
    ingest:
      options.ingest === false
        ? false
        : {
            ...(options.download ? { download: true } : {}),
            ...(options.telemetry ? { telemetryFile: options.telemetry } : {}),
          },
    resume: options.resume === true,
    signal: ctx.signal,
  };
}

/** Runs the pipeline with one progress display: the steps, and the phases of the current step. */
export async function pipelineAction(ctx: CommandContext, options: PipelineOptions): Promise<PipelineResult> {
  const request = pipelineRequest(ctx, options);
  if (readsDemoData(ctx.config, options)) {
    ctx.out.info(
      'data: SYNTHETIC DEMO DATA made by dcgrid (offline; not measurements). ' +
        `Lighter demo defaults: ${request.trainHours / 24} training days, TFT at most ` +
        `${String((request.params?.tft as { maxEpochs?: number } | undefined)?.maxEpochs)} epochs, XGBoost ` +
        `${String((request.params?.xgb as { seeds?: number } | undefined)?.seeds)} seed(s). ` +
        'Real data: --raw-dir <folder> or --download, in a fresh --home.',
    );
  }
  // Opening (or first creating) the embedded database takes seconds to a minute: progress shows it.
  const opening = ctx.progress.task('database', 1);
  const { runPipeline } = await import('../../pipeline/pipeline.js');
  const mlops = await openMlops(ctx);
  opening.done(`${mlops.store.description} ready`);
  let overall: ProgressTask | undefined;
  let completed = 0;
  let phase: { name: string; task: ProgressTask } | undefined;
  let current: ProgressTask | undefined;
  const onStep = (event: PipelineEvent) => {
    switch (event.kind) {
      case 'plan':
        completed = event.skipped.length;
        overall = ctx.progress.task('pipeline', event.steps.length, 'steps', { eta: false });
        overall.update(completed, completed ? `resuming: ${completed} steps done before` : '');
        return;
      case 'start':
        overall?.update(completed, event.step);
        current = ctx.progress.task(event.step, 1);
        return;
      case 'progress': {
        const name = `${event.step} ${event.phase}`;
        if (phase?.name !== name) {
          phase?.task.done();
          const label = `${event.step.split('/').slice(1).join(' ')} ${event.phase}`.trim();
          phase = { name, task: ctx.progress.task(label, event.total) };
        }
        phase.task.setTotal(event.total);
        phase.task.update(event.done);
        return;
      }
      case 'done':
        phase?.task.done();
        phase = undefined;
        completed += 1;
        overall?.update(completed, event.step);
        ctx.log.info({ step: event.step, seconds: event.seconds }, event.summary);
        current?.done(event.summary);
        current = undefined;
    }
  };
  const result = await runPipeline({ config: ctx.config, ...mlops }, { ...request, onStep });
  overall?.done(`run ${result.runId}`);
  return result;
}

export function printPipelineResult(
  ctx: CommandContext,
  result: PipelineResult,
  options: PipelineOptions = {},
): void {
  const { config } = ctx;
  const demo = readsDemoData(config, options);
  const targets = (listOption(options.targets) ?? config.TARGETS).map(checkTarget);
  ctx.out.result(result, () => {
    ctx.out.info(
      `\npipeline run ${result.runId}${result.resumedFrom ? ` (resumed from ${result.resumedFrom})` : ''}` +
        (demo ? ' on the SYNTHETIC DEMO DATA' : ''),
    );
    ctx.out.table(
      result.steps.map((s) => ({ step: s.step, status: s.status, seconds: s.seconds, result: s.summary })),
    );
    ctx.out.info(`\n${whereResultsAre(config)}`);
    ctx.out.info(nextSteps(config, targets, demo));
  });
}

/** Where the pipeline left its results, in words. */
export function whereResultsAre(config: Config): string {
  const database = config.embedded ? `the embedded database ${config.home}/db` : `PostgreSQL (DATABASE_URL)`;
  return [
    `results: forecasts, backtests, runs and the registry in ${database} (schema dcgrid);`,
    `  model files in ${config.artifactUri}; logs in ${logFile(config)}`,
  ].join('\n');
}

/** The commands to run next. */
export function nextSteps(config: Config, targets: readonly string[], demo: boolean): string {
  const home = config.given.has('DCGRID_HOME') ? ` --home ${config.DCGRID_HOME}` : '';
  const main = targets[0] ?? 'dc_load_mw';
  const lines = [
    'next:',
    `  npx dcgrid${home} forecast --target ${main}    # the champion's P10/P50/P90 for the next ${config.FORECAST_HORIZON_H} h (--all: every hour)`,
    `  npx dcgrid${home} models list                  # versions, newest first; champion and challengers`,
    `  npx dcgrid${home} data report                  # the ingest's quality report`,
  ];
  if (demo) {
    lines.push(
      `  rm -rf ${config.home} && bash scripts/main.sh --raw-dir ../shared/data/raw --targets demand_mw` +
        '    # the same on real data (demo and real data never share a store)',
    );
  }
  return lines.join('\n');
}

export function registerPipeline(program: Command): void {
  program
    .command('pipeline')
    .summary('ingest -> features -> train -> backtest -> register -> forecast, resumable')
    .description(
      'the whole job: ingest (raw files, downloads or the offline demo data) -> hourly features -> for each ' +
        'target in TARGETS and model in PIPELINE_MODELS: backtest, train, register (champion only if better) ' +
        '-> forecast from each champion. Tracked as one run; --resume skips what an interrupted run finished.',
    )
    .option('--targets <list>', 'comma-separated targets (TARGETS)')
    .option('--models <list>', 'comma-separated models (PIPELINE_MODELS)')
    .option('--resume', 'continue the last failed or interrupted run of the same configuration')
    .option('--no-ingest', 'use the features already stored')
    .option('--download', 'ingest fresh downloads instead of the raw folder / demo data')
    .option('--telemetry <file>', 'metered data-centre load CSV that replaces the proxy')
    .option('--train-days <n>', 'training window in days (TRAIN_DAYS)')
    .option('--backtest-weeks <n>', 'weeks of daily origins scored before registering (BACKTEST_WEEKS)')
    .option(
      '--params <json>',
      `model parameters by model, e.g. '{"tft":{"maxEpochs":5},"xgb":{"rounds":300}}'`,
    )
    .option(
      '--as-of <time>',
      'train and forecast as if the store ended at this instant (ISO date-time, UTC): hours before it only',
    )
    .action((options: PipelineOptions, command: Command) =>
      runCommand(
        command,
        async (ctx) => printPipelineResult(ctx, await pipelineAction(ctx, options), options),
        {
          rawDir: options.ingest !== false && !options.download,
        },
      ),
    );
}

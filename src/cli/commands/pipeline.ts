/** `dcgrid pipeline`: ingest -> train -> backtest -> register/promote -> forecast for each target. */
import type { Command } from 'commander';
import type { PipelineEvent, PipelineRequest, PipelineResult } from '../../pipeline/pipeline.js';
import { runCommand, type CommandContext } from '../context.js';
import { openMlops } from '../mlops.js';
import { checkTarget, instantOption, integerOption, listOption, modelParamsOption } from '../options.js';
import type { ProgressTask } from '../progress.js';

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

export function pipelineRequest(
  ctx: CommandContext,
  options: PipelineOptions,
): Omit<PipelineRequest, 'onStep'> {
  const { config } = ctx;
  return {
    region: config.REGION,
    targets: (listOption(options.targets) ?? config.TARGETS).map(checkTarget),
    models: listOption(options.models) ?? config.PIPELINE_MODELS,
    horizon: config.FORECAST_HORIZON_H,
    contextLength: config.CONTEXT_LENGTH_H,
    trainHours: (integerOption(options.trainDays, '--train-days') ?? config.TRAIN_DAYS) * 24,
    validationHours: config.VALIDATION_HOURS,
    backtestWeeks: integerOption(options.backtestWeeks, '--backtest-weeks') ?? config.BACKTEST_WEEKS,
    seed: config.SEED,
    ...(options.asOf !== undefined ? { asOf: instantOption(options.asOf, '--as-of') } : {}),
    params: modelParamsOption(options.params) ?? {},
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
  const { runPipeline } = await import('../../pipeline/pipeline.js');
  const mlops = await openMlops(ctx);
  let overall: ProgressTask | undefined;
  let completed = 0;
  let phase: { name: string; task: ProgressTask } | undefined;
  const onStep = (event: PipelineEvent) => {
    switch (event.kind) {
      case 'plan':
        completed = event.skipped.length;
        overall = ctx.progress.task('pipeline', event.steps.length, 'steps');
        overall.update(completed, completed ? `resuming: ${completed} steps done before` : '');
        return;
      case 'start':
        overall?.update(completed, event.step);
        return;
      case 'progress': {
        const name = `${event.step} ${event.phase}`;
        if (phase?.name !== name) {
          phase?.task.done();
          phase = { name, task: ctx.progress.task(event.phase, event.total) };
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
    }
  };
  const result = await runPipeline(
    { config: ctx.config, ...mlops },
    { ...pipelineRequest(ctx, options), onStep },
  );
  overall?.done(`run ${result.runId}`);
  return result;
}

export function printPipelineResult(ctx: CommandContext, result: PipelineResult): void {
  ctx.out.result(result, () => {
    ctx.out.info(
      `pipeline run ${result.runId}${result.resumedFrom ? ` (resumed from ${result.resumedFrom})` : ''}`,
    );
    ctx.out.table(
      result.steps.map((s) => ({ step: s.step, status: s.status, seconds: s.seconds, result: s.summary })),
    );
  });
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
      runCommand(command, async (ctx) => printPipelineResult(ctx, await pipelineAction(ctx, options)), {
        rawDir: options.ingest !== false && !options.download,
      }),
    );
}

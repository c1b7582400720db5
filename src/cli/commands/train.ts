/** `dcgrid train`: backtest, fit and register one model for one target (see src/pipeline/train.ts). */
import type { Command } from 'commander';
import { runCommand, type CommandContext } from '../context.js';
import { openMlops } from '../mlops.js';
import { instantOption, integerOption, modelParamsOption, targetOption } from '../options.js';
import type { ProgressTask } from '../progress.js';

interface TrainOptions {
  model: string;
  target?: string;
  trainDays?: string;
  backtestWeeks?: string;
  validationH?: string;
  seed?: string;
  params?: string;
  asOf?: string;
}

export async function trainAction(ctx: CommandContext, options: TrainOptions) {
  const { config } = ctx;
  const target = targetOption(options.target, config);
  const { trainAndRegister } = await import('../../pipeline/train.js');
  const mlops = await openMlops(ctx);
  let current: { phase: string; task: ProgressTask } | undefined;
  const outcome = await trainAndRegister(mlops, {
    region: config.REGION,
    target,
    model: options.model,
    horizon: config.FORECAST_HORIZON_H,
    contextLength: config.CONTEXT_LENGTH_H,
    trainHours: (integerOption(options.trainDays, '--train-days') ?? config.TRAIN_DAYS) * 24,
    validationHours: integerOption(options.validationH, '--validation-h') ?? config.VALIDATION_HOURS,
    backtestWeeks: integerOption(options.backtestWeeks, '--backtest-weeks') ?? config.BACKTEST_WEEKS,
    seed: integerOption(options.seed, '--seed') ?? config.SEED,
    ...(options.asOf !== undefined ? { asOf: instantOption(options.asOf, '--as-of') } : {}),
    params: modelParamsOption(options.params)?.[options.model] ?? {},
    signal: ctx.signal,
    onProgress: (phase, done, total) => {
      if (current?.phase !== phase) {
        current?.task.done();
        current = { phase, task: ctx.progress.task(phase, total, phase === 'fit' ? 'steps' : '') };
      }
      current.task.setTotal(total);
      current.task.update(done);
    },
  });
  current?.task.done();
  return outcome;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .summary('backtest, fit and register one model for one target')
    .description(
      'train one model for one target: backtest it on the last weeks (daily 00:00 UTC origins), fit it on the ' +
        'training window, store the artifact and register the version; it becomes champion only if it beats ' +
        'the current champion on PROMOTION_METRIC. The run is tracked (embedded tables, or MLflow).',
    )
    .requiredOption('--model <name>', 'snaive24, snaive168, mstl, prophet, xgb or tft')
    .option('--target <column>', 'feature to forecast (default: the first of TARGETS)')
    .option('--train-days <n>', 'training window in days (TRAIN_DAYS)')
    .option('--backtest-weeks <n>', 'weeks of daily origins scored before registering (BACKTEST_WEEKS)')
    .option('--validation-h <n>', 'hours held out for early stopping (VALIDATION_HOURS)')
    .option('--seed <n>', 'random seed (SEED)')
    .option('--params <json>', 'model parameters, e.g. \'{"xgb":{"rounds":300}}\'')
    .option(
      '--as-of <time>',
      'train as if the store ended at this instant (ISO date-time, UTC): hours before it only',
    )
    .action((options: TrainOptions, command: Command) =>
      runCommand(command, async (ctx) => {
        const outcome = await trainAction(ctx, options);
        const r = outcome.registered;
        ctx.out.result(
          {
            runId: outcome.runId,
            region: r.region,
            target: r.target,
            model: r.model,
            version: r.version,
            alias: r.alias,
            reason: r.reason,
            artifactUri: r.artifactUri,
            backtestId: outcome.backtest.backtestId,
            metrics: outcome.promotionMetrics,
            fit: { steps: outcome.fit.steps, bestStep: outcome.fit.bestStep, seconds: outcome.fit.seconds },
          },
          () => {
            ctx.out.info(`${r.model} v${r.version} for ${r.target} in ${r.region}: ${r.alias} (${r.reason})`);
            ctx.out.info(`artifact: ${r.artifactUri}`);
            ctx.out.info(`run: ${outcome.runId}; backtest: ${outcome.backtest.backtestId}`);
            ctx.out.table(
              Object.entries(outcome.promotionMetrics).map(([metric, value]) => ({ metric, value })),
            );
          },
        );
      }),
    );
}

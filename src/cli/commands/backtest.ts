/**
 * `dcgrid backtest`: rolling-origin backtest of the models on the feature store; results go to
 * dcgrid.backtests / dcgrid.backtest_metrics and are printed as a table (or JSON with --json).
 * The engine and the model catalog (TensorFlow.js among them) load only when the command runs.
 */
import type { Command } from 'commander';
import type { BacktestConfigInput } from '../../backtest/config.js';
import type { BacktestProgress, BacktestResult } from '../../backtest/engine.js';
import type { MetricValues } from '../../backtest/metrics.js';
import type { Config } from '../../config/config.js';
import { instantOption, integerOption, listOption, modelParamsOption, targetOption } from '../options.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { DEFAULT_QUANTILES } from '../../models/types.js';
import { runCommand, type CommandContext } from '../context.js';
import type { Cell, Output } from '../output.js';
import type { ProgressTask } from '../progress.js';
import { STRESS_EVENT_COLUMN } from '../../features/stress-events.js';
import { EVENT_MODEL_NAMES } from '../../models/event/names.js';

/** The command's options as commander hands them over (strings; validated here). */
export interface BacktestCliOptions {
  target?: string;
  models?: string;
  weeks?: string;
  originHour?: string;
  everyH?: string;
  from?: string;
  to?: string;
  horizon?: string;
  refitEveryH?: string;
  trainDays?: string;
  validationH?: string;
  seed?: string;
  params?: string;
  export?: string;
}

/** The backtest settings the options and the settings (REGION, TARGETS, FORECAST_HORIZON_H, ...) give. */
export function backtestSettings(
  options: BacktestCliOptions,
  config: Config,
  allModels: readonly string[],
): BacktestConfigInput {
  const target = targetOption(options.target, config);
  // By default every catalog model that fits the target: the event classifiers for stress_event
  // (a 0/1 label), the others for every other target.
  const isEvent = (model: string) => (EVENT_MODEL_NAMES as readonly string[]).includes(model);
  const models =
    listOption(options.models) ??
    allModels.filter((model) => isEvent(model) === (target === STRESS_EVENT_COLUMN));
  const everyH = integerOption(options.everyH, '--every-h') ?? 24;
  let origins: BacktestConfigInput['origins'];
  if (options.from !== undefined || options.to !== undefined) {
    if (options.from === undefined || options.to === undefined) {
      throw new DcgridError(ErrorCodes.CONFIG_INVALID, '--from and --to go together.');
    }
    if (options.weeks !== undefined) {
      throw new DcgridError(ErrorCodes.CONFIG_INVALID, '--weeks and --from/--to exclude each other.');
    }
    origins = { from: instantOption(options.from, '--from'), to: instantOption(options.to, '--to'), everyH };
  } else {
    origins = {
      weeks: integerOption(options.weeks, '--weeks') ?? 8,
      originHour: integerOption(options.originHour, '--origin-hour') ?? 0,
      everyH,
    };
  }
  const trainDays = integerOption(options.trainDays, '--train-days') ?? config.TRAIN_DAYS;
  return {
    region: config.REGION,
    target,
    models,
    horizon: integerOption(options.horizon, '--horizon') ?? config.FORECAST_HORIZON_H,
    origins,
    refitEveryH: integerOption(options.refitEveryH, '--refit-every-h'),
    trainHours: trainDays * 24,
    validationHours: integerOption(options.validationH, '--validation-h') ?? config.VALIDATION_HOURS,
    contextLength: config.CONTEXT_LENGTH_H,
    seed: integerOption(options.seed, '--seed') ?? config.SEED,
    params: modelParamsOption(options.params),
    alertProbability: config.STRESS_EVENT_ALERT_PROBABILITY,
  };
}

const METRIC_COLUMNS: Array<[keyof MetricValues, string]> = [
  ['mae', 'MAE'],
  ['rmse', 'RMSE'],
  ['mape', 'MAPE %'],
  ['smape', 'sMAPE %'],
  ['mase', 'MASE'],
  ['pinball', 'pinball'],
  ['coverage', 'P10-P90 cover'],
  ['n', 'points'],
];

/** One row per model and scope. */
export function backtestTable(result: BacktestResult): Array<Record<string, Cell>> {
  const rows: Array<Record<string, Cell>> = [];
  for (const model of result.models) {
    for (const [scope, label] of [
      ['day_ahead', 'day-ahead'],
      ['week_ahead', result.config.horizon >= 168 ? 'week-ahead' : `1-${result.config.horizon} h`],
    ] as const) {
      const values = model.scopes[scope];
      const row: Record<string, Cell> = { model: model.model, scope: label };
      for (const [metric, title] of METRIC_COLUMNS) row[title] = values[metric];
      // Event classifiers: their probability scores too (docs/BACKTESTING.md, "Event forecasts").
      const events = model.events?.[scope].metrics;
      if (events !== undefined) {
        row.Brier = events.brier;
        row.AUC = events.auc;
        row.precision = events.precision;
        row.recall = events.recall;
      }
      rows.push(row);
    }
  }
  return rows;
}

/** What --json prints: the pooled metrics per model (per-hour values are in the store). */
export function backtestSummary(result: BacktestResult, metricRows: number) {
  return {
    backtestId: result.backtestId,
    region: result.config.region,
    target: result.config.target,
    horizon: result.config.horizon,
    origins: {
      count: result.origins.length,
      first: new Date(result.origins[0]!).toISOString(),
      last: new Date(result.origins.at(-1)!).toISOString(),
    },
    refitEveryH: result.config.refitEveryH,
    trainHours: result.config.trainHours,
    seed: result.config.seed,
    metricRows,
    seconds: result.seconds,
    models: result.models.map((m) => ({
      model: m.model,
      fits: m.fits,
      fitSeconds: m.fitSeconds,
      forecastSeconds: m.forecastSeconds,
      dayAhead: m.scopes.day_ahead,
      weekAhead: m.scopes.week_ahead,
      ...(m.events ? { events: m.events } : {}),
    })),
  };
}

function printResult(out: Output, result: BacktestResult, metricRows: number): void {
  const first = new Date(result.origins[0]!).toISOString();
  const last = new Date(result.origins.at(-1)!).toISOString();
  out.info(
    `backtest ${result.backtestId}: ${result.config.target} in ${result.config.region}, ${result.origins.length} origins ` +
      `${first} .. ${last}, ${result.config.horizon} h ahead, refit every ${result.config.refitEveryH || 'never'} h`,
  );
  out.table(backtestTable(result));
  const missing = result.models.filter((m) => m.scopes.week_ahead.missing_forecast > 0);
  for (const m of missing)
    out.info(`warning: ${m.model} gave ${m.scopes.week_ahead.missing_forecast} NaN forecasts (left out)`);
  out.info(
    `stored: 1 row in dcgrid.backtests, ${metricRows} in dcgrid.backtest_metrics (${result.seconds.toFixed(1)} s)`,
  );
}

/** The command's work, given a context: run, store, print. */
export async function backtestAction(
  ctx: CommandContext,
  options: BacktestCliOptions,
): Promise<BacktestResult> {
  const [{ MODEL_NAMES }, { backtestFromStore }] = await Promise.all([
    import('../../models/catalog.js'),
    import('../../backtest/run.js'),
  ]);
  const settings = backtestSettings(options, ctx.config, MODEL_NAMES);
  const store = await ctx.store();
  const tasks = new Map<string, ProgressTask>();
  const onProgress = (p: BacktestProgress) => {
    let task = tasks.get(p.model);
    if (task === undefined) {
      task = ctx.progress.task(p.model, p.originsTotal, 'origins');
      tasks.set(p.model, task);
    }
    if (p.phase === 'fit') {
      const step = p.training ? ` ${p.training.step}/${p.training.totalSteps}` : '';
      task.update(p.originsDone, `fit ${p.fits + 1}${step}`);
    } else if (p.originsDone === p.originsTotal) {
      task.done(`${p.fits} fit${p.fits === 1 ? '' : 's'}, ${p.originsTotal} origins`);
    } else {
      task.update(p.originsDone, `${p.fits} fit${p.fits === 1 ? '' : 's'}`);
    }
  };
  const exported =
    options.export !== undefined
      ? new (await import('../../backtest/export.js')).ForecastExport(
          options.export,
          settings.quantiles ?? DEFAULT_QUANTILES,
        )
      : undefined;
  let outcome: Awaited<ReturnType<typeof backtestFromStore>>;
  try {
    outcome = await backtestFromStore(store, settings, {
      onProgress,
      signal: ctx.signal,
      ...(exported ? { onForecast: (scored) => exported.write(scored) } : {}),
    });
  } finally {
    await exported?.close();
  }
  const { result, metricRows } = outcome;
  ctx.progress.stop();
  if (exported) ctx.out.info(`exported ${exported.rows} forecast hours to ${options.export}`);
  ctx.out.result(backtestSummary(result, metricRows), () => printResult(ctx.out, result, metricRows));
  return result;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .summary('rolling-origin backtest of several models on the same origins')
    .description(
      'rolling-origin backtest of the models on the feature store: MAE, RMSE, MAPE, sMAPE, MASE, pinball loss and ' +
        'P10-P90 coverage, day-ahead and week-ahead; stored in dcgrid.backtests (see docs/BACKTESTING.md)',
    )
    .option('--target <column>', 'column to forecast (default: the first of TARGETS)')
    .option('--models <list>', 'comma-separated models (default: every model in the catalog)')
    .option('--weeks <n>', 'origins over the last n weeks with a horizon of actuals after them (default 8)')
    .option('--origin-hour <h>', 'UTC hour of day of the origins (default 0)')
    .option('--every-h <n>', 'hours between origins (default 24)')
    .option('--from <time>', 'first origin (ISO date-time, UTC); with --to instead of --weeks')
    .option('--to <time>', 'last origin (ISO date-time, UTC)')
    .option('--horizon <h>', 'hours ahead (default FORECAST_HORIZON_H)')
    .option('--refit-every-h <n>', 'refit the models every n hours of origins; 0 fits once (default 168)')
    .option('--train-days <n>', 'training window before each refit, in days (TRAIN_DAYS)')
    .option(
      '--validation-h <n>',
      'hours at the end of the training window for early stopping (VALIDATION_HOURS)',
    )
    .option('--seed <n>', 'random seed of every fit (SEED)')
    .option('--params <json>', `model parameters by model, e.g. '{"xgb":{"rounds":300}}'`)
    .option(
      '--export <file.csv>',
      'write every scored forecast (origin, horizon, ts, P10/P50/P90, actual) as CSV',
    )
    .action(async (options: BacktestCliOptions, command: Command) =>
      runCommand(command, async (ctx) => {
        await backtestAction(ctx, options);
      }),
    );
}

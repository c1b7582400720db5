/** `dcgrid forecast`: issue a forecast from the champion (or a named version) into dcgrid.forecasts. */
import type { Command } from 'commander';
import { runCommand } from '../context.js';
import { openMlops } from '../mlops.js';
import { instantOption, integerOption, targetOption } from '../options.js';

interface ForecastOptions {
  target?: string;
  model?: string;
  version?: string;
  origin?: string;
  asOf?: string;
}

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .summary('issue a P10/P50/P90 forecast from the champion into dcgrid.forecasts')
    .description(
      'forecast FORECAST_HORIZON_H hours after the last observed hour with the champion of a target ' +
        '(or --model/--version), with P10/P50/P90, and store it in dcgrid.forecasts',
    )
    .option('--target <column>', 'feature to forecast (default: the first of TARGETS)')
    .option('--model <name>', 'use this model instead of the champion (with --version)')
    .option('--version <n>', 'the version of --model')
    .option(
      '--origin <time>',
      'issue as of this hour (backfill) instead of the hour after the last observation',
    )
    .option(
      '--as-of <time>',
      'forecast as if the store ended at this instant (ISO date-time, UTC): from the hour after the last observation before it',
    )
    .action((options: ForecastOptions, command: Command) =>
      runCommand(command, async (ctx) => {
        const { config } = ctx;
        const target = targetOption(options.target, config);
        const { issueForecast } = await import('../../pipeline/forecast.js');
        const { store, registry } = await openMlops(ctx);
        const version =
          options.model !== undefined
            ? { model: options.model, version: integerOption(options.version, '--version') ?? 1 }
            : undefined;
        const task = ctx.progress.task('forecast', 1);
        const issued = await issueForecast(
          { store, registry },
          {
            region: config.REGION,
            target,
            horizon: config.FORECAST_HORIZON_H,
            ...(version ? { version } : {}),
            ...(options.origin ? { origin: instantOption(options.origin, '--origin') } : {}),
            ...(options.asOf ? { asOf: instantOption(options.asOf, '--as-of') } : {}),
          },
        );
        task.done(`${issued.rowsWritten} hours`);
        const { forecast } = issued;
        const rows = Array.from(forecast.ts, (ts, h) => ({
          ts: new Date(ts).toISOString(),
          p10: forecast.values[forecast.quantiles.indexOf(0.1)]![h]!,
          p50: forecast.values[forecast.quantiles.indexOf(0.5)]![h]!,
          p90: forecast.values[forecast.quantiles.indexOf(0.9)]![h]!,
        }));
        ctx.out.result(
          {
            region: config.REGION,
            target,
            model: issued.version.model,
            version: issued.version.version,
            runId: issued.version.runId,
            origin: new Date(forecast.origin).toISOString(),
            hours: rows,
          },
          () => {
            ctx.out.info(
              `${target} in ${config.REGION} from ${issued.version.model} v${issued.version.version} (${issued.version.alias}), ` +
                `origin ${new Date(forecast.origin).toISOString()}: ${issued.rowsWritten} hours stored`,
            );
            ctx.out.table(rows.filter((_, h) => h < 24 || h % 24 === 23));
          },
        );
      }),
    );
}

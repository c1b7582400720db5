/** `dcgrid forecast`: issue a forecast from the champion (or a named version) into dcgrid.forecasts. */
import type { Command } from 'commander';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { runCommand } from '../context.js';
import { openMlops } from '../mlops.js';
import { instantOption, integerOption, targetOption } from '../options.js';

interface ForecastOptions {
  target?: string;
  model?: string;
  modelVersion?: string;
  origin?: string;
  all?: boolean;
  asOf?: string;
}

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .summary('issue a P10/P50/P90 forecast from the champion into dcgrid.forecasts')
    .description(
      'forecast FORECAST_HORIZON_H hours after the last observed hour with the champion of a target ' +
        '(or --model / --model-version), with P10/P50/P90, and store it in dcgrid.forecasts',
    )
    .option('--target <column>', 'feature to forecast (default: the first of TARGETS)')
    .option('--model <name>', "use this model's newest version (or --model-version) instead of the champion")
    .option('--model-version <n>', 'the version of --model (default: its newest)')
    .option('--all', 'print every forecast hour (default: the first 24, then one per day)')
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
        const modelVersion = integerOption(options.modelVersion, '--model-version');
        if (modelVersion !== undefined && options.model === undefined)
          throw new DcgridError(ErrorCodes.CONFIG_INVALID, '--model-version needs --model');
        const version =
          options.model !== undefined
            ? { model: options.model, ...(modelVersion !== undefined ? { version: modelVersion } : {}) }
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
            const shown = options.all ? rows : rows.filter((_, h) => h < 24 || h % 24 === 23);
            ctx.out.table(shown);
            if (shown.length < rows.length)
              ctx.out.info(
                `showing ${shown.length} of ${rows.length} hours (the first 24, then the last hour of each day); ` +
                  '--all prints every hour, --json gives them to scripts',
              );
          },
        );
      }),
    );
}

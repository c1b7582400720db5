/** `dcgrid schedule`: the pipeline on a cron expression, as a long-running service with pino logs. */
import type { Command } from 'commander';
import { runCommand } from '../context.js';
import { openMlops } from '../mlops.js';
import { pipelineRequest, type PipelineOptions } from './pipeline.js';

interface ScheduleCliOptions extends PipelineOptions {
  cron?: string;
  runNow?: boolean;
}

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .summary('run the pipeline on a cron expression, as a service')
    .description(
      'run the pipeline on a cron expression in Irish local time (SCHEDULE_CRON, default daily 06:15) until ' +
        'stopped; never two runs at once, and a failed run does not stop the schedule. Logs are JSON lines ' +
        '(pino) on stderr. In embedded mode this process owns the database.',
    )
    .option('--cron <expr>', 'cron expression, e.g. "15 6 * * *" (SCHEDULE_CRON)')
    .option('--run-now', 'also run once at start')
    .option('--targets <list>', 'comma-separated targets (TARGETS)')
    .option('--models <list>', 'comma-separated models (PIPELINE_MODELS)')
    .option('--no-ingest', 'use the features already stored')
    .option('--download', 'ingest fresh downloads each run')
    .option('--telemetry <file>', 'metered data-centre load CSV that replaces the proxy')
    .action((options: ScheduleCliOptions, command: Command) =>
      runCommand(
        command,
        async (ctx) => {
          const { startSchedule } = await import('../../pipeline/schedule.js');
          const mlops = await openMlops(ctx);
          const schedule = startSchedule(
            { config: ctx.config, ...mlops },
            {
              cron: options.cron ?? ctx.config.SCHEDULE_CRON,
              timezone: 'Europe/Dublin',
              request: () => {
                const { signal: _signal, ...request } = pipelineRequest(ctx, options);
                return request;
              },
              log: ctx.log,
            },
          );
          ctx.out.info(
            `schedule "${options.cron ?? ctx.config.SCHEDULE_CRON}": next run ${schedule.nextRun()?.toISOString() ?? 'never'}`,
          );
          if (options.runNow) void schedule.trigger();
          await new Promise<void>((resolve) =>
            ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
          );
          await schedule.stop();
        },
        { service: true, rawDir: options.ingest !== false && !options.download },
      ),
    );
}

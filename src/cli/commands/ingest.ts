import type { Command } from 'commander';
import { printIngestReport } from '../../ingest/print-report.js';
import type { IngestStage } from '../../ingest/ingest.js';
import type { ProgressTask } from '../progress.js';
import { runCommand, type CommandContext } from '../context.js';

interface IngestOptions {
  download?: boolean;
  from?: string;
  to?: string;
  refresh?: boolean;
  telemetry?: string;
}

/** Parses, merges and stores everything, with progress bars; returns the report id. */
export async function ingestWithProgress(ctx: CommandContext, options: IngestOptions = {}) {
  const { planAndRunIngest } = await import('../../ingest/ingest.js');
  const store = await ctx.store();
  const downloads = ctx.progress.task('download', 1, 'files');
  const tasks = new Map<IngestStage, ProgressTask>();
  const result = await planAndRunIngest(
    store,
    ctx.config,
    {
      ...(options.download ? { download: true } : {}),
      ...(options.from ? { from: Date.parse(options.from) } : {}),
      ...(options.to ? { to: Date.parse(options.to) } : {}),
      ...(options.refresh ? { refresh: true } : {}),
      ...(options.telemetry ? { telemetryFile: options.telemetry } : {}),
      onDownload: (done, total, label) => {
        downloads.setTotal(total);
        downloads.update(done, label);
      },
    },
    {
      signal: ctx.signal,
      onStage: (stage, total) => {
        for (const task of tasks.values()) task.done();
        tasks.clear();
        tasks.set(stage, ctx.progress.task(stage, total, stage === 'parse' ? 'files' : 'steps'));
      },
      onStep: (stage, label) => tasks.get(stage)?.increment(1, label.split('/').pop()),
    },
    (plan) => {
      downloads.done(options.download ? 'downloaded' : 'nothing to download');
      ctx.out.info(`data: ${plan.dataNote}`);
    },
  );
  for (const task of tasks.values()) task.done();
  return result;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .summary(
      'read raw data (files, downloads or offline demo data) into observations, features and a quality report',
    )
    .description(
      'read raw grid and market data (--raw-dir for real files, --download from the publishers, or the offline ' +
        'synthetic demo data when neither is given), then write observations, hourly features, CSO figures ' +
        'and a quality report in one transaction. Re-running changes nothing; an interrupted run leaves the ' +
        'previous state intact.',
    )
    .option(
      '--download',
      'download from EirGrid, Ember, SEMOpx and the CSO into DCGRID_HOME/cache ' +
        '(or from mirrors: DASHBOARD_BASE_URL, EIRGRID_WORKBOOK_URL, EMBER_URL, SEMOPX_BASE_URL, CSO_BASE_URL)',
    )
    .option('--from <date>', 'download start (ISO date; default 14 days ago)')
    .option('--to <date>', 'download end (ISO date; default now)')
    .option('--refresh', 'download again even when a cached file exists')
    .option(
      '--telemetry <file>',
      'CSV of metered data-centre load (timestamp, mw[, site]) that replaces the proxy',
    )
    .action(async (options: IngestOptions, command: Command) =>
      runCommand(
        command,
        async (ctx) => {
          const { reportId, report } = await ingestWithProgress(ctx, options);
          ctx.out.result({ reportId, report }, () => {
            ctx.out.info(`\ningest report ${reportId}`);
            printIngestReport(ctx.out, report);
          });
        },
        { rawDir: !options.download },
      ),
    );
}

import type { Command } from 'commander';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { printIngestReport } from '../../ingest/print-report.js';
import type { IngestReport } from '../../ingest/report.js';
import { runCommand } from '../context.js';

export function registerDataReport(program: Command): void {
  const data = program.command('data').description('inspect ingested data');
  data
    .command('report')
    .description(
      'print an ingest quality report: coverage, gaps, duplicates, DST days, flat fills, outliers, source disagreements, rows written',
    )
    .option('--id <n>', 'report id (default: the latest)', (v) => Number.parseInt(v, 10))
    .option('--list', 'list recent ingests instead')
    .action(async (options: { id?: number; list?: boolean }, command: Command) =>
      runCommand(command, async (ctx) => {
        const store = await ctx.store();
        if (options.list) {
          const rows = await store.db
            .selectFrom('dcgrid.ingest_reports')
            .select(['id', 'started_at', 'finished_at', 'status', 'mode', 'raw_dir', 'rows_written', 'error'])
            .orderBy('id', 'desc')
            .limit(20)
            .execute();
          ctx.out.result(rows, (r) => ctx.out.table(r));
          return;
        }
        let query = store.db.selectFrom('dcgrid.ingest_reports').selectAll();
        query =
          options.id !== undefined
            ? query.where('id', '=', options.id)
            : query.orderBy('id', 'desc').limit(1);
        const row = await query.executeTakeFirst();
        if (row === undefined) {
          throw new DcgridError(
            ErrorCodes.NOT_FOUND,
            options.id !== undefined
              ? `no ingest report ${options.id}`
              : 'no ingest yet: run `dcgrid ingest` first',
          );
        }
        const report = (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as IngestReport;
        ctx.out.result(
          { id: row.id, status: row.status, startedAt: row.started_at, error: row.error, report },
          () => {
            ctx.out.info(
              `ingest ${row.id} (${row.status}) started ${row.started_at.toISOString()}${row.error ? `: ${row.error}` : ''}`,
            );
            if (row.status === 'succeeded') printIngestReport(ctx.out, report);
          },
        );
      }),
    );
}

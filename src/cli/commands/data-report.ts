import type { Command } from 'commander';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { printIngestReport } from '../../ingest/print-report.js';
import type { IngestReport } from '../../ingest/report.js';
import { runCommand } from '../context.js';
import { fromStoreOrApi, getFromApi } from '../via-api.js';

interface ReportAnswer {
  id: number;
  status: string;
  startedAt: string;
  error: string | null;
  report: IngestReport;
}

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
        if (options.list) {
          const rows = await (
            await ctx.store()
          ).db
            .selectFrom('dcgrid.ingest_reports')
            .select(['id', 'started_at', 'finished_at', 'status', 'mode', 'raw_dir', 'rows_written', 'error'])
            .orderBy('id', 'desc')
            .limit(20)
            .execute();
          ctx.out.result(rows, (r) => ctx.out.table(r));
          return;
        }
        const found = await fromStoreOrApi(
          ctx,
          async (store): Promise<ReportAnswer> => {
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
            return {
              id: row.id,
              status: row.status,
              startedAt: row.started_at.toISOString(),
              error: row.error,
              report: (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as IngestReport,
            };
          },
          async (serverUrl) =>
            (await getFromApi(
              serverUrl,
              `/api/data/report${options.id !== undefined ? `?id=${options.id}` : ''}`,
            )) as ReportAnswer,
        );
        ctx.out.result(found, () => {
          ctx.out.info(
            `ingest ${found.id} (${found.status}) started ${found.startedAt}${found.error ? `: ${found.error}` : ''}`,
          );
          if (found.status === 'succeeded') printIngestReport(ctx.out, found.report);
        });
      }),
    );
}

/** GET /api/data/report: an ingest's quality report (the latest, or by id). */
import { z } from 'zod';
import type { ApiApp, RouteContext } from '../context.js';
import { notFound } from '../errors.js';
import { errorResponses } from '../schemas/common.js';

export function registerDataReportRoutes(app: ApiApp, { deps }: RouteContext): void {
  app.get(
    '/api/data/report',
    {
      schema: {
        tags: ['data'],
        summary:
          "the latest ingest's quality report (or `id`): coverage, gaps, DST days, disagreements, rows written",
        querystring: z.object({
          id: z.coerce.number().int().positive().optional().describe('ingest report id'),
        }),
        response: {
          200: z.object({
            id: z.number().int(),
            status: z.string(),
            mode: z.string(),
            startedAt: z.string(),
            finishedAt: z.string().nullable(),
            rowsWritten: z.number(),
            error: z.string().nullable(),
            report: z.unknown().describe('the quality report (docs/DATA.md)'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.query;
      const row = await deps.store.db
        .selectFrom('dcgrid.ingest_reports')
        .selectAll()
        .$if(id !== undefined, (qb) => qb.where('id', '=', id!))
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row === undefined)
        throw notFound(id !== undefined ? `no ingest report ${id}` : 'no ingest yet: run dcgrid ingest');
      return {
        id: row.id,
        status: row.status,
        mode: row.mode,
        startedAt: new Date(row.started_at).toISOString(),
        finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
        rowsWritten: Number(row.rows_written),
        error: row.error,
        report: typeof row.report === 'string' ? (JSON.parse(row.report) as unknown) : row.report,
      };
    },
  );
}

/** GET /api/features: the hourly feature table, paged, as JSON or CSV (Accept: text/csv). */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { FEATURE_COLUMNS } from '../../features/columns.js';
import type { ApiApp, RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { checkRange, errorResponses, rangeParams, regionParam, resolveRegion } from '../schemas/common.js';

const HOUR = 3_600_000;
const SELECTABLE = FEATURE_COLUMNS.filter((c) => c !== 'region' && c !== 'ts_utc');
type Selectable = (typeof SELECTABLE)[number];

const query = z.object({
  region: regionParam,
  ...rangeParams,
  columns: z
    .string()
    .optional()
    .describe(`comma-separated columns (default: all): ${SELECTABLE.join(', ')}`),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('rows per page (max 10000)'),
  format: z.enum(['json', 'csv']).optional().describe('instead of the Accept header'),
});

const answer = z.object({
  region: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
  next: z.string().nullable().describe('URL of the next page, null on the last'),
});

function parseColumns(text: string | undefined): Selectable[] {
  if (text === undefined || text.trim() === '') return [...SELECTABLE];
  const names = text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  const unknown = names.filter((c) => !(SELECTABLE as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw badRequest('columns', `unknown column(s) ${unknown.join(', ')}; known: ${SELECTABLE.join(', ')}`);
  return [...new Set(names)] as Selectable[];
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return csvCell(value.join(';'));
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function registerFeatureRoutes(app: ApiApp, { deps }: RouteContext): void {
  app.get(
    '/api/features',
    {
      schema: {
        tags: ['data'],
        summary: 'hourly features, paged (JSON, or CSV with Accept: text/csv)',
        description:
          'Rows of dcgrid.features_hourly in time order, `limit` per page; follow `next` (JSON) or the Link header (CSV). ' +
          'Column meanings: docs/FEATURES.md.',
        querystring: query,
        response: { 200: answer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      checkRange(q.from, q.to);
      const region = resolveRegion(q.region, deps.config);
      const columns = parseColumns(q.columns);
      const wantsCsv =
        q.format === 'csv' || (q.format === undefined && (request.headers.accept ?? '').includes('text/csv'));
      const rows = await deps.store.db
        .selectFrom('dcgrid.features_hourly')
        .select(['ts_utc', ...columns])
        .where('region', '=', region)
        .$if(q.from !== undefined, (qb) => qb.where('ts_utc', '>=', q.from!))
        .$if(q.to !== undefined, (qb) => qb.where('ts_utc', '<', q.to!))
        .orderBy('ts_utc')
        .limit(q.limit + 1)
        .execute();
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      let next: string | null = null;
      if (more) {
        const params = new URLSearchParams(request.url.split('?')[1] ?? '');
        params.set('from', new Date(new Date(page.at(-1)!.ts_utc).getTime() + HOUR).toISOString());
        next = `${request.url.split('?')[0]}?${params.toString()}`;
      }
      if (wantsCsv) {
        if (next !== null) reply.header('link', `<${next}>; rel="next"`);
        const header = ['ts_utc', ...columns].join(',');
        const lines = page.map((r) =>
          ['ts_utc', ...columns].map((c) => csvCell((r as Record<string, unknown>)[c])).join(','),
        );
        // The CSV body is text, outside the JSON response schema.
        return (reply as FastifyReply)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `inline; filename="features-${region}.csv"`)
          .send(`${header}\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`);
      }
      return {
        region,
        columns: ['ts_utc', ...columns],
        rows: page.map((r) => ({ ...r, ts_utc: new Date(r.ts_utc).toISOString() })),
        next,
      };
    },
  );
}

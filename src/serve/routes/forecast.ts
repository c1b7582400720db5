/** GET /api/forecast (and the seed's /forecast): the latest issued forecast, never a new one. */
import { z } from 'zod';
import { FORECAST_TARGETS } from '../../config/config.js';
import type { ApiApp, RouteContext } from '../context.js';
import { cacheKey, cachedBody, sendCached } from '../plugins/cache.js';
import {
  clipPoints,
  requireLatestForecast,
  TARGET_UNITS,
  type StoredForecast,
} from '../queries/forecasts.js';
import {
  checkRange,
  errorResponses,
  isoString,
  rangeParams,
  regionParam,
  resolveRegion,
  resolveTarget,
  targetParam,
} from '../schemas/common.js';

export const forecastQuery = z.object({
  region: regionParam,
  target: targetParam,
  model: z
    .string()
    .regex(/^[a-z0-9]+$/, 'model names are lower-case letters and digits')
    .optional()
    .describe('a registered model (default: the champion)'),
  version: z.coerce.number().int().positive().optional().describe('version of `model` (default: its latest)'),
  ...rangeParams,
});

export const forecastAnswer = z.object({
  region: z.string(),
  target: z.enum(FORECAST_TARGETS),
  unit: z.string(),
  model: z.string(),
  version: z.number().int(),
  alias: z.string().describe('champion, challenger or retired'),
  runId: z.string().nullable().describe('the tracked run that trained the version'),
  origin: z.string().describe('first forecast hour (UTC)'),
  issuedAt: z.string(),
  lastObserved: z.string().nullable().describe('last hour with an observed value: the data freshness'),
  quantiles: z.array(z.number()),
  points: z.array(
    z.object({
      ts: z.string(),
      p10: z.number().nullable(),
      p50: z.number().nullable(),
      p90: z.number().nullable(),
      probability: z
        .number()
        .optional()
        .describe('event classifiers (target stress_event): P(event) in the hour'),
    }),
  ),
});

export function forecastJson(
  forecast: StoredForecast,
  from?: Date,
  to?: Date,
): z.infer<typeof forecastAnswer> {
  return {
    region: forecast.region,
    target: forecast.target,
    unit: TARGET_UNITS[forecast.target],
    model: forecast.version.model,
    version: forecast.version.version,
    alias: forecast.version.alias,
    runId: forecast.version.runId,
    origin: forecast.origin.toISOString(),
    issuedAt: forecast.issuedAt.toISOString(),
    lastObserved: isoString(forecast.lastObserved),
    quantiles: [0.1, 0.5, 0.9],
    points: clipPoints(forecast.points, from, to).map((p) => ({
      ts: p.ts.toISOString(),
      p10: p.p10,
      p50: p.p50,
      p90: p.p90,
      ...(p.probability !== null ? { probability: p.probability } : {}),
    })),
  };
}

export function registerForecastRoutes(app: ApiApp, { deps, cache }: RouteContext): void {
  for (const url of ['/api/forecast', '/forecast']) {
    app.get(
      url,
      {
        schema: {
          tags: ['forecasts'],
          summary: url === '/forecast' ? 'alias of /api/forecast (the seed API)' : 'latest issued forecast',
          description:
            'The latest forecast issued by the champion of (region, target), or by `model`/`version`: ' +
            'P10/P50/P90 per hour. Reads stored forecasts; it never trains or issues. ETag / If-None-Match.',
          querystring: forecastQuery,
          response: { 200: forecastAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const q = request.query;
        checkRange(q.from, q.to);
        const region = resolveRegion(q.region, deps.config);
        const target = resolveTarget(q.target, deps.config);
        const entry = await cache.get(cacheKey(request), async () => {
          const forecast = await requireLatestForecast(deps, {
            region,
            target,
            model: q.model,
            version: q.version,
          });
          return cachedBody(forecastJson(forecast, q.from, q.to));
        });
        return sendCached(request, reply, entry);
      },
    );
  }
}

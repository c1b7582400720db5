/** GET /api/stress/alerts (and the seed's /stress/alerts): hours at or above the stress threshold. */
import { z } from 'zod';
import { STRESS_COMPONENTS } from '../../features/stress.js';
import type { ApiApp, RouteContext } from '../context.js';
import { cacheKey, cachedBody, sendCached } from '../plugins/cache.js';
import { bandFloors, readStressAlerts, type StressAlerts } from '../queries/stress.js';
import {
  checkRange,
  errorResponses,
  isoString,
  rangeParams,
  regionParam,
  resolveRegion,
} from '../schemas/common.js';

const band = z.enum(['normal', 'elevated', 'high', 'critical']);
const part = z.object({ value: z.number().nullable(), contribution: z.number().nullable() });

export const stressAnswer = z.object({
  region: z.string(),
  threshold: z.number(),
  bands: z
    .object({ elevated: z.number(), high: z.number(), critical: z.number() })
    .describe('lower bound of each band'),
  from: z.string(),
  to: z.string(),
  lastObserved: z.string().nullable(),
  observed: z.array(
    z.object({
      ts: z.string(),
      score: z.number(),
      band,
      partial: z.boolean().describe('the score used only some of its components'),
      components: z.object(
        Object.fromEntries(STRESS_COMPONENTS.map((c) => [c, part])) as Record<
          (typeof STRESS_COMPONENTS)[number],
          typeof part
        >,
      ),
      drivers: z
        .array(z.enum(STRESS_COMPONENTS))
        .describe('components that pushed the score up, largest first'),
    }),
  ),
  forecast: z.union([
    z.object({
      model: z.string(),
      version: z.number(),
      origin: z.string(),
      issuedAt: z.string(),
      hours: z.array(
        z.object({
          ts: z.string(),
          p10: z.number().nullable(),
          p50: z.number().nullable(),
          p90: z.number().nullable(),
          band: band.nullable(),
          level: z.enum(['expected', 'possible']),
          eventProbability: z
            .number()
            .nullable()
            .describe('P(stress_event) in the hour from the event classifier; null where it has no forecast'),
        }),
      ),
    }),
    z.object({ missing: z.string() }),
  ]),
  events: z
    .union([
      z.object({
        model: z.string(),
        version: z.number(),
        origin: z.string(),
        issuedAt: z.string(),
        alertProbability: z.number().describe('STRESS_EVENT_ALERT_PROBABILITY: alert at or above it'),
      }),
      z.object({ missing: z.string() }),
    ])
    .describe('the stress_event champion whose probabilities the forecast hours carry'),
});

function stressJson(alerts: StressAlerts): z.infer<typeof stressAnswer> {
  const f = alerts.forecast;
  return {
    region: alerts.region,
    threshold: alerts.threshold,
    bands: bandFloors(alerts.threshold),
    from: alerts.from.toISOString(),
    to: alerts.to.toISOString(),
    lastObserved: isoString(alerts.lastObserved),
    observed: alerts.observed.map((a) => ({ ...a, ts: a.ts.toISOString() })),
    forecast:
      'missing' in f
        ? f
        : {
            ...f,
            origin: f.origin.toISOString(),
            issuedAt: f.issuedAt.toISOString(),
            hours: f.hours.map((h) => ({ ...h, ts: h.ts.toISOString() })),
          },
    events:
      'missing' in alerts.events
        ? alerts.events
        : {
            ...alerts.events,
            origin: alerts.events.origin.toISOString(),
            issuedAt: alerts.events.issuedAt.toISOString(),
          },
  };
}

export function registerStressRoutes(app: ApiApp, { deps, cache }: RouteContext): void {
  for (const url of ['/api/stress/alerts', '/stress/alerts']) {
    app.get(
      url,
      {
        schema: {
          tags: ['stress'],
          summary:
            url === '/stress/alerts' ? 'alias of /api/stress/alerts (the seed API)' : 'grid-stress alerts',
          description:
            'Observed hours with stress_score at or above `threshold` (z units; default STRESS_ALERT_THRESHOLD), ' +
            "with each component's part of the score, and the hours the stress_score champion forecasts at or above it " +
            "(expected: P50 over; possible: only P90), each with the stress_event champion's event probability (null without one). Default range: the last 7 days of observations to the end of the forecast.",
          querystring: z.object({
            region: regionParam,
            threshold: z.coerce.number().min(-10).max(20).optional().describe('alert level in z units'),
            ...rangeParams,
          }),
          response: { 200: stressAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const q = request.query;
        checkRange(q.from, q.to);
        const region = resolveRegion(q.region, deps.config);
        const threshold = q.threshold ?? deps.config.STRESS_ALERT_THRESHOLD;
        const entry = await cache.get(cacheKey(request), async () =>
          cachedBody(stressJson(await readStressAlerts(deps, { region, threshold, from: q.from, to: q.to }))),
        );
        return sendCached(request, reply, entry);
      },
    );
  }
}

/**
 * Carbon Aware SDK WebAPI compatibility (Green Software Foundation): the routes, parameters and
 * answer shapes that its client libraries and carbon-aware schedulers call, for locations IE, NI
 * and ALL, in gCO2/kWh. Observations come from co2_intensity in the feature table; forecasts from
 * the co2_intensity champion's latest issued forecast. Shapes: docs/API.md.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { REGIONS, type Region } from '../../config/config.js';
import type { Store } from '../../store/store.js';
import { forecastWindows, type HourlyValue } from '../carbon-aware/windows.js';
import type { ApiApp, RouteContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { cacheKey, cachedBody, sendCached } from '../plugins/cache.js';
import { requireLatestForecast } from '../queries/forecasts.js';
import { errorResponses, instant } from '../schemas/common.js';

const HOUR = 3_600_000;
const MAX_SPAN = 366 * 24 * HOUR;
const TAG = ['carbon-aware'];

/** Approximate centres of each area, for clients that place locations on a map. */
const LOCATIONS: Record<Region, { Latitude: number; Longitude: number; Name: string }> = {
  IE: { Latitude: 53.41, Longitude: -8.24, Name: 'IE' },
  NI: { Latitude: 54.61, Longitude: -6.63, Name: 'NI' },
  ALL: { Latitude: 53.5, Longitude: -7.69, Name: 'ALL' },
};

function location(value: string, parameter: string): Region {
  const upper = value.trim().toUpperCase();
  if (!(REGIONS as readonly string[]).includes(upper))
    throw notFound(`${parameter}: unknown location "${value}": one of ${REGIONS.join(', ')}`);
  return upper as Region;
}

const locationList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .optional();

const emissionsData = z.object({
  location: z.string(),
  time: z.string(),
  rating: z.number().describe('gCO2/kWh'),
  duration: z.string().describe('length of the reading as a .NET TimeSpan, 01:00:00'),
});
const emissionsPoint = z.object({
  location: z.string(),
  timestamp: z.string(),
  duration: z.number(),
  value: z.number(),
});
const emissionsForecast = z.object({
  requestedAt: z.string(),
  generatedAt: z.string(),
  location: z.string(),
  dataStartAt: z.string(),
  dataEndAt: z.string(),
  windowSize: z.number().int(),
  optimalDataPoints: z.array(emissionsPoint),
  forecastData: z.array(emissionsPoint),
});

async function observed(store: Store, region: Region, from: number, to: number) {
  const { rows } = await sql<{ ts_utc: Date; co2_intensity: number }>`
    SELECT ts_utc, co2_intensity FROM dcgrid.features_hourly
    WHERE region = ${region} AND co2_intensity IS NOT NULL AND ts_utc >= ${new Date(from)} AND ts_utc < ${new Date(to)}
    ORDER BY ts_utc`.execute(store.db);
  return rows.map((r) => ({ ts: new Date(r.ts_utc).getTime(), value: r.co2_intensity }));
}

async function latestObservedHour(store: Store, region: Region): Promise<number | undefined> {
  const { rows } = await sql<{ last: Date | null }>`
    SELECT max(ts_utc) AS last FROM dcgrid.features_hourly WHERE region = ${region} AND co2_intensity IS NOT NULL`.execute(
    store.db,
  );
  return rows[0]?.last == null ? undefined : new Date(rows[0].last).getTime();
}

/** The SDK's time rules: neither bound -> the latest observed hour; `time` alone -> the hour holding it. */
async function observedSpan(
  store: Store,
  region: Region,
  time?: Date,
  toTime?: Date,
): Promise<[number, number]> {
  if (time === undefined && toTime !== undefined) throw badRequest('time', 'is required with toTime');
  if (time === undefined) {
    const last = await latestObservedHour(store, region);
    if (last === undefined) throw notFound(`no observed carbon intensity for ${region}`);
    return [last, last + HOUR];
  }
  const from = Math.floor(time.getTime() / HOUR) * HOUR;
  const to = toTime === undefined ? from + HOUR : toTime.getTime();
  if (to <= time.getTime()) throw badRequest('toTime', 'must be after time');
  if (to - from > MAX_SPAN) throw badRequest('toTime', 'at most 366 days after time');
  return [from, to];
}

const ratings = (region: Region, values: HourlyValue[]) =>
  values.map((v) => ({
    location: region,
    time: new Date(v.ts).toISOString(),
    rating: v.value,
    duration: '01:00:00',
  }));

export function registerCarbonAwareRoutes(app: ApiApp, { deps, cache }: RouteContext): void {
  const { store } = deps;

  app.get(
    '/locations',
    {
      schema: {
        tags: TAG,
        summary: 'supported locations (Carbon Aware SDK GET /locations)',
        response: {
          200: z.record(
            z.string(),
            z.object({ Latitude: z.number(), Longitude: z.number(), Name: z.string() }),
          ),
        },
      },
    },
    async () => LOCATIONS,
  );

  const byLocationQuery = {
    time: instant.optional().describe('start of the period (default: the latest observed hour)'),
    toTime: instant.optional().describe('end of the period, excluded'),
    durationMinutes: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .describe('accepted for compatibility; readings are hourly'),
  };

  app.get(
    '/emissions/bylocation',
    {
      schema: {
        tags: TAG,
        summary: 'observed carbon intensity of one location (Carbon Aware SDK)',
        querystring: z.object({ location: z.string().min(1).describe('IE, NI or ALL'), ...byLocationQuery }),
        response: { 200: z.array(emissionsData), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const region = location(q.location, 'location');
      const [from, to] = await observedSpan(store, region, q.time, q.toTime);
      return ratings(region, await observed(store, region, from, to));
    },
  );

  const manyQuery = z.object({
    location: locationList.describe('repeat for several: location=IE&location=NI'),
    locations: locationList.describe('the older spelling of location'),
    ...byLocationQuery,
  });
  const locationsOf = (q: z.infer<typeof manyQuery>): Region[] => {
    const names = [...(q.location ?? []), ...(q.locations ?? [])];
    if (names.length === 0) throw badRequest('location', 'at least one location is required');
    return [...new Set(names.map((n) => location(n, 'location')))];
  };

  app.get(
    '/emissions/bylocations',
    {
      schema: {
        tags: TAG,
        summary: 'observed carbon intensity of several locations (Carbon Aware SDK)',
        querystring: manyQuery,
        response: { 200: z.array(emissionsData), ...errorResponses },
      },
    },
    async (request) => {
      const out = [];
      for (const region of locationsOf(request.query)) {
        const [from, to] = await observedSpan(store, region, request.query.time, request.query.toTime);
        out.push(...ratings(region, await observed(store, region, from, to)));
      }
      return out;
    },
  );

  app.get(
    '/emissions/bylocations/best',
    {
      schema: {
        tags: TAG,
        summary: 'the lowest observed carbon intensity among locations and hours (Carbon Aware SDK)',
        querystring: manyQuery,
        response: { 200: z.array(emissionsData), ...errorResponses },
      },
    },
    async (request) => {
      let best: ReturnType<typeof ratings>[number] | undefined;
      for (const region of locationsOf(request.query)) {
        const [from, to] = await observedSpan(store, region, request.query.time, request.query.toTime);
        for (const r of ratings(region, await observed(store, region, from, to))) {
          if (best === undefined || r.rating < best.rating) best = r;
        }
      }
      if (best === undefined)
        throw notFound('no observed carbon intensity for these locations in this period');
      return [best];
    },
  );

  const forecastParams = {
    dataStartAt: instant.optional().describe('ignore forecast points before (default: the first)'),
    dataEndAt: instant.optional().describe('ignore forecast points after (default: the end of the forecast)'),
    windowSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(168 * 60)
      .optional()
      .describe('workload duration in minutes (default: 60, one forecast point)'),
  };

  async function forecastFor(
    region: Region,
    params: { dataStartAt?: Date | undefined; dataEndAt?: Date | undefined; windowSize?: number | undefined },
    requestedAt: Date,
    parameterPrefix = '',
  ) {
    const forecast = await requireLatestForecast(deps, { region, target: 'co2_intensity' });
    const points = forecast.points
      .filter((p) => p.p50 !== null)
      .map((p) => ({ ts: p.ts.getTime(), value: p.p50! }));
    const first = points[0]!.ts;
    const end = points.at(-1)!.ts + HOUR;
    const start = params.dataStartAt?.getTime() ?? first;
    const stop = params.dataEndAt?.getTime() ?? end;
    if (start < first || start >= end)
      throw badRequest(
        `${parameterPrefix}dataStartAt`,
        `must be within the forecast, ${new Date(first).toISOString()} to ${new Date(end).toISOString()}`,
      );
    if (stop <= start || stop > end)
      throw badRequest(
        `${parameterPrefix}dataEndAt`,
        `must be after dataStartAt and at most ${new Date(end).toISOString()}`,
      );
    const windowMinutes = params.windowSize ?? 60;
    const { forecastData, optimalDataPoints } = forecastWindows(region, points, {
      start,
      end: stop,
      windowMinutes,
      pointMinutes: 60,
    });
    return {
      requestedAt: requestedAt.toISOString(),
      generatedAt: forecast.issuedAt.toISOString(),
      location: region,
      dataStartAt: new Date(start).toISOString(),
      dataEndAt: new Date(stop).toISOString(),
      windowSize: windowMinutes,
      optimalDataPoints,
      forecastData,
    };
  }

  app.get(
    '/emissions/forecasts/current',
    {
      schema: {
        tags: TAG,
        summary:
          'the latest carbon-intensity forecast and its optimal window per location (Carbon Aware SDK)',
        description:
          "Forecast points are the co2_intensity champion's P50 per hour. Each forecastData point is the mean over `windowSize` " +
          'minutes starting there; optimalDataPoints holds the lowest. ETag / If-None-Match.',
        querystring: manyQuery
          .omit({ time: true, toTime: true, durationMinutes: true })
          .extend(forecastParams),
        response: { 200: z.array(emissionsForecast), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const regions = locationsOf(q);
      const entry = await cache.get(cacheKey(request), async () => {
        const now = new Date();
        const answers = [];
        for (const region of regions) answers.push(await forecastFor(region, q, now));
        // requestedAt is the time of the cached computation: the answer is the same until the data change.
        return cachedBody(answers);
      });
      return sendCached(request, reply, entry);
    },
  );

  app.post(
    '/emissions/forecasts/batch',
    {
      schema: {
        tags: TAG,
        summary: 'forecasts as they were at requestedAt, with optimal windows (Carbon Aware SDK)',
        body: z
          .array(
            z.object({
              requestedAt: instant.describe('the forecast issued latest at or before this time is used'),
              location: z.string().min(1),
              ...forecastParams,
            }),
          )
          .min(1)
          .max(100),
        response: { 200: z.array(emissionsForecast), ...errorResponses },
      },
    },
    async (request) => {
      const answers = [];
      for (const [i, item] of request.body.entries()) {
        const region = location(item.location, `body.${i}.location`);
        const issued = await historicalForecast(store, region, item.requestedAt);
        if (issued === undefined)
          throw notFound(
            `body.${i}.requestedAt: no co2_intensity forecast for ${region} issued by ${item.requestedAt.toISOString()}`,
          );
        const start = item.dataStartAt?.getTime() ?? issued.points[0]!.ts;
        const end = issued.points.at(-1)!.ts + HOUR;
        const stop = item.dataEndAt?.getTime() ?? end;
        if (start < issued.points[0]!.ts || start >= end)
          throw badRequest(
            `body.${i}.dataStartAt`,
            `must be within that forecast, ${new Date(issued.points[0]!.ts).toISOString()} to ${new Date(end).toISOString()}`,
          );
        if (stop <= start || stop > end)
          throw badRequest(
            `body.${i}.dataEndAt`,
            `must be after dataStartAt and at most ${new Date(end).toISOString()}`,
          );
        const windowMinutes = item.windowSize ?? 60;
        answers.push({
          requestedAt: item.requestedAt.toISOString(),
          generatedAt: issued.issuedAt.toISOString(),
          location: region,
          dataStartAt: new Date(start).toISOString(),
          dataEndAt: new Date(stop).toISOString(),
          windowSize: windowMinutes,
          ...forecastWindows(region, issued.points, { start, end: stop, windowMinutes, pointMinutes: 60 }),
        });
      }
      return answers;
    },
  );

  app.get(
    '/emissions/average-carbon-intensity',
    {
      schema: {
        tags: TAG,
        summary: 'mean observed carbon intensity over a period (Carbon Aware SDK)',
        querystring: z.object({
          location: z.string().min(1),
          startTime: instant.describe('start of the period'),
          endTime: instant.describe('end of the period'),
        }),
        response: {
          200: z.object({
            location: z.string(),
            startTime: z.string(),
            endTime: z.string(),
            carbonIntensity: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const region = location(q.location, 'location');
      const start = q.startTime.getTime();
      const end = q.endTime.getTime();
      if (end <= start) throw badRequest('endTime', 'must be after startTime');
      if (end - start > MAX_SPAN) throw badRequest('endTime', 'at most 366 days after startTime');
      const values = await observed(store, region, Math.floor(start / HOUR) * HOUR, end);
      // Time-weighted: the first and last hours count for the part inside the period.
      let weighted = 0;
      let covered = 0;
      for (const v of values) {
        const overlap = Math.min(v.ts + HOUR, end) - Math.max(v.ts, start);
        if (overlap <= 0) continue;
        weighted += v.value * overlap;
        covered += overlap;
      }
      if (covered === 0)
        throw notFound(
          `no observed carbon intensity for ${region} between ${q.startTime.toISOString()} and ${q.endTime.toISOString()}`,
        );
      return {
        location: region,
        startTime: q.startTime.toISOString(),
        endTime: q.endTime.toISOString(),
        carbonIntensity: weighted / covered,
      };
    },
  );
}

/** The champion-independent view of history: the latest co2_intensity forecast issued at or before `at`. */
async function historicalForecast(store: Store, region: Region, at: Date) {
  const { rows: latest } = await sql<{ model: string; version: number; origin: Date; issued: Date }>`
    SELECT model, version, origin, max(issued_at) AS issued FROM dcgrid.forecasts
    WHERE region = ${region} AND target = 'co2_intensity' AND issued_at <= ${at}
    GROUP BY model, version, origin ORDER BY issued DESC LIMIT 1`.execute(store.db);
  const head = latest[0];
  if (head === undefined) return undefined;
  const { rows } = await sql<{ ts_utc: Date; p50: number | null }>`
    SELECT ts_utc, p50 FROM dcgrid.forecasts
    WHERE region = ${region} AND target = 'co2_intensity' AND model = ${head.model} AND version = ${head.version} AND origin = ${head.origin}
    ORDER BY ts_utc`.execute(store.db);
  const points = rows
    .filter((r) => r.p50 !== null)
    .map((r) => ({ ts: new Date(r.ts_utc).getTime(), value: r.p50! }));
  if (points.length === 0) return undefined;
  return { issuedAt: new Date(head.issued), points };
}

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test-support/api.js';
import { createServedStore, FIXTURE_TO, type ServedStore } from '../test-support/served-store.js';

interface Fixture {
  request: { method: 'GET' | 'POST'; path: string; body?: unknown };
  response: unknown;
}

const fixtureDir = new URL('../carbon-aware/fixtures/', import.meta.url);
const fixtures = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => [name, JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as Fixture] as const);

/** The same keys, JSON types and element shapes, recursively. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value === null) return 'null';
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort()
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  return typeof value;
}

describe('Carbon Aware SDK WebAPI compatibility', () => {
  let served: ServedStore;
  let api: TestApi;
  beforeAll(async () => {
    served = await createServedStore('pglite');
    api = await startTestApi(served);
  }, 300_000);
  afterAll(async () => {
    await api?.close();
    await served?.dispose();
  });

  it.each(fixtures)('answers %s with the documented shape', async (_name, fixture) => {
    const response =
      fixture.request.method === 'GET'
        ? await api.get(fixture.request.path)
        : await api.post(fixture.request.path, fixture.request.body);
    expect(response.status).toBe(200);
    const body = (await response.json()) as unknown;
    expect(shapeOf(body)).toEqual(shapeOf(fixture.response));
  });

  it('finds the optimal window of the current forecast as the lowest window mean', async () => {
    const start = new Date(FIXTURE_TO).toISOString();
    const end = new Date(FIXTURE_TO + 48 * 3600_000).toISOString();
    const response = await api.get(
      `/emissions/forecasts/current?location=IE&dataStartAt=${start}&dataEndAt=${end}&windowSize=180`,
    );
    const [forecast] = (await response.json()) as Array<{
      windowSize: number;
      optimalDataPoints: Array<{ timestamp: string; value: number }>;
      forecastData: Array<{ timestamp: string; value: number; duration: number }>;
    }>;
    expect(forecast!.windowSize).toBe(180);
    expect(forecast!.forecastData).toHaveLength(48 - 2);
    const lowest = Math.min(...forecast!.forecastData.map((p) => p.value));
    expect(forecast!.optimalDataPoints[0]!.value).toBe(lowest);
    // Each window is the mean of the P50 of its three hours.
    const hourly = (await (
      await api.get(`/api/forecast?target=co2_intensity&from=${start}&to=${end}`)
    ).json()) as {
      points: Array<{ p50: number }>;
    };
    const mean = (hourly.points[0]!.p50 + hourly.points[1]!.p50 + hourly.points[2]!.p50) / 3;
    expect(forecast!.forecastData[0]!.value).toBeCloseTo(mean, 9);
    expect(response.headers.get('etag')).toBeTruthy();
  });

  it('averages observed intensity over a period, weighting partial hours', async () => {
    const hour = (h: number) => new Date(FIXTURE_TO - 48 * 3600_000 + h * 3600_000).toISOString();
    const ratings = (await (
      await api.get(`/emissions/bylocation?location=ie&time=${hour(0)}&toTime=${hour(2)}`)
    ).json()) as Array<{
      rating: number;
    }>;
    expect(ratings).toHaveLength(2);
    const half = new Date(FIXTURE_TO - 48 * 3600_000 + 1800_000).toISOString();
    const average = (await (
      await api.get(`/emissions/average-carbon-intensity?location=IE&startTime=${half}&endTime=${hour(2)}`)
    ).json()) as { carbonIntensity: number };
    // 30 minutes of the first hour, 60 of the second.
    expect(average.carbonIntensity).toBeCloseTo((ratings[0]!.rating * 0.5 + ratings[1]!.rating) / 1.5, 9);
  });

  it('refuses unknown locations and bad parameters by name', async () => {
    expect((await api.get('/emissions/bylocation?location=westus')).status).toBe(404);
    const missing = await api.get('/emissions/bylocation');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe(
      'location',
    );
    const outside = await api.get(
      '/emissions/forecasts/current?location=IE&dataStartAt=2020-01-01T00:00:00Z',
    );
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe(
      'dataStartAt',
    );
    const early = await api.post('/emissions/forecasts/batch', [
      { location: 'IE', requestedAt: '2000-01-01T00:00:00Z' },
    ]);
    expect(early.status).toBe(404);
    const none = await api.get('/emissions/forecasts/current?location=NI');
    expect(none.status).toBe(404);
  });
});

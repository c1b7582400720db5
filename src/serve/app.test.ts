import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueForecast } from '../pipeline/forecast.js';
import { connectPostgres } from '../store/postgres/connect.js';
import { openRegistry } from '../registry/open.js';
import { TEST_BACKENDS } from '../store/test-support/stores.js';
import { startTestApi, type TestApi } from './test-support/api.js';
import { createServedStore, FIXTURE_TO, type ServedStore } from './test-support/served-store.js';

describe.each(TEST_BACKENDS)('API on %s', (kind) => {
  let served: ServedStore;
  let api: TestApi;

  beforeAll(async () => {
    served = await createServedStore(kind);
    api = await startTestApi(served, { TARGETS: ['demand_mw', 'price_eur_mwh'] });
  }, 300_000);
  afterAll(async () => {
    await api?.close();
    await served?.dispose();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await api.get('/healthz');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect(health.headers.get('x-request-id')).toBeTruthy();
    const ready = await api.get('/readyz');
    const body = (await ready.json()) as { status: string; champions: Array<{ target: string }> };
    expect(ready.status).toBe(200);
    expect(body.champions.map((c) => c.target)).toEqual(['demand_mw', 'price_eur_mwh']);
  });

  it('serves the latest champion forecast with P10/P50/P90 per hour, an ETag and 304', async () => {
    const response = await api.get('/api/forecast?target=demand_mw');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      model: string;
      version: number;
      origin: string;
      lastObserved: string;
      points: Array<{ ts: string; p10: number; p50: number; p90: number }>;
    };
    expect(body.model).toBe('snaive168');
    expect(body.origin).toBe(new Date(FIXTURE_TO).toISOString());
    expect(body.lastObserved).toBe(new Date(FIXTURE_TO - 3600_000).toISOString());
    expect(body.points).toHaveLength(168);
    for (const p of body.points) expect(p.p10).toBeLessThanOrEqual(p.p90);
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await api.get('/api/forecast?target=demand_mw', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    const alias = await api.get('/forecast?target=demand_mw');
    expect(((await alias.json()) as { points: unknown[] }).points).toHaveLength(168);
    const clipped = await api.get(
      `/api/forecast?target=demand_mw&from=${new Date(FIXTURE_TO + 24 * 3600_000).toISOString()}&to=${new Date(FIXTURE_TO + 48 * 3600_000).toISOString()}`,
    );
    expect(((await clipped.json()) as { points: unknown[] }).points).toHaveLength(24);
  });

  it('answers bad input with 400 naming the parameter and unknown names with 404', async () => {
    const bad = await api.get('/api/forecast?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as { code: string; errors: Array<{ parameter: string }> };
    expect(problem.code).toBe('E_BAD_REQUEST');
    expect(problem.errors[0]!.parameter).toBe('from');
    for (const [query, word] of [
      ['region=XX', '"XX"'],
      ['target=nope', '"nope"'],
      ['target=demand_mw&model=zzz', '"zzz"'],
      ['target=wind_mw', 'no champion'],
    ] as const) {
      const response = await api.get(`/api/forecast?${query}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { detail: string }).detail).toContain(word);
    }
    const route = await api.get('/api/nothing');
    expect(route.status).toBe(404);
  });

  it('publishes OpenAPI 3.1 and Swagger UI', async () => {
    const spec = (await (await api.get('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/api/forecast');
    const docs = await api.get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it.runIf(kind === 'postgres')(
    'drops its cached answer when another process issues a forecast',
    async () => {
      const first = await api.get('/api/forecast?target=demand_mw');
      const before = (await first.json()) as { issuedAt: string };
      // Another process: its own connection and registry on the same database.
      const other = await connectPostgres(served.store.url!);
      try {
        const registry = openRegistry(served.config, other);
        await issueForecast({ store: other, registry }, { region: 'IE', target: 'demand_mw', horizon: 168 });
      } finally {
        await other.close();
      }
      const second = await api.get('/api/forecast?target=demand_mw', {
        'if-none-match': first.headers.get('etag')!,
      });
      expect(second.status).toBe(200);
      const after = (await second.json()) as { issuedAt: string; origin: string };
      expect(after.issuedAt > before.issuedAt).toBe(true);
      expect(after.origin).toBe(new Date(FIXTURE_TO).toISOString());
    },
    120_000,
  );
});

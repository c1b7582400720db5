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

  it('lists stress alerts with the parts of each score, and the forecast hours over the threshold', async () => {
    const response = await api.get('/api/stress/alerts?threshold=1');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      threshold: number;
      bands: { elevated: number; high: number; critical: number };
      observed: Array<{
        score: number;
        partial: boolean;
        drivers: string[];
        components: Record<string, { contribution: number | null }>;
      }>;
      forecast: {
        model: string;
        hours: Array<{ p50: number; p90: number; level: string; eventProbability: number | null }>;
      };
      events: { missing?: string };
    };
    expect(body.threshold).toBe(1);
    expect(body.bands).toEqual({ elevated: 0, high: 1, critical: 2 });
    expect(body.observed.length).toBeGreaterThan(0);
    for (const alert of body.observed) {
      expect(alert.score).toBeGreaterThanOrEqual(1);
      // The parts add up to the stored score: the same formula, read back.
      const sum = Object.values(alert.components).reduce((total, c) => total + (c.contribution ?? 0), 0);
      expect(sum).toBeCloseTo(alert.score, 6);
      expect(alert.drivers.length).toBeGreaterThan(0);
    }
    expect(body.forecast.model).toBe('snaive168');
    for (const hour of body.forecast.hours) {
      expect(hour.p90).toBeGreaterThanOrEqual(1);
      expect(hour.level).toBe(hour.p50 >= 1 ? 'expected' : 'possible');
      // No stress_event classifier in this store: the probability is there, and null.
      expect(hour).toHaveProperty('eventProbability', null);
      expect(hour).not.toHaveProperty('probability');
    }
    expect(body.forecast.hours.length).toBeGreaterThan(0);
    expect(body.events.missing).toContain('no stress_event forecast for IE');
    const seed = await api.get('/stress/alerts');
    expect(((await seed.json()) as { threshold: number }).threshold).toBe(2);
  });

  it('pages the feature table as JSON and as CSV', async () => {
    const first = await api.get('/api/features?columns=demand_mw,stress_score&limit=24');
    expect(first.status).toBe(200);
    const page = (await first.json()) as { columns: string[]; rows: Array<{ ts_utc: string }>; next: string };
    expect(page.columns).toEqual(['ts_utc', 'demand_mw', 'stress_score']);
    expect(page.rows).toHaveLength(24);
    const second = (await (await api.get(page.next)).json()) as { rows: Array<{ ts_utc: string }> };
    expect(new Date(second.rows[0]!.ts_utc).getTime()).toBe(
      new Date(page.rows[23]!.ts_utc).getTime() + 3600_000,
    );
    const csv = await api.get('/api/features?columns=demand_mw&limit=3', { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('link')).toContain('rel="next"');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('ts_utc,demand_mw');
    expect(lines).toHaveLength(4);
    const bad = await api.get('/api/features?columns=demand_mw,bogus');
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { errors: Array<{ parameter: string; reason: string }> }).errors[0],
    ).toMatchObject({
      parameter: 'columns',
    });
  });

  it('lists models, runs, backtests and the data report', async () => {
    const models = (await (await api.get('/api/models')).json()) as {
      champions: Array<{ target: string; model: string }>;
      history: Array<{ action: string }>;
    };
    expect(models.champions.map((c) => c.target).sort()).toEqual([
      'co2_intensity',
      'demand_mw',
      'price_eur_mwh',
      'stress_score',
    ]);
    expect(models.history.some((e) => e.action === 'register')).toBe(true);
    const runs = (await (await api.get('/api/runs?name=pipeline')).json()) as {
      runs: Array<{ status: string; params: Record<string, string> }>;
    };
    expect(runs.runs[0]!.status).toBe('FINISHED');
    expect(runs.runs[0]!.params.region).toBe('IE');
    const backtests = (await (await api.get('/api/backtests?target=demand_mw')).json()) as {
      backtests: Array<{
        metrics: Record<string, { dayAhead: Record<string, number>; byHorizon: Record<string, number[]> }>;
      }>;
    };
    const snaive = backtests.backtests[0]!.metrics.snaive168!;
    expect(snaive.dayAhead.mase).toBeGreaterThan(0);
    expect(snaive.byHorizon.mase).toHaveLength(168);
    const report = (await (await api.get('/api/data/report')).json()) as { status: string };
    expect(report.status).toBe('succeeded');
    expect((await api.get('/api/data/report?id=99999')).status).toBe(404);
  });

  it('refuses writes without API_TOKEN, and checks the bearer token when it is set', async () => {
    const disabled = await api.post('/api/models/rollback', { target: 'demand_mw' });
    expect(disabled.status).toBe(403);
    expect(((await disabled.json()) as { code: string }).code).toBe('E_WRITES_DISABLED');
    const token = 'test-token-0123456789abcdef';
    const secured = await startTestApi(served, { API_TOKEN: token, API_CORS_ORIGINS: ['https://a.example'] });
    try {
      const none = await secured.post('/api/models/promote', {
        target: 'demand_mw',
        model: 'snaive168',
        version: 1,
      });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      const wrong = await secured.post(
        '/api/models/promote',
        { target: 'demand_mw', model: 'snaive168', version: 1 },
        { authorization: 'Bearer nope' },
      );
      expect(wrong.status).toBe(403);
      const auth = { authorization: `Bearer ${token}` };
      const same = await secured.post(
        '/api/models/promote',
        { target: 'demand_mw', model: 'snaive168', version: 1 },
        auth,
      );
      expect(same.status).toBe(200);
      expect(((await same.json()) as { changed: boolean }).changed).toBe(false);
      const unknown = await secured.post(
        '/api/models/promote',
        { target: 'demand_mw', model: 'snaive168', version: 9 },
        auth,
      );
      expect(unknown.status).toBe(404);
      const invalid = await secured.post(
        '/api/models/promote',
        { target: 'demand_mw', model: 'snaive168', version: 'one' },
        auth,
      );
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe(
        'body.version',
      );
      const rollback = await secured.post('/api/models/rollback', { target: 'demand_mw' }, auth);
      expect(rollback.status).toBe(409);
      const preflight = await fetch(`${secured.url}/api/forecast`, {
        method: 'OPTIONS',
        headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://a.example');
    } finally {
      await secured.close();
    }
    const plain = await api.get('/healthz');
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(plain.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('starts a pipeline run through the API, and the cached forecast follows the new issue', async () => {
    const token = 'test-token-0123456789abcdef';
    // The fixture's short history: the pipeline's settings as the fixture used them.
    const secured = await startTestApi(served, {
      API_TOKEN: token,
      TRAIN_DAYS: 28,
      VALIDATION_HOURS: 168,
      BACKTEST_WEEKS: 1,
    });
    try {
      const before = (await (await secured.get('/api/forecast?target=co2_intensity')).json()) as {
        issuedAt: string;
      };
      const auth = { authorization: `Bearer ${token}` };
      const started = await secured.post(
        '/api/pipeline/runs',
        { targets: ['co2_intensity'], models: ['snaive168'], ingest: false },
        auth,
      );
      expect(started.status).toBe(202);
      let job = { state: 'running', error: null as string | null };
      while (job.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        job = (await (await secured.get('/api/pipeline/runs/current')).json()) as typeof job;
      }
      expect(job).toMatchObject({ state: 'succeeded', error: null });
      const after = (await (await secured.get('/api/forecast?target=co2_intensity')).json()) as {
        issuedAt: string;
      };
      expect(after.issuedAt > before.issuedAt).toBe(true);
      const metrics = await (await secured.get('/metrics')).text();
      expect(metrics).toContain(
        'dcgrid_http_requests_total{method="GET",route="/api/forecast",status="200"}',
      );
      expect(metrics).toMatch(
        /dcgrid_champion_version\{region="IE",target="co2_intensity",model="snaive168"\} \d+/,
      );
      expect(metrics).toContain('dcgrid_forecast_age_seconds{');
    } finally {
      await secured.close();
    }
  }, 180_000);

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

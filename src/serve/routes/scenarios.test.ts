/** POST/GET /api/scenarios over HTTP, on a store filled by the real ingest (demo raw files, 15 months). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config/config.js';
import { runIngest } from '../../ingest/ingest.js';
import { planIngest } from '../../ingest/plan.js';
import { openRegistry } from '../../registry/open.js';
import { writeDemoRawDir } from '../../sources/demo/generate.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { openTracker } from '../../tracking/open.js';
import { startTestApi, type TestApi } from '../test-support/api.js';

let store: TestStore;
let root: string;
let api: TestApi;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dcgrid-scenario-api-'));
  const raw = join(root, 'raw');
  await writeDemoRawDir(raw, { from: Date.UTC(2022, 6, 1), to: Date.UTC(2023, 9, 1) });
  store = await createTestStore('pglite');
  const config: Config = loadConfig({ DCGRID_RAW_DIR: raw, DCGRID_HOME: root }, { dotenv: false });
  await runIngest(store, {
    ...(await planIngest(config)),
    stressWeights: config.STRESS_WEIGHTS,
    stressAlertThreshold: config.STRESS_ALERT_THRESHOLD,
  });
  api = await startTestApi({
    store,
    config,
    registry: openRegistry(config, store),
    tracker: openTracker(config, store),
  });
}, 300_000);

afterAll(async () => {
  await api?.close();
  await store?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

const study = {
  name: 'api study',
  region: 'IE',
  from: '2023-08-01',
  to: '2023-10-01',
  scenarios: [
    { name: 'flat', addMw: 300 },
    { name: 'flex', addMw: 300, profile: { kind: 'flexible', share: 0.3, maxShiftH: 6 } },
  ],
};

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ parameter: string; reason: string }>;
}

describe('/api/scenarios on PGlite', () => {
  it('runs a study, stores it, lists it and reopens it', async () => {
    const response = await api.post('/api/scenarios', study);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      id: number;
      results: {
        baseline: { summary: { stressP99: number } };
        scenarios: Array<{ summary: { name: string; stressP99: number; flex: unknown } }>;
        inputs: { horizonHours: number; sources: Record<string, Array<{ source: string; hours: number }>> };
      };
    };
    // A period of history: every input observed, nothing on the forecast horizon.
    expect(body.results.inputs.horizonHours).toBe(0);
    expect(body.results.inputs.sources.demand_mw).toEqual([
      expect.objectContaining({ source: 'observed', hours: 61 * 24 }),
    ]);
    expect(body.results.scenarios.map((s) => s.summary.name)).toEqual(['flat', 'flex']);
    expect(body.results.scenarios[0]!.summary.stressP99).toBeGreaterThan(
      body.results.baseline.summary.stressP99,
    );
    expect(body.results.scenarios[1]!.summary.flex).not.toBeNull();
    const list = (await (await api.get('/api/scenarios')).json()) as {
      studies: Array<{ id: number; scenarios: number }>;
    };
    expect(list.studies[0]).toMatchObject({ id: body.id, scenarios: 2 });
    const again = await api.get(`/api/scenarios/${body.id}`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { results: unknown }).results).toEqual(body.results);
  });

  it.each([
    ['negative MW', { scenarios: [{ name: 'x', addMw: -1 }] }, 'addMw'],
    ['an end before the start', { from: '2023-10-01', to: '2023-08-01' }, 'to'],
    ['an unknown region', { region: 'XX' }, 'region'],
    [
      'a share outside 0..1',
      { scenarios: [{ name: 'x', addMw: 1, profile: { kind: 'flexible', share: 2, maxShiftH: 3 } }] },
      'share',
    ],
  ])('refuses %s with 400 naming the field', async (_what, change, field) => {
    const response = await api.post('/api/scenarios', { ...study, ...change });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe('E_BAD_REQUEST');
    expect(JSON.stringify(problem)).toContain(field);
  });

  it('answers 404 for a study that does not exist and for a period without data', async () => {
    expect((await api.get('/api/scenarios/999999')).status).toBe(404);
    const empty = await api.post('/api/scenarios', { ...study, from: '2019-01-01', to: '2019-02-01' });
    expect(empty.status).toBe(404);
    expect(((await empty.json()) as Problem).detail).toContain('no stored features for IE');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../pipeline/pipeline.js';
import { createServedStore, fixtureRequest, type ServedStore } from '../test-support/served-store.js';
import { startTestApi, type TestApi } from '../test-support/api.js';

let served: ServedStore;
let api: TestApi;

beforeAll(async () => {
  served = await createServedStore('postgres', { targets: ['demand_mw'] });
  // An XGBoost version beside the seasonal naive one, trained by the pipeline's own code.
  await runPipeline(
    { config: served.config, store: served.store, tracker: served.tracker, registry: served.registry },
    {
      ...fixtureRequest(['demand_mw']),
      models: ['xgb'],
      horizon: 24,
      trainHours: 6 * 168,
      params: { xgb: { rounds: 30 } },
      ingest: false,
    },
  );
  api = await startTestApi(served);
}, 300_000);

afterAll(async () => {
  await api?.close();
  await served?.dispose();
});

describe('GET /api/models/{region}/{target}/{model}/{version}', () => {
  it("answers a version's metadata with the model's explanations", async () => {
    const response = await api.get('/api/models/IE/demand_mw/xgb/1');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      model: string;
      version: number;
      alias: string;
      features: string[];
      metrics: Record<string, number | null>;
      trainingWindow: { from: string; to: string } | null;
      details: { gainImportance: Record<string, Record<string, number>> };
    };
    expect(body.model).toBe('xgb');
    expect(body.version).toBe(1);
    expect(['champion', 'challenger']).toContain(body.alias);
    expect(body.features.length).toBeGreaterThan(5);
    expect(body.trainingWindow).not.toBeNull();
    expect(Object.keys(body.metrics)).toContain('day_ahead_mase');
    const booster = Object.values(body.details.gainImportance)[0]!;
    const used = Object.keys(booster);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(body.features).toContain(name);

    const lower = await api.get('/api/models/ie/demand_mw/snaive168/1');
    expect(lower.status).toBe(200);
  });

  it('answers 404 naming what is unknown and 400 naming a bad parameter', async () => {
    const missing = await api.get('/api/models/IE/demand_mw/xgb/9');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toContain('xgb v9');
    const region = await api.get('/api/models/XX/demand_mw/xgb/1');
    expect(region.status).toBe(404);
    expect(((await region.json()) as { detail: string }).detail).toContain('"XX"');
    const bad = await api.get('/api/models/IE/demand_mw/xgb/zero');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe(
      'version',
    );
  });
});

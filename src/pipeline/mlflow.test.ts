/**
 * The pipeline (ingest -> train -> register -> forecast) with MLFLOW_TRACKING_URI set, against the
 * real MLflow servers of both artifact modes: what a user pointing MLflow's UI at the server sees.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { openRegistry } from '../registry/open.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { MlflowClient } from '../tracking/mlflow/client.js';
import { ARTIFACT_INDEX_FILE } from '../tracking/mlflow/run-artifacts.js';
import { openTracker } from '../tracking/open.js';
import { realMlflowServers } from '../tracking/test-support/mlflow-servers.js';
import { runPipeline } from './pipeline.js';

const real = await realMlflowServers();

describe.each(real.servers)('pipeline mirrored to a real MLflow server, $mode artifacts', (server) => {
  let store: TestStore;
  let root: string;
  let raw: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dcgrid-pipeline-mlflow-'));
    raw = join(root, 'raw');
    await writeDemoRawDir(raw, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 10, 1) });
    store = await createTestStore('postgres');
  }, 120_000);
  afterAll(() => store?.dispose());

  it('trains and registers a version whose run, history and files MLflow shows', async () => {
    const config = loadConfig(
      { DCGRID_HOME: join(root, 'home'), DCGRID_RAW_DIR: raw, MLFLOW_TRACKING_URI: server.url },
      { dotenv: false },
    );
    const deps = {
      config,
      store,
      tracker: openTracker(config, store),
      registry: openRegistry(config, store),
    };
    const result = await runPipeline(deps, {
      region: 'IE',
      targets: ['demand_mw'],
      models: ['xgb'],
      horizon: 24,
      contextLength: 168,
      trainHours: 6 * 168,
      validationHours: 168,
      backtestWeeks: 1,
      seed: 7,
      params: { xgb: { rounds: 20 } },
      ingest: {},
      resume: false,
    });
    expect(result.steps.every((s) => s.status === 'done')).toBe(true);

    const champion = (await deps.registry.getChampion({ region: 'IE', target: 'demand_mw' }))!;
    const client = new MlflowClient({ trackingUri: server.url });
    const name = champion.mlflowName!;
    expect(name).toBe('dcgrid-IE-demand_mw');
    const version = (await client.getModelVersionByAlias(name, 'champion'))!;
    expect(version.version).toBe(champion.mlflowVersion);
    const run = await client.getRun(version.run_id!);
    expect(run.info).toMatchObject({ status: 'FINISHED', run_name: expect.stringContaining('xgb') });
    expect(version.source).toBe(`${run.info.artifact_uri}/models/xgb/v${champion.version}`);
    // The training curve: points by step, as MLflow's metric charts draw it.
    const lengths = await Promise.all(
      run.data.metrics.map(async (m) => (await client.getMetricHistory(run.info.run_id, m.key)).length),
    );
    expect(Math.max(...lengths)).toBeGreaterThan(1);
    const { files, metadata } = await deps.registry.loadVersion(champion);
    for (const [file, bytes] of Object.entries(files)) {
      expect(await client.downloadModelVersionArtifact(name, version.version, file)).toEqual(bytes);
    }
    const served = await client.downloadModelVersionArtifact(name, version.version, 'metadata.json');
    expect(JSON.parse(new TextDecoder().decode(served))).toEqual(JSON.parse(JSON.stringify(metadata)));
    expect((await client.listRunArtifacts(run.info.run_id)).map((f) => f.path)).toContain(
      ARTIFACT_INDEX_FILE,
    );
  });
});

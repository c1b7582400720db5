import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArtifactStore } from '../artifacts/file/store.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { EmbeddedTracker } from '../tracking/embedded/tracker.js';
import { MlflowClient } from '../tracking/mlflow/client.js';
import { MlflowTracker } from '../tracking/mlflow/tracker.js';
import { MirroredTracker } from '../tracking/mirrored.js';
import { MlflowStandIn } from '../tracking/test-support/mlflow-server.js';
import { MlflowRegistryMirror, registeredModelName } from './mlflow-mirror.js';
import { ModelRegistry } from './registry.js';
import { registration } from './test-support/fixtures.js';

const IE = { region: 'IE', target: 'dc_load_mw' } as const;
const NAME = 'dcgrid-IE-dc_load_mw';

describe('registry mirrored to MLflow', () => {
  let store: TestStore;
  let root: string;
  let server: MlflowStandIn;
  let client: MlflowClient;
  let registry: ModelRegistry;
  let tracker: MirroredTracker;
  beforeAll(async () => {
    store = await createTestStore('pglite');
    root = await mkdtemp(join(tmpdir(), 'dcgrid-mirror-'));
    server = await MlflowStandIn.start();
    client = new MlflowClient({ trackingUri: server.url, retries: 1, backoffMs: 1, timeoutMs: 2_000 });
    registry = new ModelRegistry(store, new FileArtifactStore(`file://${root}`), {
      promotionMetric: 'day_ahead_mase',
      mirror: new MlflowRegistryMirror(client),
      code: { version: '0.1.0', gitCommit: null },
    });
    tracker = new MirroredTracker(new EmbeddedTracker(store), new MlflowTracker(client));
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  /** Registers inside a mirrored run, as `dcgrid train` does. */
  async function registerInRun(overrides: Parameters<typeof registration>[0]) {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'train' });
    try {
      return await registry.registerModelVersion(registration({ ...overrides, runId: run.runId }));
    } finally {
      await run.end('FINISHED');
    }
  }

  it('names one registered model per (region, target)', () => {
    expect(registeredModelName(IE)).toBe(NAME);
  });

  it('creates the registered model and a version whose files are uploaded under the run', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'train' });
    const result = await registry.registerModelVersion(registration({ runId: run.runId, mase: 0.9 }));
    await run.end('FINISHED');
    expect(result.mlflow).toEqual({ name: NAME, version: '1' });
    const mlflowRunId = run.mirror.runId;
    const version = await client.getModelVersion(NAME, '1');
    expect(version).toMatchObject({
      run_id: mlflowRunId,
      source: `mlflow-artifacts:/${run.mirror.experimentId}/${mlflowRunId}/artifacts/models/xgb/v1`,
      aliases: ['champion'],
    });
    expect(version!.tags).toEqual(
      expect.arrayContaining([
        { key: 'dcgrid.model', value: 'xgb' },
        { key: 'dcgrid.version', value: '1' },
        { key: 'dcgrid.artifact_uri', value: `file://${root}/models/IE/dc_load_mw/xgb/1/` },
      ]),
    );
    const uploaded = await client.downloadRunArtifact(run.mirror.artifactUri, 'models/xgb/v1/weights.f32');
    expect(uploaded).toEqual(registration().files['weights.f32']);
    const metadata = JSON.parse(
      new TextDecoder().decode(
        await client.downloadRunArtifact(run.mirror.artifactUri, 'models/xgb/v1/metadata.json'),
      ),
    );
    expect(metadata).toMatchObject({ model: 'xgb', version: 1, runId: run.runId });
    const row = (await registry.list({ ...IE, model: 'xgb', version: 1 }))[0]!;
    expect(row).toMatchObject({ mlflowName: NAME, mlflowVersion: '1' });
  });

  it('moves the champion and challenger aliases with the registry', async () => {
    await registerInRun({ mase: 0.95, seed: 2 });
    expect((await client.getModelVersionByAlias(NAME, 'challenger'))?.version).toBe('2');
    await registerInRun({ model: 'tft', mase: 0.7, seed: 3 });
    expect((await client.getModelVersionByAlias(NAME, 'champion'))?.version).toBe('3');
    // `challenger` stays on the newest registered challenger (xgb v2), not on the replaced champion.
    expect((await client.getModelVersionByAlias(NAME, 'challenger'))?.version).toBe('2');
    await registry.promote({ ...IE, model: 'xgb', version: 2 });
    expect((await client.getModelVersionByAlias(NAME, 'champion'))?.version).toBe('2');
    expect((await client.getModelVersionByAlias(NAME, 'challenger'))?.version).toBe('3');
    await registry.rollback(IE);
    expect((await client.getModelVersionByAlias(NAME, 'champion'))?.version).toBe('3');
    const model = await client.getRegisteredModel(NAME);
    expect(model!.aliases.map((a) => `${a.alias}:${a.version}`).sort()).toEqual([
      'challenger:1',
      'champion:3',
    ]);
  });

  it("uses dcgrid's artifact URI as the source where it is not local and no run can hold a copy", async () => {
    const mirror = new MlflowRegistryMirror(client);
    const created = await mirror.registerVersion({
      ...IE,
      model: 'naive',
      version: 1,
      alias: 'challenger',
      artifactUri: 's3://models/prod/models/IE/dc_load_mw/naive/1/',
      files: registration().files,
      metadataBytes: new TextEncoder().encode('{}'),
      dataFingerprint: 'sha256:x',
      mlflowRunId: null,
      runArtifacts: [],
      reason: 'test',
    });
    expect((await client.getModelVersion(NAME, created.version))!.source).toBe(
      's3://models/prod/models/IE/dc_load_mw/naive/1/',
    );
  });

  it('registers nothing when MLflow fails during registration, and deletes the unreferenced files', async () => {
    const before = await registry.list(IE);
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'train' });
    server.failNext(2); // the first call and its one retry
    const failing = registry.registerModelVersion(registration({ mase: 0.1, seed: 5, runId: run.runId }));
    await expect(failing).rejects.toThrow(new RegExp(`MLflow at ${server.url}: .*TEMPORARILY_UNAVAILABLE`));
    expect(await registry.list(IE)).toEqual(before);
    expect(await registry.artifacts.hasVersion({ ...IE, model: 'xgb', version: 3 })).toBe(false);
    expect((await registry.getChampion(IE))!.model).toBe('tft');
    expect((await client.getModelVersionByAlias(NAME, 'champion'))?.version).toBe('3');
    await run.end('FAILED', 'registration failed');
  });

  it('keeps the files when MLflow failed after creating its version, so nothing points at missing files', async () => {
    const before = await registry.list(IE);
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'train' });
    server.failNextOn('POST', '/registered-models/alias', 2);
    const failing = registry.registerModelVersion(registration({ mase: 0.1, seed: 6, runId: run.runId }));
    await expect(failing).rejects.toThrow(/registered-models\/alias failed: TEMPORARILY_UNAVAILABLE/);
    expect(await registry.list(IE)).toEqual(before);
    expect((await registry.getChampion(IE))!.model).toBe('tft');
    const orphaned = (await client.searchAllModelVersions({ filter: `name='${NAME}'` }))[0]!;
    expect(orphaned.tags).toContainEqual({ key: 'dcgrid.version', value: '3' });
    expect(orphaned.source).toBe(`${run.mirror.artifactUri}/models/xgb/v3`);
    await run.end('FAILED', 'registration failed');
    expect((await registry.artifacts.readVersion({ ...IE, model: 'xgb', version: 3 })).metadata.version).toBe(
      3,
    );
    // The next registration does not reuse that number.
    const next = await registerInRun({ mase: 3, seed: 7 });
    expect(next.version).toBe(4);
  });
});

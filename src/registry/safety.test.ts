/**
 * The registry's safety guarantees, each shown by doing the harm for real:
 * (1) kill -9 during training or during the artifact upload of a registration (a child process on
 *     the PostgreSQL test database, with a file store and with the S3 protocol server);
 * (2) S3 or MLflow going down in the middle of a run;
 * (3) a failed training run never replaces the champion.
 * Afterwards the registry and the champion are unchanged, no row points at files that are missing
 * or incomplete, and the dead run is marked FAILED by the next start's sweep.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArtifactStore } from '../artifacts/file/store.js';
import { S3ArtifactStore } from '../artifacts/s3/store.js';
import type { ArtifactStore } from '../artifacts/store.js';
import { createTestBucket, S3_TEST } from '../artifacts/test-support/s3-server.js';
import { TcpProxy } from '../artifacts/test-support/tcp-proxy.js';
import { isDcgridError } from '../lib/errors.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { getRun } from '../tracking/embedded/queries.js';
import { EmbeddedTracker } from '../tracking/embedded/tracker.js';
import { MlflowClient } from '../tracking/mlflow/client.js';
import { MlflowTracker } from '../tracking/mlflow/tracker.js';
import { MirroredTracker } from '../tracking/mirrored.js';
import { markOrphanedRuns } from '../tracking/orphans.js';
import { startChild } from '../tracking/test-support/child.js';
import { MlflowStandIn } from '../tracking/test-support/mlflow-server.js';
import { withRun } from '../tracking/with-run.js';
import { MlflowRegistryMirror } from './mlflow-mirror.js';
import { ModelRegistry } from './registry.js';
import { registration } from './test-support/fixtures.js';

const IE = { region: 'IE', target: 'dc_load_mw' } as const;
const CODE = { version: '0.1.0', gitCommit: null };

/** Every registered version's files are there and complete (checksums verified). */
async function everyRowReadable(registry: ModelRegistry, filter: { target?: string } = {}): Promise<void> {
  const rows = await registry.list(filter);
  expect(rows.length).toBeGreaterThan(0);
  for (const version of rows) {
    const { metadata } = await registry.artifacts.readVersion(version);
    expect(metadata.version).toBe(version.version);
  }
}

interface Setup {
  name: string;
  env: Record<string, string>;
  artifacts: ArtifactStore;
  dispose(): Promise<void>;
}

async function fileSetup(): Promise<Setup> {
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-safety-'));
  return {
    name: 'file',
    env: { ARTIFACT_URI: `file://${root}` },
    artifacts: new FileArtifactStore(`file://${root}`),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

async function s3Setup(): Promise<Setup> {
  const { bucket, dispose } = await createTestBucket('dcgrid-safety');
  const artifacts = new S3ArtifactStore({
    uri: `s3://${bucket}/dcgrid`,
    endpoint: S3_TEST.endpoint,
    region: S3_TEST.region,
    accessKeyId: S3_TEST.accessKeyId,
    secretAccessKey: S3_TEST.secretAccessKey,
  });
  return {
    name: 's3',
    env: {
      ARTIFACT_URI: `s3://${bucket}/dcgrid`,
      S3_ENDPOINT: S3_TEST.endpoint,
      AWS_REGION: S3_TEST.region,
      AWS_ACCESS_KEY_ID: S3_TEST.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_TEST.secretAccessKey,
    },
    artifacts,
    async dispose() {
      artifacts.client.destroy();
      await dispose();
    },
  };
}

describe.each([
  ['file', fileSetup],
  ['s3', s3Setup],
] as const)('(1) kill -9 with a %s artifact store', (_name, make) => {
  let store: TestStore;
  let setup: Setup;
  let registry: ModelRegistry;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    setup = await make();
    registry = new ModelRegistry(store, setup.artifacts, { promotionMetric: 'day_ahead_mase', code: CODE });
    await registry.registerModelVersion(registration({ mase: 0.9 }));
  }, 600_000);
  afterAll(async () => {
    await store?.dispose();
    await setup?.dispose();
  });

  it('during the artifact upload: registry and champion unchanged, nothing half-written referenced', async () => {
    const before = await registry.list();
    const child = startChild(
      'src/registry/test-support/register-child.ts',
      { DCGRID_TEST_DB_URL: store.url!, CHILD_MODE: 'register', MLFLOW_TRACKING_URI: '', ...setup.env },
      'UPLOADING',
    );
    const [runId] = await child.ready;
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');

    expect(await registry.list()).toEqual(before);
    expect(await registry.getChampion(IE)).toMatchObject({ model: 'xgb', version: 1 });
    await everyRowReadable(registry);
    const key = { ...IE, model: 'xgb', version: 2 };
    expect(await setup.artifacts.hasVersion(key)).toBe(false);
    expect(await setup.artifacts.listVersions()).toEqual([{ ...IE, model: 'xgb', version: 1 }]);
    await expect(setup.artifacts.readVersion(key)).rejects.toThrow(/missing or incomplete/);
    if (setup.artifacts instanceof FileArtifactStore) {
      // The half-written version sits in its temporary folder, which no reader looks at.
      const folder = join(setup.artifacts.root, 'models/IE/dc_load_mw/xgb');
      expect((await readdir(folder)).sort()).toEqual([
        '1',
        expect.stringMatching(/^2\.tmp-\d+@[0-9a-f]{8}-[0-9a-f]+$/),
      ]);
    }

    const orphans = await markOrphanedRuns(store);
    expect(orphans.map((o) => o.runId)).toEqual([runId]);
    expect(await getRun(store, runId!)).toMatchObject({
      status: 'FAILED',
      error: `process ${child.process.pid} died`,
    });

    // The database dropped the dead process's transaction and lock: registering works again.
    const next = await registry.registerModelVersion(registration({ mase: 0.5, seed: 3 }));
    expect(next).toMatchObject({ version: 2, alias: 'champion' });
    await everyRowReadable(registry);
    // The next write cleared what the killed writer left (its process is gone).
    if (setup.artifacts instanceof FileArtifactStore) {
      const folder = join(setup.artifacts.root, 'models/IE/dc_load_mw/xgb');
      expect((await readdir(folder)).sort()).toEqual(['1', '2']);
    }
    expect(await setup.artifacts.removeIncomplete({ olderThanMs: 0 })).toEqual([]);
  });

  it.runIf(_name === 'file')(
    'during training: nothing registered, and the run is marked FAILED at the next start',
    async () => {
      const before = await registry.list();
      const child = startChild(
        'src/registry/test-support/register-child.ts',
        { DCGRID_TEST_DB_URL: store.url!, CHILD_MODE: 'train', ...setup.env },
        'TRAINING',
      );
      const [runId] = await child.ready;
      child.process.kill('SIGKILL');
      await child.exited;
      expect(await registry.list()).toEqual(before);
      expect((await markOrphanedRuns(store)).map((o) => o.runId)).toEqual([runId]);
      expect((await getRun(store, runId!))!.status).toBe('FAILED');
    },
  );
});

describe('(2) S3 or MLflow down in the middle of a run', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('pglite');
  });
  afterAll(() => store?.dispose());

  it('S3 down mid-upload: the run fails naming the endpoint, nothing points at missing files', async () => {
    const { bucket, dispose } = await createTestBucket('dcgrid-down');
    const proxy = await TcpProxy.start(S3_TEST.endpoint);
    const options = {
      uri: `s3://${bucket}`,
      region: S3_TEST.region,
      accessKeyId: S3_TEST.accessKeyId,
      secretAccessKey: S3_TEST.secretAccessKey,
      maxAttempts: 1,
      connectionTimeoutMs: 1_000,
    };
    const artifacts = new S3ArtifactStore({ ...options, endpoint: proxy.url });
    const direct = new S3ArtifactStore({ ...options, endpoint: S3_TEST.endpoint });
    try {
      const registry = new ModelRegistry(store, artifacts, { promotionMetric: 'day_ahead_mase', code: CODE });
      await registry.registerModelVersion(registration({ mase: 0.9 }));
      const tracker = new EmbeddedTracker(store);
      let runId = '';
      const training = withRun(
        tracker,
        { experiment: 'dcgrid-IE', name: 'S3 dies', signals: false },
        async (run) => {
          runId = run.runId;
          await run.logMetrics([{ key: 'loss', value: 0.1, step: 0, timestamp: Date.now() }]);
          return registry.registerModelVersion(
            registration({
              runId: run.runId,
              mase: 0.1,
              seed: 2,
              onFile: async (_name, index) => {
                if (index === 1) await proxy.stop();
              },
            }),
          );
        },
      );
      await expect(training).rejects.toSatisfy((e) => isDcgridError(e, 'E_ARTIFACT'));
      const run = await getRun(store, runId);
      expect(run!.status).toBe('FAILED');
      expect(run!.error).toContain(`S3 endpoint ${proxy.url} is unreachable`);
      const rows = await registry.list();
      expect(rows.map((r) => `${r.model}:${r.version}:${r.alias}`)).toEqual(['xgb:1:champion']);
      const checker = new ModelRegistry(store, direct, { promotionMetric: 'day_ahead_mase' });
      await everyRowReadable(checker, { target: 'dc_load_mw' });
      expect(await direct.hasVersion({ ...IE, model: 'xgb', version: 2 })).toBe(false);
    } finally {
      artifacts.client.destroy();
      direct.client.destroy();
      await dispose();
    }
  });

  it('MLflow down mid-run: the run fails naming the server, the registry is untouched', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-mlflow-down-'));
    const server = await MlflowStandIn.start();
    try {
      const client = new MlflowClient({
        trackingUri: server.url,
        retries: 1,
        backoffMs: 1,
        timeoutMs: 1_000,
      });
      const registry = new ModelRegistry(store, new FileArtifactStore(`file://${root}`), {
        promotionMetric: 'day_ahead_mase',
        mirror: new MlflowRegistryMirror(client),
        code: CODE,
      });
      await registry.registerModelVersion(registration({ target: 'demand_mw', mase: 0.9 }));
      const tracker = new MirroredTracker(new EmbeddedTracker(store), new MlflowTracker(client));
      let runId = '';
      const training = withRun(
        tracker,
        { experiment: 'dcgrid-IE', name: 'MLflow dies', signals: false },
        async (run) => {
          runId = run.runId;
          await run.logMetrics([{ key: 'loss', value: 0.2, step: 0, timestamp: Date.now() }]);
          await server.close();
          return registry.registerModelVersion(
            registration({ target: 'demand_mw', runId: run.runId, mase: 0.1, seed: 2 }),
          );
        },
      );
      await expect(training).rejects.toThrow(`MLflow at ${server.url} is unreachable`);
      const run = await getRun(store, runId);
      expect(run!.status).toBe('FAILED');
      expect(run!.error).toContain(`MLflow at ${server.url} is unreachable`);
      const rows = await registry.list({ region: 'IE', target: 'demand_mw' });
      expect(rows.map((r) => `${r.model}:${r.version}:${r.alias}`)).toEqual(['xgb:1:champion']);
      await everyRowReadable(registry, { target: 'demand_mw' });
    } finally {
      await server.close().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('(3) a failed training run never replaces the champion', () => {
  let store: TestStore;
  let root: string;
  let registry: ModelRegistry;
  let tracker: EmbeddedTracker;
  beforeAll(async () => {
    store = await createTestStore('pglite');
    root = await mkdtemp(join(tmpdir(), 'dcgrid-failed-run-'));
    registry = new ModelRegistry(store, new FileArtifactStore(`file://${root}`), {
      promotionMetric: 'day_ahead_mase',
      code: CODE,
    });
    tracker = new EmbeddedTracker(store);
    await registry.registerModelVersion(registration({ mase: 0.9 }));
  });
  afterAll(async () => {
    await store?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('training that throws ends FAILED, and the run cannot register afterwards', async () => {
    let runId = '';
    const training = withRun(
      tracker,
      { experiment: 'dcgrid-IE', name: 'diverges', signals: false },
      async (run) => {
        runId = run.runId;
        await run.logMetrics([{ key: 'loss', value: Number.NaN, step: 40, timestamp: Date.now() }]);
        throw new Error('loss became NaN at round 40');
      },
    );
    await expect(training).rejects.toThrow('NaN at round 40');
    await expect(
      registry.registerModelVersion(registration({ runId, mase: 0.01, seed: 2 })),
    ).rejects.toSatisfy((e) => isDcgridError(e, 'E_REGISTRY'));
    expect(await registry.getChampion(IE)).toMatchObject({ model: 'xgb', version: 1 });
  });

  it('a run killed by a signal cannot register either', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'stopped' });
    await run.end('KILLED', 'stopped by SIGTERM');
    await expect(
      registry.registerModelVersion(registration({ runId: run.runId, mase: 0.01 })),
    ).rejects.toThrow(/is KILLED/);
    expect(await registry.getChampion(IE)).toMatchObject({ model: 'xgb', version: 1 });
  });

  it('a run whose backtest produced no finite metric registers as challenger only', async () => {
    const result = await withRun(
      tracker,
      { experiment: 'dcgrid-IE', name: 'no metric', signals: false },
      (run) =>
        registry.registerModelVersion(
          registration({ runId: run.runId, mase: Number.POSITIVE_INFINITY, seed: 3 }),
        ),
    );
    expect(result.alias).toBe('challenger');
    expect(await registry.getChampion(IE)).toMatchObject({ model: 'xgb', version: 1 });
    await everyRowReadable(registry);
  });
});

/**
 * What dcgrid relies on from MLflow, checked against real MLflow 2.22 servers in both artifact
 * modes (test-support/mlflow-servers.ts; CI starts them) and against the stand-in in both modes, so
 * the stand-in used for fault tests answers as the real server does.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArtifactStore } from '../../artifacts/file/store.js';
import { MlflowRegistryMirror, registeredModelName } from '../../registry/mlflow-mirror.js';
import { ModelRegistry } from '../../registry/registry.js';
import { registration } from '../../registry/test-support/fixtures.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { EmbeddedTracker } from '../embedded/tracker.js';
import { MirroredTracker } from '../mirrored.js';
import { CountingRelay } from '../test-support/counting-relay.js';
import { MlflowStandIn } from '../test-support/mlflow-server.js';
import { realMlflowServers, type ArtifactMode } from '../test-support/mlflow-servers.js';
import { MlflowClient } from './client.js';
import { responses } from './messages.js';
import { ARTIFACT_INDEX_FILE, writeRunArtifacts } from './run-artifacts.js';
import { MlflowTracker } from './tracker.js';
import { isMlflowError, type MlflowError } from './transport.js';

interface Target {
  name: string;
  mode: ArtifactMode;
  /** A real server's URL; undefined: a stand-in started for the suite. */
  url: string | undefined;
}

const real = await realMlflowServers();
const targets: Target[] = [
  ...real.servers.map((s) => ({ name: `real MLflow 2.22, ${s.mode} artifacts`, mode: s.mode, url: s.url })),
  { name: 'stand-in, proxied artifacts', mode: 'proxied', url: undefined },
  { name: 'stand-in, local artifacts', mode: 'local', url: undefined },
];

async function rejection(promise: Promise<unknown>): Promise<MlflowError> {
  try {
    await promise;
  } catch (error) {
    if (isMlflowError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe.each(targets)('MLflow contract: $name', (target) => {
  let standIn: MlflowStandIn | undefined;
  let url: string;
  let client: MlflowClient;
  const suffix = randomBytes(4).toString('hex');
  const experimentName = `dcgrid-contract-${suffix}`;
  let experimentId: string;

  beforeAll(async () => {
    if (target.url === undefined) {
      standIn = await MlflowStandIn.start({ artifactRoot: target.mode });
      url = standIn.url;
    } else {
      url = target.url;
    }
    client = new MlflowClient({ trackingUri: url, retries: 1, backoffMs: 5, timeoutMs: 15_000 });
    experimentId = (await client.getOrCreateExperiment(experimentName)).experiment_id;
  });
  afterAll(() => standIn?.close());

  it('creates an experiment once and answers errors with MLflow codes and statuses', async () => {
    expect((await client.getOrCreateExperiment(experimentName)).experiment_id).toBe(experimentId);
    expect(await client.getExperimentByName(`${experimentName}-none`)).toBeUndefined();
    const duplicate = await rejection(client.createExperiment(experimentName));
    expect(duplicate).toMatchObject({
      code: 'E_TRACKING',
      mlflowCode: 'RESOURCE_ALREADY_EXISTS',
      httpStatus: 400,
    });
    expect(duplicate.message).toContain(`MLflow at ${url}`);
    const missingRun = await rejection(client.getRun('0'.repeat(32)));
    expect(missingRun).toMatchObject({ mlflowCode: 'RESOURCE_DOES_NOT_EXIST', httpStatus: 404 });
    const missingName = await rejection(client.createExperiment(''));
    expect(missingName.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
  });

  it('keeps a run name, its state and its end as MLflow shows them', async () => {
    const run = await client.createRun({ experimentId, runName: 'train xgb', startTime: 1_700_000_000_000 });
    expect(run.info).toMatchObject({ status: 'RUNNING', run_name: 'train xgb' });
    expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    const root = run.info.artifact_uri!;
    if (target.mode === 'proxied')
      expect(root).toBe(`mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`);
    else expect(root).toMatch(new RegExp(`^/.*/${experimentId}/${run.info.run_id}/artifacts$`));
    const ended = await client.updateRun({
      runId: run.info.run_id,
      status: 'FINISHED',
      endTime: 1_700_000_100_000,
    });
    expect(ended).toMatchObject({ status: 'FINISHED', end_time: 1_700_000_100_000 });
    const back = await client.getRun(run.info.run_id);
    expect(back.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'train xgb' });
    // An unknown status is dropped by MLflow's protobuf parsing, not refused: the client's enum is
    // what keeps dcgrid from sending one.
    await client.transport.call(
      'POST',
      '/runs/update',
      { run_id: run.info.run_id, status: 'DONE' },
      responses.updateRun,
    );
    expect((await client.getRun(run.info.run_id)).info.status).toBe('FINISHED');
  });

  it('logs more than one request holds, keeps the metric history and refuses a changed param', async () => {
    const run = await client.createRun({ experimentId, runName: 'big', startTime: 1 });
    const runId = run.info.run_id;
    const metrics = Array.from({ length: 2_500 }, (_, step) => ({
      key: 'loss',
      value: 1 / (step + 1),
      timestamp: 10 + step,
      step,
    }));
    const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 120 }, (_, i) => ({ key: `t${i}`, value: 'x' }));
    await client.logBatch(runId, { metrics, params, tags });
    const history = await client.getMetricHistory(runId, 'loss');
    expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual(metrics.map((m) => m.step));
    expect(history.find((m) => m.step === 99)?.value).toBeCloseTo(0.01, 12);
    const back = await client.getRun(runId);
    expect(back.data.params).toHaveLength(150);
    expect(back.data.metrics.find((m) => m.key === 'loss')?.step).toBe(2_499);
    const changed = await rejection(client.logBatch(runId, { params: [{ key: 'p1', value: 'other' }] }));
    expect(changed.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    const oversized = await rejection(
      client.transport.call(
        'POST',
        '/runs/log-batch',
        { run_id: runId, params: params.slice(0, 101) },
        responses.empty,
      ),
    );
    expect(oversized.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
  });

  it('follows next_page_token through a run search with a filter', async () => {
    const experiment = (await client.getOrCreateExperiment(`${experimentName}-search`)).experiment_id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await client.createRun({
        experimentId: experiment,
        runName: `r${i}`,
        startTime: 1_000 + i,
        tags: { batch: i % 2 === 0 ? 'even' : 'odd' },
      });
      ids.push(run.info.run_id);
    }
    const all = await client.searchAllRuns({ experimentIds: [experiment], maxResults: 2 });
    expect(all.map((r) => r.info.run_id).sort()).toEqual([...ids].sort());
    expect(all[0]!.info.run_name).toBe('r4');
    const even = await client.searchAllRuns({
      experimentIds: [experiment],
      filter: "tags.batch = 'even'",
      maxResults: 2,
    });
    expect(even).toHaveLength(3);
  });

  it('carries NaN and infinities, and cuts long values itself with a marker rather than silently', async () => {
    const tracker = new MlflowTracker(client);
    const run = await tracker.startRun({ experiment: experimentName, name: 'values' });
    await run.logMetrics([
      { key: 'val_loss', value: Number.NaN, step: 1, timestamp: 5 },
      { key: 'val_loss', value: Number.POSITIVE_INFINITY, step: 2, timestamp: 6 },
      { key: 'val_loss', value: 0.5, step: 3, timestamp: 7 },
    ]);
    await run.logParams({ features: 'f'.repeat(7_000), short: 'x'.repeat(6_000) });
    await run.setTag('note', 'n'.repeat(9_000));
    await run.end('FINISHED');
    const history = (await client.getMetricHistory(run.runId, 'val_loss')).sort((a, b) => a.step - b.step);
    expect(history.map((m) => m.value)).toEqual([Number.NaN, 1.7976931348623157e308, 0.5]);
    const stored = await client.getRun(run.runId);
    const param = (key: string) => stored.data.params.find((p) => p.key === key)!.value;
    expect(param('short')).toBe('x'.repeat(6_000));
    expect(param('features')).toHaveLength(6_000);
    expect(param('features').endsWith('...[truncated]')).toBe(true);
    const note = stored.data.tags.find((t) => t.key === 'note')!.value;
    expect(note).toHaveLength(8_000);
    expect(note.endsWith('...[truncated]')).toBe(true);
    expect(stored.data.tags).toEqual(
      expect.arrayContaining([
        { key: 'mlflow.runName', value: 'values' },
        { key: 'mlflow.source.name', value: 'dcgrid' },
      ]),
    );
    // Unclipped, the server itself cuts at its limits without a word: why the client clips first.
    const raw = await client.createRun({ experimentId, runName: 'raw', startTime: 1 });
    await client.logBatch(raw.info.run_id, { params: [{ key: 'long', value: 'z'.repeat(6_500) }] });
    expect((await client.getRun(raw.info.run_id)).data.params[0]!.value).toHaveLength(6_000);
  });

  it('moves aliases and says a missing alias is missing (400 on MLflow, not 404)', async () => {
    const name = `dcgrid-contract-${suffix}`;
    await client.getOrCreateRegisteredModel(name, { description: 'contract' });
    const duplicate = await rejection(client.createRegisteredModel(name));
    expect(duplicate.mlflowCode).toBe('RESOURCE_ALREADY_EXISTS');
    expect(await client.getModelVersionByAlias(name, 'champion')).toBeUndefined();
    expect(await client.getModelVersionByAlias(`${name}-none`, 'champion')).toBeUndefined();
    const raw = await rejection(
      client.transport.call(
        'GET',
        '/registered-models/alias',
        { name, alias: 'champion' },
        responses.modelVersion,
      ),
    );
    expect(raw).toMatchObject({ mlflowCode: 'INVALID_PARAMETER_VALUE', httpStatus: 400 });
    const v1 = await client.createModelVersion({
      name,
      source: 's3://bucket/models/IE/x/1',
      tags: { 'dcgrid.version': '1' },
    });
    const v2 = await client.createModelVersion({ name, source: 's3://bucket/models/IE/x/2' });
    await client.setAlias(name, 'champion', v1.version);
    await client.setAlias(name, 'champion', v2.version);
    expect((await client.getModelVersionByAlias(name, 'champion'))?.version).toBe(v2.version);
    await client.deleteAlias(name, 'champion');
    await client.deleteAlias(name, 'champion');
    expect(await client.getModelVersionByAlias(name, 'champion')).toBeUndefined();
    expect((await rejection(client.setAlias(name, 'latest', v1.version))).mlflowCode).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    const versions = await client.searchAllModelVersions({ filter: `name='${name}'`, maxResults: 1 });
    expect(versions.map((v) => v.version).sort()).toEqual([v1.version, v2.version].sort());
    expect(await client.getModelVersion(name, '999')).toBeUndefined();
  });

  it('refuses a local model version source outside the run, and a relative one', async () => {
    const name = `dcgrid-contract-${suffix}`;
    const run = await client.createRun({ experimentId, runName: 'source', startTime: 1 });
    const outside = await rejection(
      client.createModelVersion({ name, source: '/tmp/elsewhere/model', runId: run.info.run_id }),
    );
    expect(outside.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    expect(outside.message).toContain('Invalid model version source');
    const relative = await rejection(client.createModelVersion({ name, source: 's3://b/models/../../etc' }));
    expect(relative.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
  });

  it('writes run artifacts the server sees, and answers a missing one at once', async () => {
    const run = await client.createRun({ experimentId, runName: 'artifacts', startTime: 1 });
    const root = { runId: run.info.run_id, artifactUri: run.info.artifact_uri };
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    expect(
      await writeRunArtifacts(client, root, 'model/v1', {
        'model p10.ubj': bytes,
        'a.json': bytes.slice(0, 2),
      }),
    ).toBe(target.mode);
    expect(await client.listRunArtifacts(run.info.run_id, 'model/v1')).toEqual([
      { path: 'model/v1/a.json', is_dir: false, file_size: 2 },
      { path: 'model/v1/model p10.ubj', is_dir: false, file_size: 5 },
    ]);
    const relay = await CountingRelay.start(url);
    try {
      const relayed = new MlflowClient({ trackingUri: relay.url, retries: 3, backoffMs: 5 });
      if (target.mode === 'proxied') {
        expect(await relayed.downloadRunArtifact(run.info.artifact_uri, 'model/v1/model p10.ubj')).toEqual(
          bytes,
        );
        const missing = await rejection(
          relayed.downloadRunArtifact(run.info.artifact_uri, 'model/none.json'),
        );
        expect(missing).toMatchObject({ mlflowCode: 'RESOURCE_DOES_NOT_EXIST', httpStatus: 500 });
        expect(relay.count('GET', `/api/2.0/mlflow-artifacts/artifacts/`)).toBe(2);
      } else {
        // The proxy is switched off: asked anyway, the server's 503 is not worth retrying.
        const off = await rejection(
          relayed.transport.uploadArtifact(`${experimentId}/${run.info.run_id}/artifacts/x.json`, bytes),
        );
        expect(off).toMatchObject({ mlflowCode: 'ARTIFACTS_NOT_PROXIED', httpStatus: 503 });
        expect(relay.count('PUT', '/api/2.0/mlflow-artifacts/artifacts/')).toBe(1);
      }
    } finally {
      await relay.close();
    }
  });

  it.runIf(target.mode === 'local')(
    'writes nothing where the server does not look (a folder this machine does not share)',
    async () => {
      const run = await client.createRun({ experimentId, runName: 'not shared', startTime: 1 });
      const elsewhere = await mkdtemp(join(tmpdir(), 'dcgrid-not-shared-'));
      try {
        const root = { runId: run.info.run_id, artifactUri: join(elsewhere, 'artifacts') };
        expect(
          await writeRunArtifacts(client, root, 'models/xgb/v1', { 'a.json': new Uint8Array(3) }),
        ).toBeUndefined();
        expect(existsSync(join(elsewhere, 'artifacts'))).toBe(false);
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    },
  );

  describe('the registry mirror', () => {
    let store: TestStore;
    let folder: string;
    let registry: ModelRegistry;
    let tracker: MirroredTracker;
    beforeAll(async () => {
      store = await createTestStore('postgres');
      folder = await mkdtemp(join(tmpdir(), 'dcgrid-contract-artifacts-'));
      registry = new ModelRegistry(store, new FileArtifactStore(`file://${folder}`), {
        promotionMetric: 'day_ahead_mase',
        mirror: new MlflowRegistryMirror(client),
        code: { version: '0.1.0', gitCommit: null },
      });
      tracker = new MirroredTracker(new EmbeddedTracker(store), new MlflowTracker(client));
    });
    afterAll(async () => {
      await store?.dispose();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it('registers a version whose source MLflow accepts and serves, with the run, its history and index', async () => {
      const run = await tracker.startRun({ experiment: experimentName, name: 'train xgb IE dc_load_mw' });
      await run.logMetrics(
        Array.from({ length: 30 }, (_, step) => ({
          key: 'train_pinball',
          value: 1 / (step + 1),
          step,
          timestamp: 1_000 + step,
        })),
      );
      const input = registration({ runId: run.runId, mase: 0.9 });
      const result = await registry.registerModelVersion(input);
      await run.end('FINISHED');
      const name = registeredModelName(input);
      const mlflowRun = await client.getRun(run.mirror.runId);
      expect(mlflowRun.info).toMatchObject({ status: 'FINISHED', run_name: 'train xgb IE dc_load_mw' });
      expect(await client.getMetricHistory(run.mirror.runId, 'train_pinball')).toHaveLength(30);

      const version = await client.getModelVersion(name, result.mlflow!.version);
      const source = `${mlflowRun.info.artifact_uri}/models/xgb/v${result.version}`;
      expect(version).toMatchObject({ run_id: run.mirror.runId, source, status: 'READY' });
      expect(version!.aliases).toContain('champion');
      expect(await client.getModelVersionDownloadUri(name, result.mlflow!.version)).toBe(source);
      // What MLflow's UI and clients read through the version: the very files dcgrid stored.
      const stored = await registry.loadVersion(result);
      for (const [file, bytes] of Object.entries(input.files)) {
        expect(await client.downloadModelVersionArtifact(name, result.mlflow!.version, file)).toEqual(bytes);
      }
      const metadata = JSON.parse(
        text(await client.downloadModelVersionArtifact(name, result.mlflow!.version, 'metadata.json')),
      );
      expect(metadata).toEqual(JSON.parse(JSON.stringify(stored.metadata)));

      const listed = await client.listRunArtifacts(run.mirror.runId);
      expect(listed.map((f) => f.path)).toEqual(expect.arrayContaining([ARTIFACT_INDEX_FILE, 'models']));
      if (target.mode === 'proxied') {
        const index = JSON.parse(
          text(await client.downloadRunArtifact(mlflowRun.info.artifact_uri, ARTIFACT_INDEX_FILE)),
        );
        expect(index.files.map((f: { path: string }) => f.path)).toEqual(
          stored.metadata.files.map((f) => `models/xgb/v${result.version}/${f.name}`).sort(),
        );
      }
    });

    it('refuses, saying what to change, a local dcgrid artifact as the source of a version without an MLflow run', async () => {
      const failing = registry.registerModelVersion(registration({ mase: 0.95, seed: 2 }));
      await expect(failing).rejects.toThrow(
        /MLflow refuses a local source .*--serve-artifacts.*s3:\/\/ ARTIFACT_URI/,
      );
      expect(await registry.list({ region: 'IE', target: 'dc_load_mw', version: 2 })).toEqual([]);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowStandIn } from '../test-support/mlflow-server.js';
import { MlflowClient } from './client.js';
import { ARTIFACT_INDEX_FILE, MlflowTracker } from './tracker.js';

describe('MLflow tracking backend against the stand-in server', () => {
  let server: MlflowStandIn;
  let tracker: MlflowTracker;
  beforeAll(async () => {
    server = await MlflowStandIn.start();
    tracker = new MlflowTracker(new MlflowClient({ trackingUri: server.url, retries: 1, backoffMs: 1 }));
  });
  afterAll(() => server?.close());

  it('runs a run from start to FINISHED with params, a curve, tags and the artifact index', async () => {
    const run = await tracker.startRun({
      experiment: 'dcgrid-IE',
      name: 'train xgb',
      tags: { model: 'xgb' },
    });
    await run.logParams({ max_depth: 6, features: 'f'.repeat(7000) });
    await run.logMetrics(
      Array.from({ length: 1500 }, (_, step) => ({
        key: 'train_pinball',
        value: 1 / (step + 1),
        step,
        timestamp: 1_000 + step,
      })),
    );
    await run.logMetrics([
      { key: 'val_loss', value: Number.NaN, step: 1, timestamp: 5 },
      { key: 'val_loss', value: 0.5, step: 2, timestamp: 6 },
    ]);
    await run.setTag('stage', 'trained');
    await run.logArtifacts([
      {
        path: 'models/xgb/v1/config.json',
        uri: 's3://b/m/config.json',
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
      },
    ]);
    await run.logArtifacts([
      {
        path: 'models/xgb/v1/metadata.json',
        uri: 's3://b/m/metadata.json',
        sizeBytes: 20,
        sha256: 'b'.repeat(64),
      },
    ]);
    await run.end('FINISHED');

    const stored = server.run(run.runId)!;
    expect(stored.info).toMatchObject({ status: 'FINISHED', run_name: 'train xgb' });
    expect(stored.info.end_time).toBeGreaterThanOrEqual(stored.info.start_time);
    expect(stored.params.find((p) => p.key === 'max_depth')!.value).toBe('6');
    const long = stored.params.find((p) => p.key === 'features')!.value;
    expect(long).toHaveLength(6000);
    expect(long.endsWith('...[truncated]')).toBe(true);
    expect(stored.metrics.filter((m) => m.key === 'train_pinball')).toHaveLength(1500);
    expect(stored.metrics.filter((m) => m.key === 'val_loss')).toEqual([
      { key: 'val_loss', value: Number.NaN, step: 1, timestamp: 5 },
      { key: 'val_loss', value: 0.5, step: 2, timestamp: 6 },
    ]);
    const sent = server.requests.filter((r) => r.path === '/runs/log-batch').at(-1)!.body as {
      metrics: Array<{ value: unknown }>;
    };
    expect(sent.metrics.map((m) => m.value)).toEqual(['NaN', 0.5]);
    expect(stored.tags).toEqual(
      expect.arrayContaining([
        { key: 'model', value: 'xgb' },
        { key: 'stage', value: 'trained' },
        { key: 'mlflow.source.name', value: 'dcgrid' },
      ]),
    );
    const index = server.artifacts.get(`${run.experimentId}/${run.runId}/artifacts/${ARTIFACT_INDEX_FILE}`);
    expect(JSON.parse(index!.toString())).toMatchObject({ format: 'dcgrid-artifacts', version: 1 });
    expect(JSON.parse(index!.toString()).files.map((f: { path: string }) => f.path)).toEqual([
      'models/xgb/v1/config.json',
      'models/xgb/v1/metadata.json',
    ]);
  });

  it('stores the error of a failed run in the dcgrid.error tag', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'fails' });
    await run.end('FAILED', 'NaN loss at round 12');
    const stored = server.run(run.runId)!;
    expect(stored.info.status).toBe('FAILED');
    expect(stored.tags).toContainEqual({ key: 'dcgrid.error', value: 'NaN loss at round 12' });
    await expect(run.end('FINISHED')).rejects.toThrow(/ended already/);
  });

  it('records where the artifacts are when the server does not proxy artifacts', async () => {
    const s3Server = await MlflowStandIn.start({ artifactRoot: 's3' });
    try {
      const s3Tracker = new MlflowTracker(new MlflowClient({ trackingUri: s3Server.url }));
      const run = await s3Tracker.startRun({ experiment: 'dcgrid-IE', name: 'no proxy' });
      await run.logArtifacts([
        {
          path: 'a/config.json',
          uri: 's3://b/models/IE/x/1/config.json',
          sizeBytes: 1,
          sha256: 'c'.repeat(64),
        },
        { path: 'a/model.ubj', uri: 's3://b/models/IE/x/1/model.ubj', sizeBytes: 1, sha256: 'd'.repeat(64) },
      ]);
      expect(s3Server.run(run.runId)!.tags).toContainEqual({
        key: 'dcgrid.artifact_uri',
        value: 's3://b/models/IE/x/1/',
      });
      expect(s3Server.artifacts.size).toBe(0);
    } finally {
      await s3Server.close();
    }
  });
});

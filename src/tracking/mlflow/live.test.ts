/**
 * Opt-in: the MLflow client against a real MLflow server (none can run on the build machines).
 * MLFLOW_TEST_URI=http://127.0.0.1:5000 npx vitest run src/tracking/mlflow/live.test.ts
 * It creates uniquely named experiments, runs and a registered model on that server and leaves
 * them there.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { proxiedArtifactPath } from './artifact-path.js';
import { MlflowClient } from './client.js';
import { isMlflowError } from './transport.js';

const uri = process.env.MLFLOW_TEST_URI;
if (uri === undefined) {
  console.info(
    'live MLflow tests skipped: set MLFLOW_TEST_URI=http://host:port to run them against a real server',
  );
}

describe.skipIf(uri === undefined)('MLflow client against a real server (MLFLOW_TEST_URI)', () => {
  const client = new MlflowClient({ trackingUri: uri ?? 'http://unset' });
  const suffix = randomBytes(4).toString('hex');

  it('creates an experiment and a run, logs a large batch, searches with pages and ends the run', async () => {
    const experiment = await client.getOrCreateExperiment(`dcgrid-live-${suffix}`);
    expect((await client.getOrCreateExperiment(`dcgrid-live-${suffix}`)).experiment_id).toBe(
      experiment.experiment_id,
    );
    try {
      await client.createExperiment(`dcgrid-live-${suffix}`);
      expect.unreachable('a duplicate experiment was accepted');
    } catch (error) {
      expect(isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')).toBe(true);
    }
    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await client.createRun({
        experimentId: experiment.experiment_id,
        runName: `r${i}`,
        startTime: Date.now(),
        tags: { i: String(i) },
      });
      runIds.push(run.info.run_id);
    }
    const runId = runIds[0]!;
    const metrics = Array.from({ length: 1_200 }, (_, step) => ({
      key: 'loss',
      value: 1 / (step + 1),
      timestamp: Date.now(),
      step,
    }));
    await client.logBatch(runId, {
      metrics,
      params: [{ key: 'eta', value: '0.05' }],
      tags: [{ key: 'stage', value: 'x' }],
    });
    await client.setTag(runId, 'dcgrid.run_id', 'f'.repeat(32));
    const info = await client.updateRun({ runId, status: 'FINISHED', endTime: Date.now() });
    expect(info.status).toBe('FINISHED');
    const run = await client.getRun(runId);
    expect(run.data.params).toContainEqual({ key: 'eta', value: '0.05' });
    expect(run.data.metrics.find((m) => m.key === 'loss')?.step).toBe(1_199);
    const all = await client.searchAllRuns({ experimentIds: [experiment.experiment_id], maxResults: 1 });
    expect(all.map((r) => r.info.run_id).sort()).toEqual([...runIds].sort());
    try {
      await client.getRun('0'.repeat(32));
      expect.unreachable('a missing run was found');
    } catch (error) {
      expect(isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')).toBe(true);
    }
    if (proxiedArtifactPath(run.info.artifact_uri) !== undefined) {
      const bytes = new Uint8Array([1, 2, 3, 255]);
      await client.uploadRunArtifact(run.info.artifact_uri, 'model/w.f32', bytes);
      expect(await client.downloadRunArtifact(run.info.artifact_uri, 'model/w.f32')).toEqual(bytes);
    } else {
      console.info(
        `artifact upload not checked: the server's artifact root ${run.info.artifact_uri} is not proxied`,
      );
    }
  });

  it('registers a model, creates versions and moves aliases', async () => {
    const name = `dcgrid-live-${suffix}`;
    await client.getOrCreateRegisteredModel(name, { description: 'dcgrid live test' });
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
    expect(await client.getModelVersionByAlias(name, 'champion')).toBeUndefined();
    const versions = await client.searchAllModelVersions({ filter: `name='${name}'`, maxResults: 1 });
    expect(versions.map((v) => v.version).sort()).toEqual([v1.version, v2.version].sort());
  });
});

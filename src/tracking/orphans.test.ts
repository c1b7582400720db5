import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { EmbeddedTracker } from './embedded/tracker.js';
import { getRun } from './embedded/queries.js';
import { MlflowClient } from './mlflow/client.js';
import { markOrphanedRuns } from './orphans.js';
import { startChild } from './test-support/child.js';
import { MlflowStandIn } from './test-support/mlflow-server.js';

describe('runs left RUNNING by a process that died', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(() => store?.dispose());

  it('are marked FAILED at the next start after kill -9, and live runs are left alone', async () => {
    const child = startChild('src/tracking/test-support/run-child.ts', { DCGRID_TEST_DB_URL: store.url! });
    const [runId] = await child.ready;
    const live = await new EmbeddedTracker(store).startRun({ experiment: 'dcgrid-IE', name: 'this process' });
    expect(await markOrphanedRuns(store)).toEqual([]);

    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    expect((await getRun(store, runId!))!.status).toBe('RUNNING');

    const orphans = await markOrphanedRuns(store);
    expect(orphans).toEqual([{ runId, name: 'child training', pid: child.process.pid, mlflowRunId: null }]);
    const run = await getRun(store, runId!);
    expect(run).toMatchObject({ status: 'FAILED', error: `process ${child.process.pid} died` });
    expect(run!.endTime).not.toBeNull();
    expect((await getRun(store, live.runId))!.status).toBe('RUNNING');
    expect(await markOrphanedRuns(store)).toEqual([]);
    await live.end('FINISHED');
  });

  it('tells a recycled pid from the original process by its start time', async () => {
    const run = await new EmbeddedTracker(store, {
      pid: process.pid,
      start: 'an-earlier-process',
      host: 'this-host',
    }).startRun({
      experiment: 'dcgrid-IE',
      name: 'pid reused',
    });
    const orphans = await markOrphanedRuns(store, { host: 'this-host' });
    expect(orphans.map((o) => o.runId)).toEqual([run.runId]);
  });

  it('leaves runs of other hosts alone and marks the MLflow mirror FAILED too', async () => {
    const mlflow = await MlflowStandIn.start();
    try {
      const client = new MlflowClient({ trackingUri: mlflow.url, retries: 0 });
      const experiment = await client.getOrCreateExperiment('dcgrid-IE');
      const mirrored = await client.createRun({
        experimentId: experiment.experiment_id,
        runName: 'x',
        startTime: 1,
      });
      const elsewhere = await new EmbeddedTracker(store, {
        pid: 1,
        start: undefined,
        host: 'other-host',
      }).startRun({
        experiment: 'dcgrid-IE',
        name: 'other host',
      });
      const dead = await new EmbeddedTracker(store, {
        pid: 4194305,
        start: undefined,
        host: 'this-host',
      }).startRun({
        experiment: 'dcgrid-IE',
        name: 'dead here',
      });
      await store.db
        .updateTable('dcgrid.runs')
        .set({ mlflow_run_id: mirrored.info.run_id })
        .where('run_id', '=', dead.runId)
        .execute();
      const orphans = await markOrphanedRuns(store, { host: 'this-host', mlflow: client });
      expect(orphans).toEqual([
        { runId: dead.runId, name: 'dead here', pid: 4194305, mlflowRunId: mirrored.info.run_id },
      ]);
      expect(mlflow.run(mirrored.info.run_id)!.info.status).toBe('FAILED');
      expect(mlflow.run(mirrored.info.run_id)!.tags).toContainEqual({
        key: 'dcgrid.error',
        value: 'process 4194305 died',
      });
      expect((await getRun(store, elsewhere.runId))!.status).toBe('RUNNING');
    } finally {
      await mlflow.close();
    }
  });
});

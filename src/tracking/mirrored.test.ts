import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { getRun } from './embedded/queries.js';
import { EmbeddedTracker } from './embedded/tracker.js';
import { MlflowClient } from './mlflow/client.js';
import { MlflowTracker } from './mlflow/tracker.js';
import { MirroredTracker } from './mirrored.js';
import { openTracker } from './open.js';
import { MlflowStandIn } from './test-support/mlflow-server.js';
import { withRun } from './with-run.js';

const point = (step: number) => ({ key: 'loss', value: 1 / (step + 1), step, timestamp: 1_000 + step });

describe('embedded tracking mirrored to MLflow', () => {
  let store: TestStore;
  let server: MlflowStandIn;
  const tracker = () =>
    new MirroredTracker(
      new EmbeddedTracker(store),
      new MlflowTracker(
        new MlflowClient({ trackingUri: server.url, retries: 1, backoffMs: 1, timeoutMs: 2_000 }),
      ),
    );
  beforeAll(async () => {
    store = await createTestStore('pglite');
    server = await MlflowStandIn.start();
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
  });

  it('is what the settings give when MLFLOW_TRACKING_URI is http(s), and embedded alone otherwise', () => {
    const env = (uri?: string) => loadConfig(uri ? { MLFLOW_TRACKING_URI: uri } : {}, { dotenv: false });
    expect(openTracker(env(server.url), store).backend).toBe('embedded+mlflow');
    expect(openTracker(env(), store).backend).toBe('embedded');
    expect(openTracker(env('file:///tmp/mlruns'), store).backend).toBe('embedded');
  });

  it('writes every call to both and links the two runs', async () => {
    const run = await tracker().startRun({ experiment: 'dcgrid-IE', name: 'train', tags: { model: 'xgb' } });
    await run.logParams({ eta: 0.05 });
    await run.logMetrics([point(0), point(1)]);
    await run.setTag('stage', 'done');
    await run.end('FINISHED');
    const local = await getRun(store, run.runId);
    expect(local).toMatchObject({
      status: 'FINISHED',
      params: { eta: '0.05' },
      tags: { model: 'xgb', stage: 'done' },
    });
    const remote = server.run(local!.mlflowRunId!)!;
    expect(remote.info.status).toBe('FINISHED');
    expect(remote.tags).toContainEqual({ key: 'dcgrid.run_id', value: run.runId });
    expect(remote.metrics).toHaveLength(2);
    const experiment = await store.db
      .selectFrom('dcgrid.experiments')
      .selectAll()
      .where('name', '=', 'dcgrid-IE')
      .executeTakeFirstOrThrow();
    expect(experiment.mlflow_experiment_id).toBe(remote.info.experiment_id);
  });

  it('fails the run with a clear message when MLflow goes down mid-run', async () => {
    const flaky = await MlflowStandIn.start();
    const t = new MirroredTracker(
      new EmbeddedTracker(store),
      new MlflowTracker(
        new MlflowClient({ trackingUri: flaky.url, retries: 1, backoffMs: 1, timeoutMs: 1_000 }),
      ),
    );
    let runId = '';
    const training = withRun(
      t,
      { experiment: 'dcgrid-IE', name: 'mlflow dies', signals: false },
      async (run) => {
        runId = run.runId;
        await run.logMetrics([point(0)]);
        await flaky.close();
        await run.logMetrics([point(1)]);
      },
    );
    await expect(training).rejects.toThrow(`MLflow at ${flaky.url} is unreachable`);
    const local = await getRun(store, runId);
    expect(local!.status).toBe('FAILED');
    expect(local!.error).toContain(`MLflow at ${flaky.url} is unreachable`);
    expect(local!.error).toContain(`MLflow run ${local!.mlflowRunId} not updated`);
  });

  it('marks the run FAILED, not FINISHED, when MLflow cannot be told it finished', async () => {
    const run = await tracker().startRun({ experiment: 'dcgrid-IE', name: 'finish fails' });
    server.failNext(2);
    await expect(run.end('FINISHED')).rejects.toThrow(/TEMPORARILY_UNAVAILABLE/);
    const local = await getRun(store, run.runId);
    expect(local!.status).toBe('FAILED');
    expect(local!.error).toMatch(/^MLflow run [0-9a-f]{32} not updated: .*TEMPORARILY_UNAVAILABLE/);
  });

  it('does not leave a RUNNING row when MLflow refuses the run at the start', async () => {
    const gone = await MlflowStandIn.start();
    const url = gone.url;
    await gone.close();
    const t = new MirroredTracker(
      new EmbeddedTracker(store),
      new MlflowTracker(new MlflowClient({ trackingUri: url, retries: 0, timeoutMs: 1_000 })),
    );
    await expect(t.startRun({ experiment: 'dcgrid-NI', name: 'never' })).rejects.toThrow(/is unreachable/);
    const rows = await store.db
      .selectFrom('dcgrid.runs')
      .select(['status', 'error'])
      .where('name', '=', 'never')
      .execute();
    expect(rows).toEqual([
      {
        status: 'FAILED',
        error: expect.stringMatching(/^could not start the MLflow run: MLflow at .* is unreachable/),
      },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { createTestStore, TEST_BACKENDS, type TestStore } from '../../store/test-support/stores.js';
import { experimentName } from '../tracker.js';
import { EmbeddedTracker } from './tracker.js';
import { getMetricHistory, getRun } from './queries.js';

describe.each(TEST_BACKENDS)('embedded tracker on %s', (kind) => {
  let store: TestStore;
  let tracker: EmbeddedTracker;
  beforeAll(async () => {
    store = await createTestStore(kind);
    tracker = new EmbeddedTracker(store);
  });
  afterAll(() => store?.dispose());

  it('creates an experiment once and finds it again by name', async () => {
    const first = await tracker.getOrCreateExperiment(experimentName('IE'));
    const second = await tracker.getOrCreateExperiment('dcgrid-IE');
    expect(first).toEqual(second);
    expect(first.name).toBe('dcgrid-IE');
    const other = await tracker.getOrCreateExperiment('dcgrid-NI');
    expect(other.id).not.toBe(first.id);
  });

  it('records a run from start to FINISHED with params, a training curve, tags and artifacts', async () => {
    const run = await tracker.startRun({
      experiment: 'dcgrid-IE',
      name: 'train xgb',
      tags: { model: 'xgb' },
    });
    expect(run.runId).toMatch(/^[0-9a-f]{32}$/);
    await run.logParams({ max_depth: 6, eta: 0.05, hist: true, features: 'a,b' });
    await run.logParams({ max_depth: 6 }); // the same value again is allowed
    const t0 = Date.UTC(2025, 0, 1);
    const curve = Array.from({ length: 2500 }, (_, step) => ({
      key: 'train_pinball',
      value: 1 / (step + 1),
      step,
      timestamp: t0 + step,
    }));
    await run.logMetrics(curve);
    await run.logMetrics([{ key: 'day_ahead_mase', value: 0.82, step: 0, timestamp: t0 }]);
    await run.setTag('stage', 'training');
    await run.setTag('stage', 'registered');
    await run.logArtifacts([
      {
        path: 'model/metadata.json',
        uri: 'file:///tmp/a/metadata.json',
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
      },
    ]);
    await run.end('FINISHED');

    const stored = await getRun(store, run.runId);
    expect(stored).toMatchObject({
      experiment: 'dcgrid-IE',
      name: 'train xgb',
      status: 'FINISHED',
      error: null,
      pid: process.pid,
      params: { max_depth: '6', eta: '0.05', hist: 'true', features: 'a,b' },
      tags: { model: 'xgb', stage: 'registered' },
    });
    expect(stored!.endTime!.getTime()).toBeGreaterThanOrEqual(stored!.startTime.getTime());
    const history = await getMetricHistory(store, run.runId, 'train_pinball');
    expect(history).toHaveLength(2500);
    expect(history[0]).toEqual({ key: 'train_pinball', value: 1, step: 0, timestamp: t0 });
    expect(history[2499]!.value).toBeCloseTo(1 / 2500, 12);
    const artifacts = await store.db
      .selectFrom('dcgrid.run_artifacts')
      .selectAll()
      .where('run_id', '=', run.runId)
      .execute();
    expect(artifacts).toHaveLength(1);
    expect(artifacts[0]).toMatchObject({ path: 'model/metadata.json', size_bytes: 10 });
  });

  it('refuses to change a param, to log after the end and to end twice', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'strict' });
    await run.logParams({ seed: 1 });
    await expect(run.logParams({ seed: 2 })).rejects.toThrow(
      /param "seed" was logged as "1"; params are set once/,
    );
    await run.end('FAILED', 'training diverged');
    await expect(run.logMetrics([{ key: 'x', value: 1, step: 0, timestamp: 0 }])).rejects.toThrow(
      /has ended/,
    );
    await expect(run.end('FINISHED')).rejects.toThrow(/has ended already/);
    expect(await getRun(store, run.runId)).toMatchObject({ status: 'FAILED', error: 'training diverged' });
  });

  it('stores NaN metrics (a diverged loss is worth keeping) and rejects malformed points', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'nan' });
    await run.logMetrics([{ key: 'loss', value: Number.NaN, step: 3, timestamp: 1 }]);
    expect((await getMetricHistory(store, run.runId, 'loss'))[0]!.value).toBeNaN();
    const bad = run.logMetrics([{ key: 'bad key!', value: 1, step: 0, timestamp: 1 }]);
    await expect(bad).rejects.toSatisfy((e) => isDcgridError(e, 'E_TRACKING'));
    await expect(run.logMetrics([{ key: 'loss', value: 1, step: 0.5, timestamp: 1 }])).rejects.toThrow(
      /integer/,
    );
    await run.end('KILLED', 'stopped by SIGTERM');
  });

  it('will not end a run that someone else already marked FAILED', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'swept' });
    await store.db
      .updateTable('dcgrid.runs')
      .set({ status: 'FAILED', end_time: new Date(), error: 'process 1 died' })
      .where('run_id', '=', run.runId)
      .execute();
    await expect(run.end('FINISHED')).rejects.toThrow(
      /was already FAILED \(process 1 died\); cannot mark it FINISHED/,
    );
  });

  it('keeps the status and end time consistent in the table itself', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'constraint' });
    await expect(
      store.db
        .updateTable('dcgrid.runs')
        .set({ status: 'FINISHED' })
        .where('run_id', '=', run.runId)
        .execute(),
    ).rejects.toThrow();
    await expect(
      store.db
        .updateTable('dcgrid.runs')
        .set({ run_id: 'not-hex' })
        .where('run_id', '=', run.runId)
        .execute(),
    ).rejects.toThrow();
    await run.end('FINISHED');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { getRun } from './embedded/queries.js';
import { EmbeddedTracker } from './embedded/tracker.js';
import { endRunOnSignal } from './signals.js';
import { startChild } from './test-support/child.js';
import { withRun } from './with-run.js';

describe('runs stopped by a signal', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(() => store?.dispose());

  it('end KILLED on SIGTERM, and the process exits 143', async () => {
    const child = startChild('src/tracking/test-support/run-child.ts', {
      DCGRID_TEST_DB_URL: store.url!,
      CHILD_SIGNALS: '1',
    });
    const [runId] = await child.ready;
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(143);
    expect(await getRun(store, runId!)).toMatchObject({ status: 'KILLED', error: 'stopped by SIGTERM' });
  });

  it('end KILLED on SIGINT in this process, through the installed handler', async () => {
    const run = await new EmbeddedTracker(store).startRun({ experiment: 'dcgrid-IE', name: 'ctrl-c' });
    const exits: number[] = [];
    const exited = new Promise<void>((resolve) => {
      const remove = endRunOnSignal(run, {
        signals: ['SIGINT'],
        exit: (code) => {
          exits.push(code);
          remove();
          resolve();
        },
      });
    });
    process.emit('SIGINT', 'SIGINT');
    await exited;
    expect(exits).toEqual([130]);
    expect(await getRun(store, run.runId)).toMatchObject({ status: 'KILLED', error: 'stopped by SIGINT' });
  });

  it('withRun ends FINISHED on success and FAILED with the message on error', async () => {
    const tracker = new EmbeddedTracker(store);
    let ok = '';
    const value = await withRun(
      tracker,
      { experiment: 'dcgrid-IE', name: 'ok', signals: false },
      async (run) => {
        ok = run.runId;
        await run.logParams({ a: 1 });
        return 42;
      },
    );
    expect(value).toBe(42);
    expect((await getRun(store, ok))!.status).toBe('FINISHED');
    let bad = '';
    await expect(
      withRun(tracker, { experiment: 'dcgrid-IE', name: 'bad', signals: false }, async (run) => {
        bad = run.runId;
        throw new Error('training data has a 3-day gap');
      }),
    ).rejects.toThrow('3-day gap');
    expect(await getRun(store, bad)).toMatchObject({
      status: 'FAILED',
      error: 'training data has a 3-day gap',
    });
  });
});

/**
 * Fault drills, kill -9: a first and an incremental ingest, `train` (xgb and a short tft) and
 * `pipeline`, each killed at a seeded random point (src/cli/test-support/drills.ts), on both
 * backends (tft and pipeline on PostgreSQL only). After each: the tables hold the old or the new state, the champion is unchanged unless
 * the killed command finished, the next command leaves no RUNNING run behind, and a re-run gives
 * the rows (or metrics) of an uninterrupted run. Small demo data (two months) keep it short.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { createTestStore, TEST_BACKENDS, type TestStore } from '../store/test-support/stores.js';
import {
  champion,
  championWithRun,
  dataState,
  killAtRandomPoint,
  lineCount,
  runningRuns,
  targetEnv,
  withStore,
  type DataState,
  type DrillTarget,
} from './test-support/drills.js';
import { runCliProcess, type CliExit } from './test-support/spawn-cli.js';

const SETTINGS = {
  FORECAST_HORIZON_H: '24',
  CONTEXT_LENGTH_H: '168',
  VALIDATION_HOURS: '168',
  TRAIN_DAYS: '42',
  BACKTEST_WEEKS: '1',
  SEED: '7',
};
const XGB = ['train', '--model', 'xgb', '--target', 'demand_mw', '--params', '{"xgb":{"rounds":20}}'];
const TFT = [
  'train',
  ...['--model', 'tft', '--target', 'demand_mw'],
  ...[
    '--params',
    '{"tft":{"hiddenSize":4,"attentionHeads":2,"maxEpochs":1,"windowStride":24,"batchSize":32}}',
  ],
];
const PIPELINE = ['pipeline', '--no-ingest', '--targets', 'demand_mw', '--models', 'snaive168'];

/** A command that must succeed: exit 0 and no stack trace on stderr. */
function ok(exit: CliExit): CliExit {
  if (exit.code !== 0 || /\n\s+at /.test(exit.stderr))
    throw new Error(`exit ${exit.code ?? exit.signal}:\n${exit.stderr}`);
  return exit;
}

let root = '';
let rawA = '';
let rawB = '';
let stateA: DataState;
let stateB: DataState;
let ingestLines = 0;
let incrementalLines = 0;
let referenceStore: TestStore | undefined;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dcgrid-drills-kill-'));
  rawA = join(root, 'raw-a');
  rawB = join(root, 'raw-b');
  // B is A plus two more weeks: an ingest of B after A is an incremental one.
  await writeDemoRawDir(rawA, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 9, 15) });
  await writeDemoRawDir(rawB, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 10, 1) });
  // The uninterrupted runs every drill compares with (the digests agree across backends).
  referenceStore = await createTestStore('postgres');
  const reference: DrillTarget = {
    kind: 'postgres',
    url: referenceStore.url!,
    home: join(root, 'reference'),
  };
  const referenceEnv = { ...SETTINGS, ...targetEnv(reference) };
  const first = ok(await runCliProcess(['--raw-dir', rawA, 'ingest'], referenceEnv));
  stateA = await withStore(reference, dataState);
  const incremental = ok(await runCliProcess(['--raw-dir', rawB, 'ingest'], referenceEnv));
  stateB = await withStore(reference, dataState);
  ingestLines = lineCount(first);
  incrementalLines = lineCount(incremental);
  expect(stateA.observations).toBeGreaterThan(0);
  expect(stateB.observations).toBeGreaterThan(stateA.observations);
}, 300_000);
afterAll(async () => {
  await referenceStore?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.each(TEST_BACKENDS)('kill -9 drills on %s', (kind) => {
  const stores: TestStore[] = [];
  let drill: DrillTarget;
  let env: Record<string, string>;

  beforeAll(async () => {
    const home = await mkdtemp(join(root, `${kind}-`));
    if (kind === 'postgres') {
      const store = await createTestStore('postgres');
      stores.push(store);
      drill = { kind, url: store.url!, home };
    } else {
      drill = { kind, home };
    }
    env = { ...SETTINGS, ...targetEnv(drill) };
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) await store.dispose();
  });

  it('a first ingest killed at a random point leaves nothing or all of it; a re-run stores the same rows', async () => {
    const { killed } = await killAtRandomPoint(
      `${kind}-first-ingest`,
      ['--raw-dir', rawA, 'ingest'],
      env,
      ingestLines,
    );
    const after = await withStore(drill, dataState);
    if (after.observations === 0) {
      expect(killed).toBe(true);
      expect(after.features).toBe(0);
    } else {
      expect(after).toEqual(stateA);
    }
    ok(await runCliProcess(['--raw-dir', rawA, 'ingest'], env));
    expect(await withStore(drill, dataState)).toEqual(stateA);
  }, 300_000);

  it('an incremental ingest killed at a random point leaves the old or the new state; a re-run completes it', async () => {
    await killAtRandomPoint(
      `${kind}-incremental-ingest`,
      ['--raw-dir', rawB, 'ingest'],
      env,
      incrementalLines,
    );
    const after = await withStore(drill, dataState);
    expect([stateA, stateB]).toContainEqual(after);
    ok(await runCliProcess(['--raw-dir', rawB, 'ingest'], env));
    expect(await withStore(drill, dataState)).toEqual(stateB);
  }, 300_000);

  it('train xgb killed at a random point keeps the champion; the re-run scores as an uninterrupted run', async () => {
    const first = ok(await runCliProcess(['--json', ...XGB], env));
    const metrics = (JSON.parse(first.stdout) as { metrics: Record<string, number> }).metrics;
    const before = await withStore(drill, champion);
    expect(before).toBe('xgb v1');
    const { killed } = await killAtRandomPoint(`${kind}-train-xgb`, XGB, env, lineCount(first));
    if (killed) expect(await withStore(drill, champion)).toBe(before);
    const again = ok(await runCliProcess(['--json', ...XGB], env));
    expect((JSON.parse(again.stdout) as { metrics: Record<string, number> }).metrics).toEqual(metrics);
    expect(await withStore(drill, runningRuns)).toEqual([]);
  }, 300_000);

  // The same tracking and registry code as above on the embedded store; PostgreSQL only, to keep
  // the suite short (each PGlite command opens its database for seconds).
  it.runIf(kind === 'postgres')(
    'train tft and pipeline killed at random points keep the champion; the next pipeline leaves no RUNNING run',
    async () => {
      // Unchanged, unless a run of the killed command finished first (a pipeline's train step
      // registers its model before the pipeline's forecast step).
      const keptOrFinished = async (before: string | null) => {
        const now = await withStore(drill, championWithRun);
        if (now?.champion !== before) expect(now?.runStatus).toBe('FINISHED');
        return now?.champion ?? null;
      };
      const before = await withStore(drill, champion);
      await killAtRandomPoint(`${kind}-train-tft`, TFT, env, 4);
      const afterTft = await keptOrFinished(before);
      await killAtRandomPoint(`${kind}-pipeline`, PIPELINE, env, 4);
      await keptOrFinished(afterTft);
      ok(await runCliProcess(PIPELINE, env));
      await withStore(drill, async (store) => {
        expect(await runningRuns(store)).toEqual([]);
        const last = await store.db
          .selectFrom('dcgrid.runs')
          .select(['status'])
          .where('name', '=', 'pipeline')
          .orderBy('start_time', 'desc')
          .executeTakeFirstOrThrow();
        expect(last.status).toBe('FINISHED');
      });
    },
    300_000,
  );
});

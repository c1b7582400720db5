import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArtifactStore } from '../artifacts/file/store.js';
import { isDcgridError } from '../lib/errors.js';
import { createTestStore, TEST_BACKENDS, type TestStore } from '../store/test-support/stores.js';
import { EmbeddedTracker } from '../tracking/embedded/tracker.js';
import { ModelRegistry } from './registry.js';
import { registration } from './test-support/fixtures.js';

const IE = { region: 'IE', target: 'dc_load_mw' } as const;
const CODE = { version: '0.1.0', gitCommit: 'c0ffee0' };

describe.each(TEST_BACKENDS)('model registry on %s', (kind) => {
  let store: TestStore;
  let root: string;
  let artifacts: FileArtifactStore;
  let registry: ModelRegistry;
  let tracker: EmbeddedTracker;
  beforeAll(async () => {
    store = await createTestStore(kind);
    root = await mkdtemp(join(tmpdir(), 'dcgrid-registry-'));
    artifacts = new FileArtifactStore(`file://${root}`);
    registry = new ModelRegistry(store, artifacts, { promotionMetric: 'day_ahead_mase', code: CODE });
    tracker = new EmbeddedTracker(store);
  });
  afterAll(async () => {
    await store?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('makes the first version champion and stores its files, metadata and run index', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'train xgb' });
    const result = await registry.registerModelVersion(registration({ runId: run.runId, mase: 0.9 }));
    await run.end('FINISHED');
    expect(result).toMatchObject({ ...IE, model: 'xgb', version: 1, alias: 'champion' });
    expect(result.reason).toBe('day_ahead_mase 0.9; no champion yet for IE/dc_load_mw');
    expect(result.artifactUri).toBe(`file://${root}/models/IE/dc_load_mw/xgb/1/`);

    const champion = await registry.getChampion(IE);
    expect(champion).toMatchObject({ model: 'xgb', version: 1, alias: 'champion', runId: run.runId });
    expect(champion!.metadata).toMatchObject({
      runId: run.runId,
      features: ['demand_mw', 'hour_sin', 'hour_cos'],
      trainingWindow: { from: '2023-01-01T00:00:00.000Z', to: '2025-05-31T23:00:00.000Z' },
      metrics: { day_ahead_mase: 0.9 },
      dataFingerprint: 'sha256:data-1',
      code: CODE,
    });
    const loaded = await registry.loadVersion({ ...IE, model: 'xgb', version: 1 });
    expect(loaded.files['model-p50.ubj']).toEqual(registration().files['model-p50.ubj']);
    const index = await store.db
      .selectFrom('dcgrid.run_artifacts')
      .select(['path', 'uri'])
      .where('run_id', '=', run.runId)
      .execute();
    expect(index.map((r) => r.path).sort()).toEqual([
      'models/xgb/v1/config.json',
      'models/xgb/v1/model-p50.ubj',
      'models/xgb/v1/weights.f32',
    ]);
  });

  it('keeps the champion when the new version does not beat it, and replaces it when it does', async () => {
    const worse = await registry.registerModelVersion(registration({ mase: 0.95, seed: 2 }));
    expect(worse).toMatchObject({ version: 2, alias: 'challenger' });
    expect(worse.reason).toBe('day_ahead_mase 0.95 does not beat champion xgb v1 (0.9)');
    const tie = await registry.registerModelVersion(registration({ mase: 0.9, seed: 3 }));
    expect(tie.alias).toBe('challenger');
    // A different model competes for the same (region, target).
    const better = await registry.registerModelVersion(registration({ model: 'tft', mase: 0.8, seed: 4 }));
    expect(better).toMatchObject({
      model: 'tft',
      version: 1,
      alias: 'champion',
      replaced: { model: 'xgb', version: 1 },
    });
    expect(better.reason).toBe('day_ahead_mase 0.8 beats champion xgb v1 (0.9)');
    const aliases = (await registry.list(IE)).map((v) => `${v.model}:${v.version}:${v.alias}`);
    expect(aliases).toEqual(['tft:1:champion', 'xgb:3:challenger', 'xgb:2:challenger', 'xgb:1:challenger']);
  });

  it('never lets a version without a finite metric become champion', async () => {
    const result = await registry.registerModelVersion(registration({ mase: Number.NaN, seed: 5 }));
    expect(result.alias).toBe('challenger');
    expect(result.reason).toBe('no finite day_ahead_mase in its backtest: not eligible for champion');
    expect((await registry.list({ ...IE, model: 'xgb', version: 4 }))[0]!.metrics.day_ahead_mase).toBeNull();
  });

  it('enforces one champion per (region, target) in the database itself', async () => {
    const twoChampions = store.db
      .updateTable('dcgrid.models')
      .set({ alias: 'champion' })
      .where('region', '=', 'IE')
      .where('model', '=', 'xgb')
      .where('version', '=', 2)
      .execute();
    await expect(twoChampions).rejects.toThrow(/models_one_champion|duplicate key/);
  });

  it('promotes by hand and rolls back through the champion history', async () => {
    const promoted = await registry.promote({ ...IE, model: 'xgb', version: 2 });
    expect(promoted).toMatchObject({
      changed: true,
      champion: { model: 'xgb', version: 2 },
      previous: { model: 'tft', version: 1, alias: 'challenger' },
    });
    const again = await registry.promote({ ...IE, model: 'xgb', version: 2 });
    expect(again).toMatchObject({ changed: false, reason: 'xgb v2 is champion already' });
    await expect(registry.promote({ ...IE, model: 'xgb', version: 99 })).rejects.toSatisfy((e) =>
      isDcgridError(e, 'E_NOT_FOUND'),
    );

    // Champions so far: xgb v1, tft v1, xgb v2 (current).
    const first = await registry.rollback(IE);
    expect(first).toMatchObject({
      champion: { model: 'tft', version: 1 },
      previous: { model: 'xgb', version: 2, alias: 'retired' },
    });
    expect(first.reason).toBe('rolled back from xgb v2 to tft v1');
    const second = await registry.rollback(IE);
    expect(second.champion).toMatchObject({ model: 'xgb', version: 1 });
    await expect(registry.rollback(IE)).rejects.toThrow(
      /no earlier champion to roll back to \(current: xgb v1\)/,
    );
    expect(await registry.getChampion(IE)).toMatchObject({ model: 'xgb', version: 1 });
    const history = await registry.history(IE);
    expect(history[0]).toMatchObject({ action: 'rollback', alias: 'champion', model: 'xgb', version: 1 });
    expect(history.filter((e) => e.alias === 'retired').map((e) => `${e.model}:${e.version}`)).toEqual([
      'tft:1',
      'xgb:2',
    ]);
    // A retired version can still be promoted by hand.
    await registry.promote({ ...IE, model: 'tft', version: 1 }, 'fixed the data issue');
    expect((await registry.getChampion(IE))!.model).toBe('tft');
  });

  it('refuses a failed run, an unknown run and an unknown target', async () => {
    const run = await tracker.startRun({ experiment: 'dcgrid-IE', name: 'bad' });
    await run.end('FAILED', 'NaN loss at round 12');
    await expect(
      registry.registerModelVersion(registration({ runId: run.runId, mase: 0.01 })),
    ).rejects.toThrow(
      `run ${run.runId} is FAILED (NaN loss at round 12): a failed run cannot register a model`,
    );
    await expect(registry.registerModelVersion(registration({ runId: 'a'.repeat(32) }))).rejects.toThrow(
      /does not exist/,
    );
    await expect(registry.registerModelVersion(registration({ target: 'load' }))).rejects.toThrow(
      /unknown target "load"/,
    );
    expect((await registry.getChampion(IE))!.model).toBe('tft');
  });

  it('leaves no row and no files when registration fails midway, and reuses the version number', async () => {
    const before = await registry.list(IE);
    const failing = registry.registerModelVersion(
      registration({
        seed: 6,
        mase: 0.01,
        onFile: (_name, index) => {
          if (index === 2) throw new Error('disk went away');
        },
      }),
    );
    await expect(failing).rejects.toThrow('disk went away');
    expect(await registry.list(IE)).toEqual(before);
    expect(await artifacts.hasVersion({ ...IE, model: 'xgb', version: 5 })).toBe(false);
    expect((await registry.getChampion(IE))!.model).toBe('tft');
    const next = await registry.registerModelVersion(registration({ seed: 7, mase: 2 }));
    expect(next.version).toBe(5);
  });

  it('skips a version number whose files exist without a row (a registration that died after writing)', async () => {
    const orphan = { ...IE, model: 'xgb', version: 6 };
    await artifacts.writeVersion(orphan, registration().files, {
      runId: null,
      createdAt: new Date().toISOString(),
      features: [],
      params: {},
      trainingWindow: null,
      metrics: {},
      dataFingerprint: 'x',
      code: CODE,
    });
    const next = await registry.registerModelVersion(registration({ seed: 8, mase: 3 }));
    expect(next.version).toBe(7);
  });

  it('lets several registrations of one (region, target) run at once without clashing', async () => {
    const results = await Promise.all(
      [0.5, 0.4, 0.6].map((mase, i) =>
        registry.registerModelVersion(registration({ model: 'lgbm', seed: 20 + i, mase })),
      ),
    );
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3]);
    const champion = await registry.getChampion(IE);
    expect(champion!.metrics.day_ahead_mase).toBe(0.4);
    expect(await registry.list({ ...IE, alias: 'champion' })).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { getModelFactory } from '../models/catalog.js';
import { syntheticLoadFrame } from '../models/xgb/synthetic-series.js';
import { createTestStore, TEST_BACKENDS, type TestStore } from '../store/test-support/stores.js';
import { runBacktest, type BacktestResult } from './engine.js';
import { METRIC_NAMES } from './metrics.js';
import { loadBacktest, metricRows, saveBacktest } from './store.js';

const frame = syntheticLoadFrame({ hours: 24 * 7 * 6, seed: 8, start: Date.UTC(2023, 3, 3) });
let result: BacktestResult;

beforeAll(async () => {
  result = await runBacktest(
    frame,
    {
      region: 'IE',
      target: 'load',
      models: ['snaive24', 'snaive168'],
      horizon: 36,
      origins: { weeks: 1, originHour: 0, everyH: 24 },
      trainHours: 24 * 7 * 3,
    },
    { factory: getModelFactory },
  );
});

async function count(
  store: TestStore,
  table: 'dcgrid.backtests' | 'dcgrid.backtest_metrics',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(TEST_BACKENDS)('backtest results on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  }, 60_000);
  afterAll(() => store?.dispose());

  it('writes the backtest and every metric, and reads them back', async () => {
    const written = await saveBacktest(store, result, 'run-1');
    // Two models x (36 horizon hours + 2 scopes) x every metric.
    expect(written).toBe(2 * (36 + 2) * METRIC_NAMES.length);
    expect(await count(store, 'dcgrid.backtest_metrics')).toBe(written);
    const stored = await loadBacktest(store.db, result.backtestId);
    expect(stored).toMatchObject({
      backtestId: result.backtestId,
      region: 'IE',
      target: 'load',
      models: ['snaive24', 'snaive168'],
      horizon: 36,
      originCount: 7,
      firstOrigin: new Date(result.origins[0]!),
      lastOrigin: new Date(result.origins[6]!),
      refitEveryH: 168,
      runId: 'run-1',
    });
    expect(stored.createdAt.getTime()).toBe(result.createdAt.getTime());
    expect(stored.config).toMatchObject({ seed: 42, trainHours: 504, quantiles: [0.1, 0.5, 0.9] });
    expect(stored.config.originTimes).toHaveLength(7);
    for (const model of result.models) {
      expect(stored.metrics[model.model]!.scopes).toEqual(model.scopes);
      expect(stored.metrics[model.model]!.byHorizon).toEqual(model.byHorizon);
    }
  });

  it('writes nothing when the write fails part-way', async () => {
    const before = [await count(store, 'dcgrid.backtests'), await count(store, 'dcgrid.backtest_metrics')];
    // The second model's rows collide with the first's on the primary key, in the middle of the COPY,
    // after the backtests row went in.
    const clash: BacktestResult = {
      ...result,
      backtestId: `${result.backtestId}_clash`,
      models: [result.models[0]!, { ...result.models[1]!, model: result.models[0]!.model }],
    };
    expect([...metricRows(clash)].length).toBe(2 * (36 + 2) * METRIC_NAMES.length);
    const error = await saveBacktest(store, clash).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect([await count(store, 'dcgrid.backtests'), await count(store, 'dcgrid.backtest_metrics')]).toEqual(
      before,
    );
    expect(
      isDcgridError(await loadBacktest(store.db, clash.backtestId).catch((e: unknown) => e), 'E_NOT_FOUND'),
    ).toBe(true);
  });
});

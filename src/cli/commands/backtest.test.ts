import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { isDcgridError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { HOUR_MS } from '../../lib/time.js';
import { syntheticLoadFrame } from '../../models/xgb/synthetic-series.js';
import { copyChunks, type CopyValue } from '../../store/copy-text.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import type { CommandContext } from '../context.js';
import { createOutput } from '../output.js';
import { createProgress } from '../progress.js';
import { backtestAction, backtestSettings, type BacktestCliOptions } from './backtest.js';

const START = Date.UTC(2023, 3, 3);
const WEEKS = 10;

function context(store: TestStore, printed: string[], progressLines: string[]): CommandContext {
  const stream = {
    isTTY: false,
    write: (text: string) => progressLines.push(text),
  } as unknown as NodeJS.WriteStream;
  return {
    config: loadConfig({ DATABASE_URL: store.url, REGION: 'IE', TARGETS: 'demand_mw' }, { dotenv: false }),
    out: createOutput(false, (text) => printed.push(text)),
    progress: createProgress({ enabled: true, stream }),
    log: createLogger('test', 'silent'),
    signal: new AbortController().signal,
    store: async () => store,
  };
}

describe('dcgrid backtest', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    // Ten weeks of a seasonal demand series for IE, a day of future rows without demand, and NI rows.
    const demand = syntheticLoadFrame({ hours: 24 * 7 * WEEKS, seed: 31, start: START }).columns.load!;
    const rows: CopyValue[][] = [];
    for (let i = 0; i < demand.length + 24; i++) {
      const ts = new Date(START + i * HOUR_MS);
      rows.push(['IE', ts, i < demand.length ? 3 * demand[i]! : null, '{}']);
      rows.push(['NI', ts, 700, '{}']);
    }
    await store.transaction((tx) =>
      tx.copyIn('dcgrid.features_hourly', ['region', 'ts_utc', 'demand_mw', 'flags'], copyChunks(rows)),
    );
  }, 60_000);
  afterAll(() => store?.dispose());

  it('backtests the store, stores the results and prints the table', async () => {
    const printed: string[] = [];
    const progress: string[] = [];
    const options: BacktestCliOptions = {
      models: 'snaive24,snaive168,mstl',
      weeks: '1',
      horizon: '48',
      trainDays: '42',
      params: '{"mstl":{"calibrationOrigins":2}}',
    };
    const result = await backtestAction(context(store, printed, progress), options);
    expect(result.origins).toHaveLength(7);
    // The last origin leaves 48 h of known demand: the future rows without demand do not count.
    const endOfDemand = START + 24 * 7 * WEEKS * HOUR_MS;
    expect(result.origins.at(-1)).toBe(endOfDemand - 48 * HOUR_MS);

    const header = await store.db
      .selectFrom('dcgrid.backtests')
      .selectAll()
      .where('backtest_id', '=', result.backtestId)
      .executeTakeFirstOrThrow();
    expect(header).toMatchObject({
      region: 'IE',
      target: 'demand_mw',
      models: ['snaive24', 'snaive168', 'mstl'],
      horizon_h: 48,
      origins: 7,
      refit_every_h: 168,
      run_id: null,
    });
    expect(header.first_origin).toEqual(new Date(result.origins[0]!));
    expect(header.config).toMatchObject({
      trainHours: 42 * 24,
      seed: 42,
      params: { mstl: { calibrationOrigins: 2 } },
    });

    const metrics = await store.db
      .selectFrom('dcgrid.backtest_metrics')
      .select(['model', 'scope', 'horizon_h', 'metric', 'value'])
      .where('backtest_id', '=', result.backtestId)
      .execute();
    expect(metrics).toHaveLength(3 * (48 + 2) * 10);
    const dayAheadMase = (model: string) =>
      metrics.find((r) => r.model === model && r.scope === 'day_ahead' && r.metric === 'mase')!.value!;
    expect(dayAheadMase('snaive168')).toBeCloseTo(result.models[1]!.scopes.day_ahead.mase, 12);
    expect(dayAheadMase('mstl')).toBeGreaterThan(0);
    const points = metrics.find(
      (r) => r.model === 'mstl' && r.scope === 'horizon' && r.horizon_h === 48 && r.metric === 'n',
    );
    expect(points?.value).toBe(7);

    const text = printed.join('');
    expect(text).toContain(`backtest ${result.backtestId}: demand_mw in IE, 7 origins`);
    expect(text).toMatch(
      /model\s+scope\s+MAE\s+RMSE\s+MAPE %\s+sMAPE %\s+MASE\s+pinball\s+P10-P90 cover\s+points/,
    );
    expect(text).toMatch(/snaive168\s+day-ahead/);
    expect(text).toMatch(/mstl\s+1-48 h/);
    expect(text).toContain(`1 row in dcgrid.backtests, ${3 * 50 * 10} in dcgrid.backtest_metrics`);
    expect(
      progress.filter((line) => /^(snaive24|snaive168|mstl)\s*: \d fits?, 7 origins/.test(line)),
    ).toHaveLength(3);
  }, 120_000);

  it('exports every scored forecast beside its actual as CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcgrid-export-'));
    try {
      const file = join(dir, 'forecasts.csv');
      const result = await backtestAction(context(store, [], []), {
        models: 'snaive168',
        weeks: '1',
        horizon: '24',
        trainDays: '42',
        export: file,
      });
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('model,origin,horizon,ts,p10,p50,p90,actual');
      expect(lines).toHaveLength(1 + result.origins.length * 24);
      const [model, origin, horizon, ts, p10, p50, p90, actual] = lines[1 + 24 + 5]!.split(',');
      expect({ model, origin, horizon, ts }).toEqual({
        model: 'snaive168',
        origin: new Date(result.origins[1]!).toISOString(),
        horizon: '6',
        ts: new Date(result.origins[1]! + 5 * HOUR_MS).toISOString(),
      });
      expect(Number(p10)).toBeLessThanOrEqual(Number(p50));
      expect(Number(p50)).toBeLessThanOrEqual(Number(p90));
      // The actual is the stored demand of that hour (three times the synthetic load).
      const row = Math.round((result.origins[1]! + 5 * HOUR_MS - START) / HOUR_MS);
      const demand = syntheticLoadFrame({ hours: 24 * 7 * WEEKS, seed: 31, start: START }).columns.load!;
      expect(Number(actual)).toBeCloseTo(3 * demand[row]!, 6);
      const mae =
        lines
          .slice(1)
          .map((line) => line.split(','))
          .reduce((sum, f) => sum + Math.abs(Number(f[7]) - Number(f[5])), 0) /
        (lines.length - 1);
      expect(mae).toBeCloseTo(result.models[0]!.scopes.day_ahead.mae, 6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('reads TRAIN_DAYS, VALIDATION_HOURS and SEED like train and pipeline', () => {
    const config = loadConfig(
      { TARGETS: 'demand_mw', TRAIN_DAYS: '400', VALIDATION_HOURS: '500', SEED: '9' },
      { dotenv: false },
    );
    expect(backtestSettings({}, config, ['snaive24'])).toMatchObject({
      trainHours: 400 * 24,
      validationHours: 500,
      seed: 9,
    });
    expect(backtestSettings({ trainDays: '30', validationH: '48' }, config, ['snaive24'])).toMatchObject({
      trainHours: 30 * 24,
      validationHours: 48,
    });
  });

  it('fails clearly on settings it cannot use', async () => {
    const config = loadConfig({ TARGETS: 'demand_mw' }, { dotenv: false });
    const code = (options: BacktestCliOptions) => {
      try {
        backtestSettings(options, config, ['snaive24']);
        return 'ok';
      } catch (error) {
        return isDcgridError(error) ? error.code : String(error);
      }
    };
    expect(code({ weeks: 'two' })).toBe('E_CONFIG_INVALID');
    expect(code({ from: '2024-01-01' })).toBe('E_CONFIG_INVALID');
    expect(code({ from: '2024-01-01', to: 'someday' })).toBe('E_CONFIG_INVALID');
    expect(code({ from: '2024-01-01', to: '2024-01-02', weeks: '2' })).toBe('E_CONFIG_INVALID');
    expect(code({ target: 'flags' })).toBe('E_CONFIG_INVALID');
    expect(code({ params: '[1]' })).toBe('E_CONFIG_INVALID');
    expect(
      backtestSettings({ from: '2024-01-01T00:00Z', to: '2024-01-08T00:00Z' }, config, ['snaive24']),
    ).toMatchObject({
      target: 'demand_mw',
      models: ['snaive24'],
      horizon: 168,
      origins: { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8), everyH: 24 },
    });
    const printed: string[] = [];
    const error = await backtestAction(context(store, printed, []), {
      models: 'snaive24,arima',
      weeks: '1',
    }).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain(
      'known models: snaive24, snaive168, mstl, prophet, xgb, tft, eventclim, xgbevent, ensemble',
    );
  });
});

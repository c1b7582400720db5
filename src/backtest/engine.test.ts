import { describe, expect, it } from 'vitest';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { getModelFactory } from '../models/catalog.js';
import { syntheticLoadFrame } from '../models/xgb/synthetic-series.js';
import { improvementOver, newBacktestId, runBacktest, scopeMetric, type BacktestProgress } from './engine.js';
import { mae, mase, seasonalNaiveScale } from './metrics.js';

// Ten weeks from Monday 3 April 2023, daily origins over the last two weeks with 48 h horizons.
const frame = syntheticLoadFrame({ hours: 24 * 7 * 10, seed: 4, start: Date.UTC(2023, 3, 3) });
const load = frame.columns.load!;
const base = {
  region: 'IE' as const,
  target: 'load',
  horizon: 48,
  origins: { weeks: 2, originHour: 0, everyH: 24 },
  trainHours: 24 * 7 * 6,
};
const factory = getModelFactory;

describe('backtest engine', () => {
  it('scores every model on the same origins and matches a hand-rolled seasonal naive', async () => {
    const result = await runBacktest(frame, { ...base, models: ['snaive168', 'snaive24'] }, { factory });
    expect(result.origins).toHaveLength(14);
    expect(result.origins.every((o) => new Date(o).getUTCHours() === 0)).toBe(true);
    expect(result.models.map((m) => m.model)).toEqual(['snaive168', 'snaive24']);
    expect(result.backtestId).toMatch(/^bt_\d{14}_[0-9a-f]{6}$/);

    // The weekly seasonal naive by hand: forecast y[t - 168], MASE scale from the 6 weeks before each origin.
    const actual: number[] = [];
    const predicted: number[] = [];
    const scales: number[] = [];
    for (const origin of result.origins) {
      const row = (origin - frame.ts[0]!) / HOUR_MS;
      const scale = seasonalNaiveScale(load.subarray(row - 24 * 7 * 6, row), 168);
      for (let h = 0; h < 24; h++) {
        actual.push(load[row + h]!);
        predicted.push(load[row + h - 168]!);
        scales.push(scale);
      }
    }
    const weekly = result.models[0]!;
    expect(weekly.scopes.day_ahead.n).toBe(14 * 24);
    expect(weekly.scopes.day_ahead.mae).toBeCloseTo(mae(actual, predicted), 9);
    expect(weekly.scopes.day_ahead.mase).toBeCloseTo(mase(actual, predicted, scales), 9);
    expect(weekly.byHorizon).toHaveLength(48);
    expect(weekly.byHorizon[0]!.n).toBe(14);
    // The week-ahead scope is hours 1..48 here (the horizon is shorter than a week).
    expect(weekly.scopes.week_ahead.n).toBe(14 * 48);
    expect(weekly.scopes.day_ahead.coverage).toBeGreaterThan(0.5);
    expect(scopeMetric(result, 'snaive168', 'mase')).toBe(weekly.scopes.day_ahead.mase);
    expect(improvementOver(result, 'snaive168')).toBe(0);
    expect(improvementOver(result, 'snaive24', 'snaive168', 'mae', 'week_ahead')).toBeCloseTo(
      1 - result.models[1]!.scopes.week_ahead.mae / weekly.scopes.week_ahead.mae,
      12,
    );
  });

  it('refits on the configured cadence', async () => {
    const fits = async (refitEveryH: number) =>
      (await runBacktest(frame, { ...base, models: ['snaive24'], refitEveryH }, { factory })).models[0]!.fits;
    expect(await fits(168)).toBe(2);
    expect(await fits(0)).toBe(1);
    expect(await fits(24)).toBe(14);
    expect(await fits(48)).toBe(7);
  });

  it('reports progress per model and origin, and gives the same numbers on a rerun', async () => {
    const progress: BacktestProgress[] = [];
    const config = {
      ...base,
      models: ['snaive24', 'mstl'],
      seed: 7,
      params: { mstl: { calibrationOrigins: 3 } },
    };
    const first = await runBacktest(frame, config, { factory, onProgress: (p) => progress.push(p) });
    const forecasts = progress.filter((p) => p.phase === 'forecast');
    expect(forecasts).toHaveLength(28);
    expect(forecasts.filter((p) => p.model === 'mstl').map((p) => p.originsDone)).toEqual(
      Array.from({ length: 14 }, (_, i) => i + 1),
    );
    expect(progress.some((p) => p.phase === 'fit' && p.model === 'mstl')).toBe(true);
    expect(forecasts.every((p) => p.originsTotal === 14)).toBe(true);
    const second = await runBacktest(frame, config, { factory });
    expect(second.models.map((m) => m.scopes)).toEqual(first.models.map((m) => m.scopes));
    expect(second.backtestId).not.toBe(first.backtestId);
  });

  it('stops at the next step when aborted', async () => {
    const controller = new AbortController();
    const reason = new DcgridError(ErrorCodes.INTERRUPTED, 'interrupted by SIGINT');
    const error = await runBacktest(
      frame,
      { ...base, models: ['snaive24', 'snaive168'] },
      {
        factory,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.originsDone === 3) controller.abort(reason);
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBe(reason);
  });

  it('refuses settings it cannot run with clear errors', async () => {
    const code = async (input: Parameters<typeof runBacktest>[1]) =>
      runBacktest(frame, input, { factory }).then(
        () => 'resolved',
        (e: unknown) => (isDcgridError(e) ? e.code : String(e)),
      );
    expect(await code({ ...base, models: ['arima'] })).toBe('E_CONFIG_INVALID');
    expect(await code({ ...base, models: ['snaive24', 'snaive24'] })).toBe('E_CONFIG_INVALID');
    expect(await code({ ...base, models: ['snaive24'], quantiles: [0.1, 0.9] })).toBe('E_CONFIG_INVALID');
    expect(await code({ ...base, models: ['snaive24'], target: 'demand' })).toBe('E_VALUE_INVALID');
    expect(
      await code({ ...base, models: ['snaive24'], origins: { weeks: 10, originHour: 0, everyH: 24 } }),
    ).toBe('E_TRAINING_DATA');
  });

  it('names backtests by UTC creation time', () => {
    expect(newBacktestId(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toMatch(/^bt_20250102030405_[0-9a-f]{6}$/);
  });
});

import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import { syntheticLoadFrame } from '../xgb/synthetic-series.js';
import type { FitOptions, HourlyFrame } from '../types.js';
import { snaive168Factory, snaive24Factory } from './index.js';
import { sortedQuantile } from './quantile-grid.js';
import { levelAround } from './model.js';

const T0 = Date.UTC(2024, 0, 1);

function frameOf(values: number[], start = T0): HourlyFrame {
  return {
    ts: Float64Array.from(values, (_, i) => start + i * HOUR_MS),
    columns: { load: Float64Array.from(values) },
  };
}

function head(frame: HourlyFrame, hours: number): HourlyFrame {
  return {
    ts: frame.ts.slice(0, hours),
    columns: Object.fromEntries(Object.entries(frame.columns).map(([k, v]) => [k, v.slice(0, hours)])),
  };
}

const options = (horizon: number): FitOptions => ({
  horizon,
  contextLength: 168,
  quantiles: [0.1, 0.5, 0.9],
  seed: 1,
  validationHours: 0,
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('seasonal naive forecasters', () => {
  // Hour-of-day profile plus a day counter: y_t - y_{t-24k} = k exactly.
  const ramp = Array.from({ length: 24 * 14 }, (_, i) => 100 * (i % 24) + Math.floor(i / 24));

  it('repeats the same hour one season before, and the last season for h > season', async () => {
    const model = snaive24Factory.create();
    await model.fit({ region: 'IE', target: 'load', frame: frameOf(ramp) }, options(48));
    const n = ramp.length;
    const history = frameOf(ramp);
    const forecast = await model.forecast(history, { horizon: 48 });
    expect(forecast.origin).toBe(T0 + n * HOUR_MS);
    expect(forecast.ts[0]).toBe(forecast.origin);
    expect(forecast.ts[47]).toBe(forecast.origin + 47 * HOUR_MS);
    const p50 = forecast.values[1]!;
    for (let h = 1; h <= 24; h++) expect(p50[h - 1]).toBe(ramp[n + h - 1 - 24]);
    // Hours 25..48 also come from the last known day (two seasons before the forecast hour).
    for (let h = 25; h <= 48; h++) expect(p50[h - 1]).toBe(ramp[n + h - 1 - 48]);
    // Errors are exactly +1 one day back and +2 two days back: P90 adds them, P10 never crosses P50.
    expect(forecast.values[2]![0]).toBe(p50[0]! + 1);
    expect(forecast.values[2]![30]).toBe(p50[30]! + 2);
    expect(forecast.values[0]![0]).toBe(p50[0]);
  });

  it('keeps a real P10 below P50 when every in-sample error is positive (a growing series)', async () => {
    // Every day is higher than the one before by 1 to 5: all errors > 0, with a spread.
    const growing: number[] = [];
    for (let i = 0; i < 24 * 28; i++) growing.push(i < 24 ? 100 : growing[i - 24]! + 1 + (i % 5));
    const model = snaive24Factory.create();
    await model.fit({ region: 'IE', target: 'load', frame: frameOf(growing) }, options(24));
    const forecast = await model.forecast(frameOf(growing), { horizon: 24 });
    for (let h = 0; h < 24; h++) {
      const [p10, p50, p90] = [0, 1, 2].map((q) => forecast.values[q]![h]!);
      expect(p10).toBeLessThan(p50!);
      expect(p90).toBeGreaterThan(p50!);
    }
    expect(levelAround(100, 2, 3, 0.1)).toBe(99); // errors 2..5 above: 1 below, the spread under their median
    expect(levelAround(100, -4, -1, 0.1)).toBe(96);
    expect(levelAround(100, -1, -3, 0.9)).toBe(102);
    expect(levelAround(100, 7, 1, 0.5)).toBe(100);
  });

  it('goes one more season back when the value a season before is missing', async () => {
    const model = snaive24Factory.create();
    await model.fit({ region: 'IE', target: 'load', frame: frameOf(ramp) }, options(24));
    const gappy = [...ramp];
    const n = gappy.length;
    gappy[n - 24] = NaN; // the value forecast hour 1 would copy
    const forecast = await model.forecast(frameOf(gappy), { horizon: 24 });
    expect(forecast.values[1]![0]).toBe(ramp[n - 48]);
    expect(forecast.values[1]![1]).toBe(ramp[n - 23]);
  });

  it('takes P10/P90 from the empirical in-sample errors of the same horizon bucket', async () => {
    const frame = syntheticLoadFrame({ hours: 24 * 7 * 12, seed: 5, start: Date.UTC(2023, 3, 3) });
    const y = frame.columns.load!;
    const model = snaive168Factory.create();
    await model.fit(
      { region: 'IE', target: 'load', frame },
      { ...options(168), params: { errorWindowHours: 24 * 7 * 4 } },
    );
    const errors: number[] = [];
    for (let t = y.length - 24 * 7 * 4; t < y.length; t++) errors.push(y[t]! - y[t - 168]!);
    errors.sort((a, b) => a - b);
    const forecast = await model.forecast(frame, { horizon: 168 });
    const base = y[y.length - 168]!;
    expect(forecast.values[1]![0]).toBe(base);
    expect(forecast.values[0]![0]).toBeCloseTo(Math.min(base, base + sortedQuantile(errors, 0.1)), 9);
    expect(forecast.values[2]![0]).toBeCloseTo(Math.max(base, base + sortedQuantile(errors, 0.9)), 9);
    // Other levels inside the grid can be asked for.
    const wide = await model.forecast(frame, { horizon: 24, quantiles: [0.05, 0.5, 0.95] });
    expect(wide.quantiles).toEqual([0.05, 0.5, 0.95]);
    expect(wide.values[2]![0]! - wide.values[0]![0]!).toBeGreaterThan(
      forecast.values[2]![0]! - forecast.values[0]![0]!,
    );
  });

  it('gives honest P10-P90 coverage out of sample', async () => {
    const frame = syntheticLoadFrame({ hours: 24 * 7 * 20, seed: 9, start: Date.UTC(2023, 2, 6) });
    const y = frame.columns.load!;
    const model = snaive168Factory.create();
    const trainEnd = 24 * 7 * 12;
    await model.fit({ region: 'IE', target: 'load', frame: head(frame, trainEnd) }, options(168));
    let inside = 0;
    let total = 0;
    for (let origin = trainEnd; origin + 168 <= y.length; origin += 24) {
      const forecast = await model.forecast(head(frame, origin), { horizon: 168 });
      for (let h = 0; h < 168; h++) {
        const actual = y[origin + h]!;
        if (actual >= forecast.values[0]![h]! && actual <= forecast.values[2]![h]!) inside++;
        total++;
      }
    }
    expect(inside / total).toBeGreaterThan(0.7);
    expect(inside / total).toBeLessThan(0.9);
  });

  it('saves to JSON and loads to the same forecasts; describes itself', async () => {
    const frame = syntheticLoadFrame({ hours: 24 * 7 * 6, seed: 2 });
    const model = snaive24Factory.create();
    await model.fit({ region: 'IE', target: 'load', frame }, options(72));
    const files = await model.save();
    expect(Object.keys(files)).toEqual(['model.json']);
    const loaded = await snaive24Factory.load(files);
    expect(loaded.name).toBe('snaive24');
    const a = await model.forecast(frame, { horizon: 72 });
    const b = await loaded.forecast(frame, { horizon: 72 });
    expect(b.values).toEqual(a.values);
    const description = loaded.describe();
    expect(description).toMatchObject({ model: 'snaive24', target: 'load', region: 'IE', horizon: 72 });
    expect(description.params).toEqual({ season: 24, errorWindowHours: 1344 });
    expect((description.details!.errorsPerBucket as number[]).length).toBe(3);
    expect(isDcgridError(await caught(snaive168Factory.load(files)), 'E_ARTIFACT')).toBe(true);
    expect(isDcgridError(await caught(snaive24Factory.load({})), 'E_ARTIFACT')).toBe(true);
  });

  it('refuses what it cannot do with typed errors', async () => {
    const model = snaive168Factory.create();
    const short = frameOf(ramp.slice(0, 168 + 10));
    expect(
      isDcgridError(
        await caught(model.fit({ region: 'IE', target: 'load', frame: short }, options(24))),
        'E_TRAINING_DATA',
      ),
    ).toBe(true);
    expect(isDcgridError(await caught(model.forecast(short, { horizon: 24 })), 'E_MODEL')).toBe(true);
    await model.fit({ region: 'IE', target: 'load', frame: frameOf(ramp) }, options(24));
    expect(
      isDcgridError(await caught(model.forecast(frameOf(ramp), { horizon: 25 })), 'E_VALUE_INVALID'),
    ).toBe(true);
    expect(
      isDcgridError(
        await caught(model.fit({ region: 'IE', target: 'nope', frame: frameOf(ramp) }, options(24))),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
    model.dispose();
    model.dispose();
    expect(isDcgridError(await caught(model.forecast(frameOf(ramp), { horizon: 1 })), 'E_MODEL')).toBe(true);
  });
});

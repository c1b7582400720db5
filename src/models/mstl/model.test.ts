import { beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import { syntheticLoadFrame } from '../xgb/synthetic-series.js';
import type { FitOptions, FitReport, HourlyFrame } from '../types.js';
import { imputeSeasonal } from './impute.js';
import { mstlFactory, type MstlForecaster } from './index.js';

function head(frame: HourlyFrame, hours: number): HourlyFrame {
  return {
    ts: frame.ts.slice(0, hours),
    columns: Object.fromEntries(Object.entries(frame.columns).map(([k, v]) => [k, v.slice(0, hours)])),
  };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const H = 168;
const options: FitOptions = {
  horizon: H,
  contextLength: 168,
  quantiles: [0.1, 0.5, 0.9],
  seed: 1,
  validationHours: 0,
};
// Starts in April: no clock change and no public holiday in the evaluated weeks.
const frame = syntheticLoadFrame({ hours: 24 * 7 * 14, seed: 17, start: Date.UTC(2023, 3, 3) });
const load = frame.columns.load!;
const TRAIN = 24 * 7 * 11;

describe('imputeSeasonal', () => {
  it('fills a gap from the week before, else the day before, else the last value', () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => i);
    values[10] = NaN; // no week or day before: last value (9)
    values[30] = NaN; // a day before only: values[6]
    values[200] = NaN; // a week before: values[32]
    values[0] = NaN; // leading gap: the first known value after it
    const out = imputeSeasonal(values, 'load');
    expect([out[0], out[10], out[30], out[200]]).toEqual([1, 9, 6, 32]);
    expect(out[201]).toBe(201);
  });

  it('refuses a window that is mostly missing', () => {
    const values = new Float64Array(400).fill(NaN);
    values[3] = 1;
    let error: unknown;
    try {
      imputeSeasonal(values, 'load');
    } catch (e) {
      error = e;
    }
    expect(isDcgridError(error, 'E_VALUE_INVALID')).toBe(true);
  });
});

describe('mstl forecaster', () => {
  let model: MstlForecaster;
  let report: FitReport;

  beforeAll(async () => {
    model = mstlFactory.create() as MstlForecaster;
    report = await model.fit({ region: 'IE', target: 'load', frame: head(frame, TRAIN) }, options);
  });

  it('calibrates its intervals on rolling origins inside the training frame', () => {
    expect(report.metrics.calibration_origins).toBe(14);
    expect(report.metrics.day_ahead_error_p10).toBeLessThan(0);
    expect(report.metrics.day_ahead_error_p90).toBeGreaterThan(0);
    const details = model.describe().details!;
    expect(details).toMatchObject({ calibrated: true, calibrationOrigins: 14 });
    expect(details.errorP90PerBlock as number[]).toHaveLength(7);
  });

  it('forecasts from the latest history with ordered quantiles, better than a week-old copy in the first hours', async () => {
    let inside = 0;
    let total = 0;
    let mstlError = 0;
    let naiveError = 0;
    for (let origin = TRAIN; origin + H <= load.length; origin += 24) {
      const forecast = await model.forecast(head(frame, origin), { horizon: H });
      expect(forecast.origin).toBe(frame.ts[origin]);
      expect(forecast.ts[H - 1]).toBe(frame.ts[origin]! + (H - 1) * HOUR_MS);
      const [p10, p50, p90] = forecast.values as [Float64Array, Float64Array, Float64Array];
      for (let h = 0; h < H; h++) {
        expect(p10[h]!).toBeLessThanOrEqual(p50[h]!);
        expect(p50[h]!).toBeLessThanOrEqual(p90[h]!);
        const actual = load[origin + h]!;
        if (actual >= p10[h]! && actual <= p90[h]!) inside++;
        total++;
        // The first hours, where the last observed level still tells something.
        if (h < 6) {
          mstlError += Math.abs(actual - p50[h]!);
          naiveError += Math.abs(actual - load[origin + h - 168]!);
        }
      }
    }
    expect(inside / total).toBeGreaterThan(0.65);
    expect(inside / total).toBeLessThan(0.95);
    expect(mstlError).toBeLessThan(naiveError);
  });

  it('saves its window and calibration, and the loaded model forecasts the same', async () => {
    const files = await model.save();
    const loaded = await mstlFactory.load(files);
    const origin = TRAIN + 48;
    const a = await model.forecast(head(frame, origin), { horizon: 48 });
    const b = await loaded.forecast(head(frame, origin), { horizon: 48 });
    expect(b.values).toEqual(a.values);
    // At the end of its own training window the loaded model reuses the fit it made on load.
    const atEnd = await loaded.forecast(head(frame, TRAIN), { horizon: H });
    const refit = await model.forecast(head(frame, TRAIN), { horizon: H });
    expect(atEnd.values).toEqual(refit.values);
    expect(loaded.describe()).toMatchObject({ model: 'mstl', target: 'load', contextLength: 1344 });
    loaded.dispose();
    loaded.dispose();
    expect(
      isDcgridError(
        await caught(mstlFactory.load({ 'model.json': new TextEncoder().encode('{}') })),
        'E_ARTIFACT',
      ),
    ).toBe(true);
  });

  it('uses the raw augurs intervals when there is nothing to calibrate on', async () => {
    const raw = mstlFactory.create();
    await raw.fit(
      { region: 'IE', target: 'load', frame: head(frame, TRAIN) },
      { ...options, params: { calibrationOrigins: 0 } },
    );
    expect(raw.describe().details).toMatchObject({ calibrated: false });
    const forecast = await raw.forecast(head(frame, TRAIN), {
      horizon: 24,
      quantiles: [0.05, 0.1, 0.5, 0.9],
    });
    const [p05, p10, p50, p90] = forecast.values as [Float64Array, Float64Array, Float64Array, Float64Array];
    expect(p05[0]!).toBeLessThan(p10[0]!);
    expect(p10[0]!).toBeLessThan(p50[0]!);
    expect(p90[0]!).toBeGreaterThan(p50[0]!);
    raw.dispose();
  });

  it('refuses too short a history and unknown parameters', async () => {
    const fresh = mstlFactory.create();
    expect(
      isDcgridError(
        await caught(fresh.fit({ region: 'IE', target: 'load', frame: head(frame, 300) }, options)),
        'E_TRAINING_DATA',
      ),
    ).toBe(true);
    expect(
      isDcgridError(
        await caught(
          fresh.fit({ region: 'IE', target: 'load', frame }, { ...options, params: { season: 3 } }),
        ),
        'E_CONFIG_INVALID',
      ),
    ).toBe(true);
    expect(
      isDcgridError(await caught(model.forecast(head(frame, 200), { horizon: 24 })), 'E_TRAINING_DATA'),
    ).toBe(true);
  });
});

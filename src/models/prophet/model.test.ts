import { beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import { syntheticLoadFrame } from '../xgb/synthetic-series.js';
import type { FitOptions, FitReport, HourlyFrame } from '../types.js';
import { holidayOccurrences } from './model.js';
import { prophetFactory, type ProphetForecaster } from './index.js';

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
const START = Date.UTC(2023, 3, 3);
const frame = syntheticLoadFrame({ hours: 24 * 7 * 21, seed: 17, start: START });
const load = frame.columns.load!;
// Trained up to 1 August 2023 00:00 UTC on 14 weeks, which hold 1 May and 5 June (bank holidays).
const TRAIN = (Date.UTC(2023, 7, 1) - START) / HOUR_MS;
const options: FitOptions = {
  horizon: H,
  contextLength: 168,
  quantiles: [0.1, 0.5, 0.9],
  seed: 3,
  validationHours: 0,
  params: { windowHours: 24 * 7 * 14 },
};

describe('holidayOccurrences', () => {
  it('gives each Irish public holiday as its local day in UTC seconds', () => {
    const days = holidayOccurrences(Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31));
    // St Patrick's Day 2024 fell on a Sunday: Sunday and the Monday after; GMT, so midnight UTC.
    expect(days).toContainEqual({ start: Date.UTC(2024, 2, 17) / 1000, end: Date.UTC(2024, 2, 18) / 1000 });
    expect(days).toContainEqual({ start: Date.UTC(2024, 2, 18) / 1000, end: Date.UTC(2024, 2, 19) / 1000 });
    // August bank holiday, Irish summer time: the local day starts at 23:00 UTC the evening before.
    expect(days).toContainEqual({
      start: Date.UTC(2024, 7, 4, 23) / 1000,
      end: Date.UTC(2024, 7, 5, 23) / 1000,
    });
  });
});

describe('prophet forecaster', () => {
  let model: ProphetForecaster;
  let report: FitReport;

  beforeAll(async () => {
    model = prophetFactory.create() as ProphetForecaster;
    report = await model.fit({ region: 'IE', target: 'load', frame: head(frame, TRAIN) }, options);
  }, 60_000);

  it('reports in-sample residual quantiles', () => {
    expect(report.metrics.in_sample_mae).toBeGreaterThan(0);
    expect(report.metrics.residual_p10).toBeLessThan(0);
    expect(report.metrics.residual_p90).toBeGreaterThan(0);
  });

  it('forecasts ordered quantiles that cover about 80 % with the accuracy of a week-old copy', async () => {
    let inside = 0;
    let total = 0;
    let error = 0;
    let naiveError = 0;
    for (let origin = TRAIN; origin + H <= load.length; origin += 24) {
      const forecast = await model.forecast(head(frame, origin), { horizon: H });
      expect(forecast.origin).toBe(frame.ts[origin]);
      expect(forecast.ts[H - 1]).toBe(frame.ts[origin + H - 1]);
      const [p10, p50, p90] = forecast.values as [Float64Array, Float64Array, Float64Array];
      for (let h = 0; h < H; h++) {
        expect(p10[h]!).toBeLessThanOrEqual(p50[h]!);
        expect(p90[h]!).toBeGreaterThanOrEqual(p50[h]!);
        const actual = load[origin + h]!;
        if (actual >= p10[h]! && actual <= p90[h]!) inside++;
        total++;
        error += Math.abs(actual - p50[h]!);
        naiveError += Math.abs(actual - load[origin + h - 168]!);
      }
    }
    expect(inside / total).toBeGreaterThan(0.6);
    expect(inside / total).toBeLessThan(0.95);
    // A curve fitted once, three weeks of origins: as accurate as a week-old copy, give or take.
    expect(error).toBeLessThan(1.25 * naiveError);
    // Fifteen refits: about 15 s on a quiet machine, over 90 s on a busy one.
  }, 300_000);

  it('lowers the forecast on a public holiday', async () => {
    const forecast = await model.forecast(head(frame, TRAIN), { horizon: H });
    const p50 = forecast.values[1]!;
    // Tuesday 1 August 12:00 UTC (h = 13) against bank-holiday Monday 7 August 12:00 UTC (h = 157).
    expect(forecast.ts[12]).toBe(Date.UTC(2023, 7, 1, 12));
    expect(forecast.ts[156]).toBe(Date.UTC(2023, 7, 7, 12));
    expect(p50[156]! - p50[12]!).toBeLessThan(-35);
  });

  it('conditions on the history before each origin instead of extrapolating its fitted trend', async () => {
    // The load steps up by 400 MW right after the fit; three weeks later the forecast follows it.
    const shifted: HourlyFrame = {
      ts: frame.ts,
      columns: { load: Float64Array.from(load, (v, i) => (i >= TRAIN ? v + 400 : v)) },
    };
    const origin = TRAIN + 21 * 24;
    const plain = await model.forecast(head(frame, origin), { horizon: 24 });
    const stepped = await model.forecast(head(shifted, origin), { horizon: 24 });
    const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(stepped.values[1]!) - mean(plain.values[1]!)).toBeGreaterThan(250);
  }, 60_000);

  it('forecasts an origin inside its training data as a model fitted on the history before it', async () => {
    const origin = TRAIN - 24 * 7;
    const earlier = await model.forecast(head(frame, origin), { horizon: 24 });
    const fresh = prophetFactory.create();
    try {
      await fresh.fit({ region: 'IE', target: 'load', frame: head(frame, origin) }, options);
      const own = await fresh.forecast(head(frame, origin), { horizon: 24 });
      // Same window, same seed: the same curve and residual quantiles (the wasm optimizer's noise aside).
      for (let q = 0; q < 3; q++) {
        for (let h = 0; h < 24; h++)
          expect(Math.abs(earlier.values[q]![h]! - own.values[q]![h]!)).toBeLessThan(0.5);
      }
      expect(earlier.values[0]![0]!).toBeLessThan(earlier.values[2]![0]!);
    } finally {
      fresh.dispose();
    }
  }, 60_000);

  it('is refit from its saved window on load', async () => {
    const loaded = await prophetFactory.load(await model.save());
    const a = await model.forecast(head(frame, TRAIN + 24), { horizon: H });
    const b = await loaded.forecast(head(frame, TRAIN + 24), { horizon: H });
    // The wasm Stan optimizer is not bit-reproducible from one call to the next within a process
    // (docs/BACKTESTING.md); both refit on the history here and agree to well below a MW.
    for (let q = 0; q < 3; q++) {
      for (let h = 0; h < H; h++) expect(Math.abs(b.values[q]![h]! - a.values[q]![h]!)).toBeLessThan(0.5);
    }
    expect(loaded.describe()).toMatchObject({ model: 'prophet', target: 'load', contextLength: 24 * 7 * 14 });
    loaded.dispose();
    loaded.dispose();
  }, 60_000);

  it('refuses too little data and unknown parameters', async () => {
    const fresh = prophetFactory.create();
    expect(
      isDcgridError(
        await caught(fresh.fit({ region: 'IE', target: 'load', frame: head(frame, 200) }, options)),
        'E_TRAINING_DATA',
      ),
    ).toBe(true);
    expect(
      isDcgridError(
        await caught(
          fresh.fit({ region: 'IE', target: 'load', frame }, { ...options, params: { yearly: true } }),
        ),
        'E_CONFIG_INVALID',
      ),
    ).toBe(true);
    expect(isDcgridError(await caught(fresh.forecast(frame, { horizon: 1 })), 'E_MODEL')).toBe(true);
  });
});

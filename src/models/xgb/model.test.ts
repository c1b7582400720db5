import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../lib/errors.js';
import type { FitOptions, FitReport, Forecast, HourlyFrame, TrainingProgress } from '../types.js';
import { xgbFactory, type XgbForecaster } from './index.js';
import { syntheticLoadFrame } from './synthetic-series.js';
import { LOOKBACK_HOURS } from './features.js';

const H = 168;
const TRAIN_HOURS = 24 * 365;
const HELD_OUT_DAYS = 42;
// Starts in April so the held-out weeks (April-May) hold no Christmas or New Year.
const frame = syntheticLoadFrame({
  hours: TRAIN_HOURS + 24 * HELD_OUT_DAYS,
  seed: 21,
  start: Date.UTC(2022, 3, 1),
});
const load = frame.columns.load!;

function head(source: HourlyFrame, hours: number): HourlyFrame {
  const columns = Object.fromEntries(
    Object.entries(source.columns).map(([name, v]) => [name, v.subarray(0, hours)]),
  );
  return { ts: source.ts.subarray(0, hours), columns };
}

const options: FitOptions = {
  horizon: H,
  contextLength: 336,
  quantiles: [0.1, 0.5, 0.9],
  seed: 42,
  validationHours: 24 * 28,
  params: { maxTrainingRows: 25_000, maxValidationRows: 10_000 },
};

describe('xgb forecaster', () => {
  let model: XgbForecaster;
  let report: FitReport;
  const progress: TrainingProgress[] = [];
  /** Forecasts from held-out origins, one a day, each with its 168 actual values. */
  const heldOut: Array<{ forecast: Forecast; actual: Float64Array; origin: number }> = [];

  beforeAll(async () => {
    model = xgbFactory.create() as XgbForecaster;
    report = await model.fit(
      { region: 'IE', target: 'load', frame: head(frame, TRAIN_HOURS) },
      { ...options, onProgress: (p) => progress.push(p) },
    );
    for (let origin = TRAIN_HOURS; origin + H <= frame.ts.length; origin += 24) {
      const forecast = await model.forecast(head(frame, origin), { horizon: H });
      heldOut.push({ forecast, actual: load.slice(origin, origin + H), origin });
    }
  });

  afterAll(() => model.dispose());

  it('reports the fit: rounds, early stopping, validation metrics and a training curve', () => {
    expect(report.steps).toBeGreaterThan(0);
    expect(report.bestStep).toBeGreaterThan(0);
    expect(report.curve.length).toBeGreaterThan(0);
    expect(report.curve[0]!.metrics).toHaveProperty('valid_pinball_p50');
    expect(report.metrics.valid_coverage_p10).toBeGreaterThan(0);
    expect(report.metrics.valid_coverage_p90).toBeLessThan(1);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.step)).toEqual([...progress.map((p) => p.step)].sort((a, b) => a - b));
    expect(progress.every((p) => p.step <= p.totalSteps)).toBe(true);
    expect(progress.at(-1)!.step).toBe(progress.at(-1)!.totalSteps);
    // Three boosters (seeds) per quantile level, one after the other.
    expect(progress.filter((p) => p.step % 600 === 0).map((p) => p.metrics.quantile)).toEqual([
      0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9,
    ]);
  });

  it('forecasts 168 hours from the origin with ordered quantiles', () => {
    const { forecast, origin } = heldOut[0]!;
    expect(forecast.origin).toBe(frame.ts[origin]);
    expect(forecast.ts.length).toBe(H);
    expect(forecast.ts[0]).toBe(frame.ts[origin]);
    expect(forecast.ts[H - 1]).toBe(frame.ts[origin + H - 1]);
    expect(forecast.quantiles).toEqual([0.1, 0.5, 0.9]);
    for (const { forecast: f } of heldOut) {
      for (let h = 0; h < H; h++) {
        expect(f.values[0]![h]!).toBeLessThanOrEqual(f.values[1]![h]!);
        expect(f.values[1]![h]!).toBeLessThanOrEqual(f.values[2]![h]!);
      }
    }
  });

  it('covers about 80% of held-out hours with P10-P90 and beats seasonal naive by a margin', () => {
    let inside = 0;
    let count = 0;
    let modelError = 0;
    let naiveError = 0;
    for (const { forecast, actual, origin } of heldOut) {
      for (let h = 0; h < H; h++) {
        const y = actual[h]!;
        if (y >= forecast.values[0]![h]! && y <= forecast.values[2]![h]!) inside++;
        modelError += Math.abs(y - forecast.values[1]![h]!);
        naiveError += Math.abs(y - load[origin + h - 168]!);
        count++;
      }
    }
    const coverage = inside / count;
    expect(coverage).toBeGreaterThan(0.68);
    expect(coverage).toBeLessThan(0.92);
    expect(modelError / naiveError).toBeLessThan(0.85);
  });

  it('interpolates requested levels between trained ones and refuses levels outside', async () => {
    const history = head(frame, TRAIN_HOURS);
    const f = await model.forecast(history, { horizon: 24, quantiles: [0.3, 0.5] });
    const trained = heldOut[0]!.forecast;
    for (let h = 0; h < 24; h++) {
      expect(f.values[0]![h]!).toBeCloseTo((trained.values[0]![h]! + trained.values[1]![h]!) / 2, 6);
      expect(f.values[1]![h]).toBe(trained.values[1]![h]);
    }
    await expect(model.forecast(history, { horizon: 24, quantiles: [0.99] })).rejects.toMatchObject({
      code: ErrorCodes.VALUE_INVALID,
    });
    await expect(model.forecast(history, { horizon: H + 1 })).rejects.toMatchObject({
      code: ErrorCodes.VALUE_INVALID,
    });
  });

  it('saves and loads into a forecaster with bit-identical forecasts', async () => {
    const files = await model.save();
    expect(Object.keys(files).sort()).toEqual([
      'config.json',
      ...['p10', 'p50', 'p90'].flatMap((label) => [
        `model-${label}-s1.json`,
        `model-${label}-s1.ubj`,
        `model-${label}-s2.json`,
        `model-${label}-s2.ubj`,
        `model-${label}.json`,
        `model-${label}.ubj`,
      ]),
    ]);
    const xgboostJson = JSON.parse(new TextDecoder().decode(files['model-p50.json'])) as { learner: unknown };
    expect(xgboostJson.learner).toBeDefined();
    const restored = await xgbFactory.load(files);
    try {
      for (const { origin, forecast } of heldOut.slice(0, 5)) {
        expect(await restored.forecast(head(frame, origin), { horizon: H })).toEqual(forecast);
      }
      expect(restored.describe()).toEqual(model.describe());
      // The JSON form alone restores the same model.
      const jsonOnly = Object.fromEntries(Object.entries(files).filter(([name]) => !name.endsWith('.ubj')));
      const fromJson = await xgbFactory.load(jsonOnly);
      expect(await fromJson.forecast(head(frame, TRAIN_HOURS), { horizon: H })).toEqual(heldOut[0]!.forecast);
      fromJson.dispose();
    } finally {
      restored.dispose();
      restored.dispose();
    }
  });

  it('describes features, parameters and gain importance', () => {
    const description = model.describe();
    expect(description).toMatchObject({
      model: 'xgb',
      target: 'load',
      region: 'IE',
      horizon: H,
      contextLength: LOOKBACK_HOURS,
    });
    expect(description.features).toContain('sameHourLastWeek');
    expect(description.params).toMatchObject({ maxDepth: 6, calibration: 'spread', maxTrainingRows: 25_000 });
    expect(description.params).not.toHaveProperty('nthread');
    const gain = (description.details?.gainImportance as Record<string, Record<string, number>>).p50!;
    expect(Object.keys(gain).every((name) => description.features.includes(name))).toBe(true);
    const top = Object.entries(gain)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name]) => name);
    // The daily profile dominates this series: hour-of-day or same-hour lags must rank high.
    expect(top.some((name) => ['hour', 'sameHourLastDay', 'sameHourMean7d', 'lag24h'].includes(name))).toBe(
      true,
    );
  });

  it('explains a forecast with SHAP contributions that add up to it', () => {
    const history = head(frame, TRAIN_HOURS);
    const explanation = model.explain(history, { horizon: H, quantile: 0.5 });
    expect(explanation.features).toEqual(model.describe().features);
    const median = heldOut[0]!.forecast.values[1]!;
    const scale = Math.max(...median) - Math.min(...median);
    for (let h = 0; h < H; h++) {
      let sum = explanation.baseline[h]! + explanation.calibration[h]!;
      for (const name of explanation.features) sum += explanation.contributions[name]![h]!;
      expect(sum).toBeCloseTo(explanation.values[h]!, 6);
      expect(Math.abs(explanation.values[h]! - median[h]!)).toBeLessThan(1e-3 * scale);
    }
    expect(() => model.explain(history, { horizon: 24, quantile: 0.25 })).toThrow(
      /No booster for quantile 0.25/,
    );
  });
});

describe('xgb forecaster input checks', () => {
  const small = head(frame, 24 * 60);

  it('fails early on an all-NaN target, too little history or bad parameters', async () => {
    const model = xgbFactory.create();
    const empty: HourlyFrame = {
      ts: small.ts,
      columns: { load: new Float64Array(small.ts.length).fill(Number.NaN) },
    };
    await expect(model.fit({ region: 'IE', target: 'load', frame: empty }, options)).rejects.toMatchObject({
      code: ErrorCodes.TRAINING_DATA,
      message: expect.stringContaining('no values'),
    });
    await expect(
      model.fit({ region: 'IE', target: 'load', frame: head(frame, 24 * 25) }, options),
    ).rejects.toMatchObject({
      code: ErrorCodes.TRAINING_DATA,
      message: expect.stringContaining('Too little history'),
    });
    await expect(
      model.fit({ region: 'IE', target: 'load', frame: small }, { ...options, params: { maxDepht: 3 } }),
    ).rejects.toMatchObject({ code: ErrorCodes.CONFIG_INVALID });
    await expect(model.fit({ region: 'IE', target: 'missing', frame: small }, options)).rejects.toMatchObject(
      { code: ErrorCodes.TRAINING_DATA },
    );
    await expect(model.forecast(small, { horizon: 24 })).rejects.toMatchObject({ code: ErrorCodes.MODEL });
  });

  it('stops between boosting rounds when the signal is aborted', async () => {
    const model = xgbFactory.create();
    const controller = new AbortController();
    const run = model.fit(
      { region: 'IE', target: 'load', frame: small },
      {
        ...options,
        horizon: 24,
        validationHours: 24 * 7,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await expect(run).rejects.toMatchObject({ code: ErrorCodes.INTERRUPTED });
    expect(() => model.describe()).toThrow(/not fitted/);
  });

  it('uses past values of other columns when asked, and then needs them to forecast', async () => {
    const model = xgbFactory.create();
    try {
      const fit = await model.fit(
        { region: 'NI', target: 'load', frame: small },
        {
          ...options,
          horizon: 24,
          validationHours: 0,
          quantiles: [0.05, 0.5, 0.95],
          params: { pastColumns: ['temperature'], rounds: 30 },
        },
      );
      expect(fit.steps).toBe(30 * 3 * 3);
      expect(model.describe().features).toContain('temperature_mean24h');
      const forecast = await model.forecast(small, { horizon: 24 });
      expect(forecast.quantiles).toEqual([0.05, 0.5, 0.95]);
      const { temperature: _temperature, ...withoutTemperature } = small.columns;
      await expect(
        model.forecast({ ts: small.ts, columns: withoutTemperature }, { horizon: 24 }),
      ).rejects.toMatchObject({ code: ErrorCodes.VALUE_INVALID, location: { column: 'temperature' } });
    } finally {
      model.dispose();
    }
  });
});

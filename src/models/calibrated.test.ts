import { describe, expect, it } from 'vitest';
import { curvesFromGrids, errorGrids, validationOrigins } from './calibration.js';
import { INTERVALS_FILE, withValidationIntervals } from './calibrated.js';
import { fitAt, forecastAt, quantileRow } from './harness.js';
import { snaive24Factory } from './snaive/index.js';
import { gridQuantile } from './snaive/quantile-grid.js';
import type { FitOptions, Forecaster, ModelFactory } from './types.js';
import { syntheticLoadFrame } from './xgb/synthetic-series.js';

const H = 48;
const WEEK = 168;
const frame = syntheticLoadFrame({ hours: WEEK * 12, seed: 21, start: Date.UTC(2023, 0, 2) });
const FIT_AT = frame.ts[WEEK * 10]!;
const settings = {
  region: 'IE' as const,
  target: 'load',
  trainHours: WEEK * 10,
  validationHours: WEEK * 2,
  horizon: H,
  contextLength: 48,
  quantiles: [0.1, 0.5, 0.9],
  seed: 3,
};
const calibrated = withValidationIntervals(snaive24Factory);

async function fitted(
  factory: ModelFactory,
  validationHours = settings.validationHours,
): Promise<Forecaster> {
  const model = factory.create();
  await fitAt(model, frame, FIT_AT, { ...settings, validationHours });
  return model;
}

describe('validation origins and error grids', () => {
  it('puts daily origins in the validation hours, each with its horizon inside the frame', () => {
    expect(validationOrigins(1000, 200, 48)).toEqual([800, 824, 848, 872, 896, 920, 944]);
    expect(validationOrigins(1000, 0, 48)).toEqual([]);
    expect(validationOrigins(100, 200, 48)).toEqual([]);
  });

  it('gives each band its own error distribution and keeps the median', () => {
    // Two origins, horizon 4, bands of 2 hours: errors +-1 in band 0, +-10 in band 1.
    const errors = [-1, 1, -10, 10, 1, -1, 10, -10];
    const grids = errorGrids(errors, 4, 2);
    expect(grids).toHaveLength(2);
    const median = Float64Array.from([100, 100, 100, 100]);
    const [p10, p50, p90] = curvesFromGrids(median, [0.1, 0.5, 0.9], grids, 2);
    expect(Array.from(p50!)).toEqual([100, 100, 100, 100]);
    expect(p90![0]! - 100).toBeCloseTo(gridQuantile(grids[0]!, 0.9) - gridQuantile(grids[0]!, 0.5), 12);
    expect(p90![3]! - 100).toBeGreaterThan(5 * (p90![0]! - 100));
    expect(p10![2]!).toBeLessThan(p10![0]!);
  });
});

describe('withValidationIntervals', () => {
  it("keeps the model's median and sets its intervals from the validation origins' errors", async () => {
    const raw = await fitted(snaive24Factory);
    const model = await fitted(calibrated);
    try {
      const a = await forecastAt(raw, frame, FIT_AT, { horizon: H, quantiles: [0.1, 0.5, 0.9] });
      const b = await forecastAt(model, frame, FIT_AT, { horizon: H, quantiles: [0.1, 0.5, 0.9] });
      expect(Array.from(quantileRow(b, 0.5))).toEqual(Array.from(quantileRow(a, 0.5)));
      const details = model.describe().details as {
        intervals: { method: string; origins: number; p90OffsetPerBand: number[] };
      };
      // 10 weeks, the last 2 for validation: origins every 24 h with 48 h after them.
      expect(details.intervals).toMatchObject({ method: 'validation origins', origins: 13 });
      expect(b.values[2]![0]! - b.values[1]![0]!).toBeCloseTo(details.intervals.p90OffsetPerBand[0]!, 9);

      // By construction about 80 % of the validation points lie inside P10-P90.
      const window = frame.ts.indexOf(FIT_AT) - settings.trainHours;
      let inside = 0;
      let total = 0;
      for (const o of validationOrigins(settings.trainHours, settings.validationHours, H)) {
        const origin = frame.ts[window + o]!;
        const f = await forecastAt(raw, frame, origin, { horizon: H, quantiles: [0.5] });
        const median = quantileRow(f, 0.5);
        // The calibrated offsets are the same at every origin (constant per band).
        const lower = median.map((m, h) => m + (b.values[0]![h]! - b.values[1]![h]!));
        const upper = median.map((m, h) => m + (b.values[2]![h]! - b.values[1]![h]!));
        for (let h = 0; h < H; h++) {
          const y = frame.columns.load![window + o + h]!;
          total++;
          if (y >= lower[h]! && y <= upper[h]!) inside++;
        }
      }
      expect(inside / total).toBeGreaterThan(0.7);
      expect(inside / total).toBeLessThan(0.9);
    } finally {
      raw.dispose();
      model.dispose();
    }
  });

  it('saves its intervals beside the model, and files without them load as the model alone', async () => {
    const model = await fitted(calibrated);
    const raw = await fitted(snaive24Factory);
    try {
      const files = await model.save();
      expect(files[INTERVALS_FILE]).toBeDefined();
      const loaded = await calibrated.load(files);
      const plain = await calibrated.load(await raw.save());
      const options = { horizon: H, quantiles: [0.1, 0.5, 0.9] };
      const a = await forecastAt(model, frame, FIT_AT, options);
      const b = await forecastAt(loaded, frame, FIT_AT, options);
      expect(b.values.map((v) => Array.from(v))).toEqual(a.values.map((v) => Array.from(v)));
      const c = await forecastAt(plain, frame, FIT_AT, options);
      const d = await forecastAt(raw, frame, FIT_AT, options);
      expect(c.values.map((v) => Array.from(v))).toEqual(d.values.map((v) => Array.from(v)));
      expect(plain.describe().details).toMatchObject({ intervals: { method: "the model's own" } });
      loaded.dispose();
      plain.dispose();
    } finally {
      model.dispose();
      raw.dispose();
    }
  });

  it("keeps the model's own intervals when the validation window holds too few origins", async () => {
    const model = await fitted(calibrated, H + 24);
    const raw = await fitted(snaive24Factory, H + 24);
    try {
      expect(model.describe().details).toMatchObject({ intervals: { method: "the model's own" } });
      const options = { horizon: H, quantiles: [0.1, 0.5, 0.9] };
      const a = await forecastAt(model, frame, FIT_AT, options);
      const b = await forecastAt(raw, frame, FIT_AT, options);
      expect(a.values.map((v) => Array.from(v))).toEqual(b.values.map((v) => Array.from(v)));
    } finally {
      model.dispose();
      raw.dispose();
    }
  });

  it('fits a medianOnly model for its median alone and still answers every level', async () => {
    const seen: number[][] = [];
    const recording: ModelFactory = {
      name: 'snaive24',
      create: () => {
        const inner = snaive24Factory.create();
        return {
          name: inner.name,
          fit: (data, options: FitOptions) => {
            seen.push([...options.quantiles]);
            return inner.fit(data, options);
          },
          forecast: (history, options) => inner.forecast(history, options),
          save: () => inner.save(),
          describe: () => inner.describe(),
          dispose: () => inner.dispose(),
        };
      },
      load: (files) => snaive24Factory.load(files),
    };
    const model = await fitted(withValidationIntervals(recording, { medianOnly: true }));
    try {
      expect(seen).toEqual([[0.5]]);
      expect(model.describe().quantiles).toEqual([0.1, 0.5, 0.9]);
      const f = await forecastAt(model, frame, FIT_AT, { horizon: H, quantiles: [0.1, 0.5, 0.9] });
      expect(f.values[0]![0]!).toBeLessThan(f.values[2]![0]!);
    } finally {
      model.dispose();
    }
  });
});

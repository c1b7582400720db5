import { beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { getModelFactory } from '../catalog.js';
import { fitAt, forecastAt } from '../harness.js';
import type { FitReport, Forecaster, TrainingProgress } from '../types.js';
import { syntheticLoadFrame } from '../xgb/synthetic-series.js';
import { createEnsembleFactory } from './index.js';
import { fitWeights } from './weights.js';

const H = 48;
const WEEK = 168;
const frame = syntheticLoadFrame({ hours: WEEK * 12, seed: 5, start: Date.UTC(2023, 0, 2) });
const load = frame.columns.load!;
const FIT_AT = frame.ts[WEEK * 10]!;
const factory = createEnsembleFactory(getModelFactory);
const fitOptions = {
  region: 'IE' as const,
  target: 'load',
  trainHours: WEEK * 10,
  validationHours: WEEK * 2,
  horizon: H,
  contextLength: 48,
  quantiles: [0.1, 0.5, 0.9],
  seed: 3,
  params: { members: ['snaive24', 'snaive168', 'mstl'], memberParams: { mstl: { calibrationOrigins: 3 } } },
};

describe('fitWeights', () => {
  it('puts all weight on a member that is exact, and shares it between complementary ones', () => {
    const actual = Float64Array.from({ length: 50 }, (_, i) => 100 + (i % 7));
    const exact = actual.slice();
    const off = Float64Array.from(actual, (v) => v + 30);
    expect(fitWeights([off, exact], actual)).toEqual([0, 1]);
    const low = Float64Array.from(actual, (v) => v - 10);
    const high = Float64Array.from(actual, (v) => v + 10);
    const weights = fitWeights([low, high], actual);
    expect(weights[0]).toBeCloseTo(0.5, 6);
    expect(weights[0]! + weights[1]!).toBeCloseTo(1, 12);
  });
});

describe('ensemble forecaster', () => {
  let model: Forecaster;
  let report: FitReport;
  const progress: TrainingProgress[] = [];

  beforeAll(async () => {
    model = factory.create();
    report = await fitAt(model, frame, FIT_AT, { ...fitOptions, onProgress: (p) => progress.push(p) });
  }, 120_000);

  it('reports progress in whole, rising steps (the tracker logs them as metric steps)', () => {
    expect(progress.length).toBeGreaterThan(0);
    for (const [i, p] of progress.entries()) {
      expect(Number.isInteger(p.step)).toBe(true);
      expect(p.step).toBeLessThanOrEqual(p.totalSteps);
      if (i > 0) expect(p.step).toBeGreaterThanOrEqual(progress[i - 1]!.step);
    }
    expect(progress.at(-1)!.step).toBe(progress.at(-1)!.totalSteps);
  });

  it('learns weights per horizon band that beat every member on its validation origins', () => {
    const details = model.describe().details as { weightsByBand: Array<Record<string, number | string>> };
    expect(details.weightsByBand.map((b) => b.hours)).toEqual(['1-24', '25-48']);
    for (const band of details.weightsByBand) {
      const sum = ['snaive24', 'snaive168', 'mstl'].reduce((s, m) => s + (band[m] as number), 0);
      expect(sum).toBeCloseTo(1, 9);
    }
    expect(report.metrics.validation_origins).toBe((WEEK * 2 - H) / 24 + 1);
    for (const member of ['snaive24', 'snaive168', 'mstl'])
      expect(report.metrics.valid_mae).toBeLessThanOrEqual(report.metrics[`valid_mae_${member}`]! + 1e-9);
  });

  it('forecasts ordered quantiles that cover the later weeks about as asked', async () => {
    let inside = 0;
    let total = 0;
    for (let o = WEEK * 10; o + H <= load.length; o += 24) {
      const forecast = await forecastAt(model, frame, frame.ts[o]!, {
        horizon: H,
        quantiles: [0.1, 0.5, 0.9],
      });
      const [p10, p50, p90] = forecast.values as [Float64Array, Float64Array, Float64Array];
      for (let h = 0; h < H; h++) {
        expect(p10[h]!).toBeLessThanOrEqual(p50[h]!);
        expect(p50[h]!).toBeLessThanOrEqual(p90[h]!);
        if (load[o + h]! >= p10[h]! && load[o + h]! <= p90[h]!) inside++;
        total++;
      }
    }
    expect(inside / total).toBeGreaterThan(0.6);
    expect(inside / total).toBeLessThan(0.97);
  }, 60_000);

  it('saves its members with it and forecasts the same after loading', async () => {
    const files = await model.save();
    expect(Object.keys(files)).toContain('ensemble.json');
    expect(Object.keys(files).filter((f) => f.startsWith('member.mstl.'))).not.toHaveLength(0);
    const loaded = await factory.load(files);
    try {
      const origin = frame.ts[WEEK * 11]!;
      const a = await forecastAt(model, frame, origin, { horizon: H, quantiles: [0.1, 0.5, 0.9] });
      const b = await forecastAt(loaded, frame, origin, { horizon: H, quantiles: [0.1, 0.5, 0.9] });
      for (let q = 0; q < 3; q++)
        for (let h = 0; h < H; h++) expect(b.values[q]![h]!).toBeCloseTo(a.values[q]![h]!, 6);
      expect(loaded.describe()).toMatchObject({ model: 'ensemble', target: 'load', horizon: H });
    } finally {
      loaded.dispose();
    }
  }, 60_000);

  it('refuses a validation window too short for three origins, and itself as a member', async () => {
    const short = factory.create();
    const error = await fitAt(short, frame, FIT_AT, { ...fitOptions, validationHours: H + 24 }).catch(
      (e: unknown) => e,
    );
    expect(isDcgridError(error, 'E_TRAINING_DATA')).toBe(true);
    const nested = await fitAt(short, frame, FIT_AT, {
      ...fitOptions,
      params: { members: ['ensemble'] },
    }).catch((e: unknown) => e);
    expect(isDcgridError(nested, 'E_CONFIG_INVALID')).toBe(true);
    short.dispose();
  });
});

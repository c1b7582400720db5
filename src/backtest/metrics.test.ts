import { describe, expect, it } from 'vitest';
import {
  intervalCoverage,
  mae,
  mape,
  mase,
  MetricAccumulator,
  pinball,
  pinballLoss,
  rmse,
  seasonalNaiveScale,
  smape,
} from './metrics.js';

// Five forecast points; the fourth has no actual. Every expected value below is worked by hand.
const actual = [100, 200, 0, NaN, 50];
const p10 = [90, 170, 0, 60, 40];
const p50 = [110, 180, 10, 70, 50];
const p90 = [120, 195, 30, 80, 55];

describe('forecast metrics', () => {
  it('MAE and RMSE over the known points', () => {
    // errors 10, 20, 10, (skipped), 0
    expect(mae(actual, p50)).toBe(10);
    expect(rmse(actual, p50)).toBeCloseTo(Math.sqrt(150), 12);
  });

  it('MAPE skips zero actuals; sMAPE is 0..200 %', () => {
    // (10/100 + 20/200 + 0/50) / 3
    expect(mape(actual, p50)).toBeCloseTo(20 / 3, 12);
    // 200·10/210, 200·20/380, 200·10/10, 0
    expect(smape(actual, p50)).toBeCloseTo((2000 / 210 + 4000 / 380 + 200 + 0) / 4, 12);
    expect(smape([0], [0])).toBeNaN();
  });

  it('MASE divides by the seasonal-naive scale, ignoring non-positive scales', () => {
    expect(mase(actual, p50, 20)).toBe(0.5);
    // Per-point scales: 10/10, 20/20, 10/(0 → skipped), 0/5
    expect(mase(actual, p50, [10, 20, 0, 1, 5])).toBeCloseTo(1 / 3 + 1 / 3, 12);
  });

  it('the MASE scale is the in-sample MAE of the seasonal naive', () => {
    // season 2: |3 - 1|, |5 - 2|, (NaN), |4 - 5|
    expect(seasonalNaiveScale([1, 2, 3, 5, NaN, 4], 2)).toBe(2);
    expect(seasonalNaiveScale([1, 2, 3], 168)).toBeNaN();
  });

  it('pinball loss averages over the levels, then the points', () => {
    expect(pinball(100, 90, 0.1)).toBeCloseTo(1, 12);
    expect(pinball(100, 120, 0.9)).toBeCloseTo(2, 12);
    // point means: (1 + 5 + 2)/3, (3 + 10 + 4.5)/3, (0 + 5 + 3)/3, (1 + 0 + 0.5)/3
    expect(pinballLoss(actual, [p10, p50, p90], [0.1, 0.5, 0.9])).toBeCloseTo(35 / 12, 12);
  });

  it('P10-P90 coverage counts bounds as inside', () => {
    // 100 in [90, 120], 200 above 195, 0 on the lower bound, 50 in [40, 55]
    expect(intervalCoverage(actual, p10, p90)).toBe(0.75);
  });

  it('the accumulator agrees with the functions and counts what it left out', () => {
    const accumulator = new MetricAccumulator([0.1, 0.5, 0.9]);
    for (let i = 0; i < actual.length; i++) accumulator.add(actual[i]!, [p10[i]!, p50[i]!, p90[i]!], 20);
    accumulator.add(75, [NaN, 70, 80], 20);
    const values = accumulator.values();
    expect(values.n).toBe(4);
    expect(values.missing_actual).toBe(1);
    expect(values.missing_forecast).toBe(1);
    expect(values.mae).toBe(mae(actual, p50));
    expect(values.rmse).toBeCloseTo(rmse(actual, p50), 12);
    expect(values.mape).toBeCloseTo(mape(actual, p50), 12);
    expect(values.smape).toBeCloseTo(smape(actual, p50), 12);
    expect(values.mase).toBe(mase(actual, p50, 20));
    expect(values.pinball).toBeCloseTo(35 / 12, 12);
    expect(values.coverage).toBe(0.75);
  });

  it('merging accumulators pools their points', () => {
    const first = new MetricAccumulator([0.1, 0.5, 0.9]);
    const second = new MetricAccumulator([0.1, 0.5, 0.9]);
    for (let i = 0; i < actual.length; i++)
      (i < 2 ? first : second).add(actual[i]!, [p10[i]!, p50[i]!, p90[i]!], 20);
    first.merge(second);
    expect(first.values().mae).toBe(10);
    expect(first.values().coverage).toBe(0.75);
    expect(first.values().missing_actual).toBe(1);
  });

  it('no points scored: NaN metrics, zero counts; coverage needs P10 and P90', () => {
    const empty = new MetricAccumulator([0.5]).values();
    expect(empty.mae).toBeNaN();
    expect(empty.n).toBe(0);
    const medianOnly = new MetricAccumulator([0.5]);
    medianOnly.add(10, [12], 1);
    expect(medianOnly.values().coverage).toBeNaN();
    expect(medianOnly.values().pinball).toBe(1);
    expect(() => new MetricAccumulator([0.1, 0.9])).toThrow(RangeError);
  });
});

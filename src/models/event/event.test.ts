import { describe, expect, it } from 'vitest';
import { irishCalendar } from '../../features/calendar.js';
import { HOUR_MS } from '../../lib/time.js';
import { getModelFactory, modelInputColumns } from '../catalog.js';
import type { HourlyFrame } from '../types.js';
import { syntheticLoadFrame } from '../xgb/synthetic-series.js';
import { bernoulliQuantile, fitPlatt } from './index.js';
import { seededRandom } from '../xgb/samples.js';

const HOURS = 24 * 7 * 12;
const base = syntheticLoadFrame({ hours: HOURS, seed: 5, start: Date.UTC(2023, 0, 2) });
// Events: load above a level that follows the synthetic series' trend and annual cycle, so the
// event rate does not drift over the weeks; weekdays, the hour and the noise decide them.
const level = (i: number) =>
  1130 + (i / 8760) * 60 + 80 * Math.cos((2 * Math.PI * irishCalendar(base.ts[i]!).dayOfYear) / 365);
const frame: HourlyFrame = {
  ts: base.ts,
  columns: {
    ...base.columns,
    event: Float64Array.from(base.columns.load!, (v, i) => (v >= level(i) ? 1 : 0)),
  },
};
const TRAIN_END = HOURS - 24 * 7;
const window = (end: number): HourlyFrame => ({
  ts: frame.ts.slice(0, end),
  columns: Object.fromEntries(Object.entries(frame.columns).map(([k, v]) => [k, v.slice(0, end)])),
});
const XGB = {
  rounds: 200,
  learningRate: 0.1,
  maxTrainingRows: 8000,
  earlyStoppingRounds: 20,
  nthread: 1,
  pastColumns: ['load'],
};
const fitOptions = (params: Record<string, unknown>) => ({
  horizon: 48,
  contextLength: 48,
  quantiles: [0.1, 0.5, 0.9],
  seed: 3,
  validationHours: 24 * 7,
  params,
});

function brier(p: Float64Array, from: number): number {
  let sum = 0;
  for (let h = 0; h < p.length; h++) sum += (p[h]! - frame.columns.event![from + h]!) ** 2;
  return sum / p.length;
}

describe('event classifiers', () => {
  it('xgbevent beats the climatology on a learnable event and saves and loads to the same forecast', async () => {
    const history = window(TRAIN_END);
    const xgb = getModelFactory('xgbevent').create();
    const clim = getModelFactory('eventclim').create();
    try {
      const report = await xgb.fit({ region: 'IE', target: 'event', frame: history }, fitOptions(XGB));
      expect(report.metrics.valid_brier).toBeGreaterThan(0);
      await clim.fit({ region: 'IE', target: 'event', frame: history }, fitOptions({}));
      const forecast = await xgb.forecast(history, { horizon: 48 });
      const baseline = await clim.forecast(history, { horizon: 48 });
      expect(forecast.origin).toBe(history.ts.at(-1)! + HOUR_MS);
      expect(forecast.probability!.every((p) => p >= 0 && p <= 1)).toBe(true);
      // Day-ahead from each day of the last week (fitted once): weekends are where the hour-and-month
      // climatology is wrong and the history tells.
      let model = 0;
      let climate = 0;
      for (let day = 0; day < 6; day++) {
        const end = TRAIN_END + 24 * day;
        model += brier((await xgb.forecast(window(end), { horizon: 24 })).probability!, end);
        climate += brier((await clim.forecast(window(end), { horizon: 24 })).probability!, end);
      }
      const rate = frame.columns.event!.reduce((sum, v) => sum + v, 0) / HOURS;
      expect(rate).toBeGreaterThan(0.05);
      expect(rate).toBeLessThan(0.3);
      expect(model).toBeLessThan(climate);
      // The quantiles are those of the Bernoulli variable.
      const median = forecast.values[forecast.quantiles.indexOf(0.5)]!;
      forecast.probability!.forEach((p, h) => expect(median[h]).toBe(p > 0.5 ? 1 : 0));

      for (const model of [xgb, clim]) {
        const loaded = await getModelFactory(model.name).load(await model.save());
        try {
          const again = await loaded.forecast(history, { horizon: 48 });
          const first = model === xgb ? forecast : baseline;
          expect(again.probability).toEqual(first.probability);
          expect(loaded.describe().target).toBe('event');
        } finally {
          loaded.dispose();
        }
      }
      expect(xgb.describe().params.pastColumns).toEqual(['load']);
    } finally {
      xgb.dispose();
      clim.dispose();
    }
  }, 120_000);

  it('refuses a target that is not 0/1, naming it and the hour', async () => {
    for (const model of ['xgbevent', 'eventclim']) {
      const forecaster = getModelFactory(model).create();
      await expect(
        forecaster.fit({ region: 'IE', target: 'load', frame: window(TRAIN_END) }, fitOptions(XGB)),
      ).rejects.toThrow(/target must be 0\/1.*"load" is [\d.]+ at 2023-01-02T00:00:00.000Z/);
      forecaster.dispose();
    }
  });

  it('reads its default past columns unless the parameters name others', () => {
    expect(modelInputColumns(undefined, 'xgbevent')).toContain('stress_score');
    expect(modelInputColumns({ pastColumns: ['load'] }, 'xgbevent')).toEqual(['load']);
    expect(modelInputColumns(undefined, 'eventclim')).toEqual([]);
  });

  it('Platt scaling recovers the slope and offset of calibrated log-odds', () => {
    const random = seededRandom(9);
    const z: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const zi = 4 * random() - 2;
      z.push(zi);
      y.push(random() < 1 / (1 + Math.exp(-(0.5 * zi - 1))) ? 1 : 0);
    }
    const { a, b } = fitPlatt(z, y);
    expect(a).toBeCloseTo(0.5, 1);
    expect(b).toBeCloseTo(-1, 1);
  });

  it('gives Bernoulli quantiles', () => {
    expect(bernoulliQuantile(0.3, 0.5)).toBe(0);
    expect(bernoulliQuantile(0.3, 0.9)).toBe(1);
    expect(bernoulliQuantile(0.95, 0.1)).toBe(1);
    expect(bernoulliQuantile(Number.NaN, 0.5)).toBeNaN();
  });
});

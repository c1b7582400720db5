/**
 * No model may use anything at or after the origin T: with every value from T on blanked (NaN, in
 * every column), fitting on the window before T and forecasting from T must give the same forecast.
 * Both go through the functions the backtest engine uses (src/models/harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../lib/time.js';
import { getModelFactory } from '../models/catalog.js';
import { fitAt, forecastAt } from '../models/harness.js';
import type { Forecast, HourlyFrame } from '../models/types.js';
import { syntheticLoadFrame } from '../models/xgb/synthetic-series.js';

const HORIZON = 48;
const QUANTILES = [0.1, 0.5, 0.9];
// Eight weeks (load and temperature); the origin leaves a week of future to blank.
const frame = syntheticLoadFrame({ hours: 24 * 7 * 8, seed: 12, start: Date.UTC(2023, 3, 3) });
const ORIGIN = frame.ts[24 * 7 * 7]!;

const XGB = {
  rounds: 25,
  maxTrainingRows: 3000,
  maxValidationRows: 1000,
  earlyStoppingRounds: 10,
  nthread: 1,
};
const PARAMS: Record<string, Record<string, unknown>> = {
  mstl: { calibrationOrigins: 3 },
  prophet: { windowHours: 24 * 7 * 3 },
  xgb: XGB,
  tft: { hiddenSize: 4, attentionHeads: 2, maxEpochs: 1, windowStride: 24, batchSize: 32 },
  ensemble: {
    members: ['snaive168', 'mstl', 'xgb'],
    memberParams: { mstl: { calibrationOrigins: 3 }, xgb: XGB },
  },
};

/** The frame with every value of every column at or after `from` set to NaN. */
function blankFrom(source: HourlyFrame, from: number): HourlyFrame {
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(source.columns)) {
    columns[name] = Float64Array.from(values, (v, i) => (source.ts[i]! >= from ? Number.NaN : v));
  }
  return { ts: source.ts.slice(), columns };
}

async function fitAndForecast(model: string, data: HourlyFrame, origin = ORIGIN): Promise<Forecast> {
  const forecaster = getModelFactory(model).create();
  try {
    await fitAt(forecaster, data, origin, {
      region: 'IE',
      target: 'load',
      trainHours: 24 * 7 * 6,
      validationHours: 24 * 7,
      horizon: HORIZON,
      contextLength: 48,
      quantiles: QUANTILES,
      seed: 11,
      params: PARAMS[model],
    });
    return await forecastAt(forecaster, data, origin, { horizon: HORIZON, quantiles: QUANTILES });
  } finally {
    forecaster.dispose();
  }
}

function largestDifference(a: Forecast, b: Forecast): number {
  let largest = 0;
  for (let q = 0; q < a.values.length; q++) {
    for (let h = 0; h < HORIZON; h++)
      largest = Math.max(largest, Math.abs(a.values[q]![h]! - b.values[q]![h]!));
  }
  return largest;
}

describe('no leakage from the future', () => {
  const blanked = blankFrom(frame, ORIGIN);

  it.each(['snaive24', 'snaive168', 'mstl', 'xgb', 'tft', 'ensemble'])(
    '%s forecasts the same from T when everything from T on is blanked',
    async (model) => {
      const full = await fitAndForecast(model, frame);
      const blind = await fitAndForecast(model, blanked);
      expect(blind.ts).toEqual(full.ts);
      expect(blind.values).toEqual(full.values);
      expect(full.values.every((row) => row.every(Number.isFinite))).toBe(true);
    },
    120_000,
  );

  it('prophet forecasts the same from T when everything from T on is blanked', async () => {
    const full = await fitAndForecast('prophet', frame);
    const blind = await fitAndForecast('prophet', blanked);
    // The wasm Stan optimizer does not repeat itself bit for bit within a process
    // (docs/BACKTESTING.md); a leak would move the forecast by far more than this. The median is
    // one fit; the interval offsets come from refits at the validation origins before T
    // (models/calibrated.ts), so their noise adds up over those refits.
    const median = QUANTILES.indexOf(0.5);
    expect(
      largestDifference(
        { ...full, values: [full.values[median]!] },
        { ...blind, values: [blind.values[median]!] },
      ),
    ).toBeLessThan(0.05);
    expect(largestDifference(full, blind)).toBeLessThan(2);
  }, 120_000);

  it('prophet refit on the history at a later origin does not see that origin either', async () => {
    const later = ORIGIN + 72 * HOUR_MS;
    const forecastAtLater = async (data: HourlyFrame) => {
      const forecaster = getModelFactory('prophet').create();
      try {
        await fitAt(forecaster, data, ORIGIN, {
          region: 'IE',
          target: 'load',
          trainHours: 24 * 7 * 6,
          validationHours: 0,
          horizon: HORIZON,
          contextLength: 48,
          quantiles: QUANTILES,
          seed: 11,
          params: PARAMS.prophet,
        });
        return await forecastAt(forecaster, data, later, { horizon: HORIZON, quantiles: QUANTILES });
      } finally {
        forecaster.dispose();
      }
    };
    const full = await forecastAtLater(frame);
    const blind = await forecastAtLater(blankFrom(frame, later));
    // Two refits in one process differ by optimizer noise (under a MW on ~1,000 MW); a leak of the
    // blanked week would move the curve by tens of MW.
    expect(largestDifference(full, blind)).toBeLessThan(2);
  }, 120_000);

  it.each(['snaive24', 'mstl', 'xgb', 'ensemble'])(
    '%s does change when the last day before T is blanked too',
    async (model) => {
      const full = await fitAndForecast(model, frame);
      const earlier = await fitAndForecast(model, blankFrom(frame, ORIGIN - 24 * HOUR_MS));
      expect(largestDifference(full, earlier)).toBeGreaterThan(1);
    },
    120_000,
  );
});

describe('no leakage from the future: event classifiers', () => {
  // A 0/1 target: the load's top tenth of hours, with the load itself as a past column.
  const sorted = Float64Array.from(frame.columns.load!).sort();
  const level = sorted[Math.floor(sorted.length * 0.9)]!;
  const events: HourlyFrame = {
    ts: frame.ts,
    columns: { ...frame.columns, event: Float64Array.from(frame.columns.load!, (v) => (v >= level ? 1 : 0)) },
  };
  const EVENT_PARAMS: Record<string, Record<string, unknown>> = {
    eventclim: {},
    xgbevent: {
      rounds: 25,
      maxTrainingRows: 3000,
      earlyStoppingRounds: 10,
      nthread: 1,
      pastColumns: ['load'],
    },
  };
  async function fitAndForecastEvent(model: string, data: HourlyFrame): Promise<Forecast> {
    const forecaster = getModelFactory(model).create();
    try {
      await fitAt(forecaster, data, ORIGIN, {
        region: 'IE',
        target: 'event',
        trainHours: 24 * 7 * 6,
        validationHours: 24 * 7,
        horizon: HORIZON,
        contextLength: 48,
        quantiles: QUANTILES,
        seed: 11,
        params: EVENT_PARAMS[model],
      });
      return await forecastAt(forecaster, data, ORIGIN, { horizon: HORIZON, quantiles: QUANTILES });
    } finally {
      forecaster.dispose();
    }
  }

  it.each(['eventclim', 'xgbevent'])(
    '%s forecasts the same probabilities from T when everything from T on is blanked',
    async (model) => {
      const full = await fitAndForecastEvent(model, events);
      const blind = await fitAndForecastEvent(model, blankFrom(events, ORIGIN));
      expect(full.probability).toBeDefined();
      expect(blind.probability).toEqual(full.probability);
      expect(blind.values).toEqual(full.values);
      expect(full.probability!.every((p) => p >= 0 && p <= 1)).toBe(true);
    },
    120_000,
  );

  it('xgbevent does change when the last day before T is blanked too', async () => {
    const full = await fitAndForecastEvent('xgbevent', events);
    const earlier = await fitAndForecastEvent('xgbevent', blankFrom(events, ORIGIN - 24 * HOUR_MS));
    let largest = 0;
    for (let h = 0; h < HORIZON; h++)
      largest = Math.max(largest, Math.abs(full.probability![h]! - earlier.probability![h]!));
    expect(largest).toBeGreaterThan(0.01);
  }, 120_000);
});

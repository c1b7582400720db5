import { describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { checkHourlyFrame, fitAt, forecastAt, historyAt, quantileRow, trainingWindowAt } from './harness.js';
import { snaive24Factory } from './snaive/index.js';
import type { Forecast, Forecaster, HourlyFrame } from './types.js';

const T0 = Date.UTC(2024, 0, 1);
const HOURS = 24 * 10;
const frame: HourlyFrame = {
  ts: Float64Array.from({ length: HOURS }, (_, i) => T0 + i * HOUR_MS),
  columns: {
    load: Float64Array.from({ length: HOURS }, (_, i) => 1000 + 100 * Math.sin((2 * Math.PI * i) / 24) + i),
    wind: Float64Array.from({ length: HOURS }, (_, i) => i % 7),
  },
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** A forecaster that answers with whatever `answer` builds: to check what the harness accepts. */
function scripted(answer: (history: HourlyFrame, horizon: number) => Forecast): Forecaster {
  return {
    name: 'scripted',
    fit: () => Promise.reject(new Error('not used')),
    forecast: async (history, { horizon }) => answer(history, horizon),
    save: async () => ({}),
    describe: () => {
      throw new Error('not used');
    },
    dispose: () => undefined,
  };
}

function wellFormed(history: HourlyFrame, horizon: number): Forecast {
  const origin = history.ts[history.ts.length - 1]! + HOUR_MS;
  const ts = Float64Array.from({ length: horizon }, (_, h) => origin + h * HOUR_MS);
  return {
    origin,
    ts,
    quantiles: [0.1, 0.5, 0.9],
    values: [0, 1, 2].map((q) => new Float64Array(horizon).fill(q)),
  };
}

describe('forecast harness', () => {
  it('hands a model copies of the hours before the origin, and nothing of the future', () => {
    const origin = T0 + 100 * HOUR_MS;
    const history = historyAt(frame, origin);
    expect(history.ts.length).toBe(100);
    expect(history.ts[99]).toBe(origin - HOUR_MS);
    expect(Object.keys(history.columns)).toEqual(['load', 'wind']);
    // A copy: its buffer ends with the history, and writing to it leaves the frame alone.
    expect(history.columns.load!.buffer.byteLength).toBe(100 * 8);
    history.columns.load![0] = -1;
    expect(frame.columns.load![0]).not.toBe(-1);
    // The hour after the last one is a valid origin; others off the grid are not.
    expect(historyAt(frame, T0 + HOURS * HOUR_MS).ts.length).toBe(HOURS);
    for (const bad of [T0 + 1000, T0 - HOUR_MS, T0 + (HOURS + 1) * HOUR_MS]) {
      expect(
        isDcgridError(
          thrown(() => historyAt(frame, bad)),
          'E_VALUE_INVALID',
        ),
      ).toBe(true);
    }
  });

  it('bounds the training window to the hours before the origin', () => {
    const origin = T0 + 200 * HOUR_MS;
    const window = trainingWindowAt(frame, origin, 48);
    expect(window.ts[0]).toBe(origin - 48 * HOUR_MS);
    expect(window.ts[47]).toBe(origin - HOUR_MS);
    expect(trainingWindowAt(frame, origin, 10_000).ts.length).toBe(200);
    expect(
      isDcgridError(
        thrown(() => trainingWindowAt(frame, origin, 0)),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
  });

  it('fits on the window before the origin only', async () => {
    const model = snaive24Factory.create();
    const origin = T0 + 200 * HOUR_MS;
    await fitAt(model, frame, origin, {
      region: 'IE',
      target: 'load',
      trainHours: 24 * 6,
      validationHours: 24 * 28,
      horizon: 24,
      contextLength: 168,
      quantiles: [0.1, 0.5, 0.9],
      seed: 1,
    });
    expect(model.describe().trainedFrom).toBe(origin - 24 * 6 * HOUR_MS);
    expect(model.describe().trainedTo).toBe(origin - HOUR_MS);
    const forecast = await forecastAt(model, frame, origin, { horizon: 24, quantiles: [0.5, 0.1, 0.9] });
    expect(quantileRow(forecast, 0.5)[0]).toBe(frame.columns.load![200 - 24]);
  });

  it('refuses forecasts that break the origin convention', async () => {
    const origin = T0 + 100 * HOUR_MS;
    const options = { horizon: 24, quantiles: [0.1, 0.5, 0.9] };
    await expect(forecastAt(scripted(wellFormed), frame, origin, options)).resolves.toMatchObject({ origin });
    const broken: Array<(history: HourlyFrame, horizon: number) => Forecast> = [
      (history, horizon) => ({ ...wellFormed(history, horizon), origin: origin - HOUR_MS }),
      (history, horizon) => ({
        ...wellFormed(history, horizon),
        ts: wellFormed(history, horizon).ts.map((t) => t + HOUR_MS),
      }),
      (history, horizon) => ({ ...wellFormed(history, horizon - 1), origin }),
      (history, horizon) => ({ ...wellFormed(history, horizon), quantiles: [0.2, 0.5, 0.8] }),
      (history, horizon) => ({ ...wellFormed(history, horizon), values: [new Float64Array(horizon)] }),
    ];
    for (const answer of broken) {
      expect(
        isDcgridError(await rejected(forecastAt(scripted(answer), frame, origin, options)), 'E_MODEL'),
      ).toBe(true);
    }
    expect(
      isDcgridError(await rejected(forecastAt(scripted(wellFormed), frame, T0, options)), 'E_INPUT_EMPTY'),
    ).toBe(true);
    expect(
      isDcgridError(
        await rejected(forecastAt(scripted(wellFormed), frame, origin, { ...options, quantiles: [1.5] })),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
  });

  it('checks that a frame is a contiguous hourly grid', () => {
    const gap: HourlyFrame = {
      ts: Float64Array.from([T0, T0 + 2 * HOUR_MS]),
      columns: { load: new Float64Array(2) },
    };
    const short: HourlyFrame = {
      ts: Float64Array.from([T0, T0 + HOUR_MS]),
      columns: { load: new Float64Array(1) },
    };
    expect(
      isDcgridError(
        thrown(() => checkHourlyFrame(gap)),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
    expect(
      isDcgridError(
        thrown(() => checkHourlyFrame(short)),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
    expect(
      isDcgridError(
        thrown(() => checkHourlyFrame(frame, ['demand'])),
        'E_VALUE_INVALID',
      ),
    ).toBe(true);
    expect(thrown(() => checkHourlyFrame(frame, ['load']))).toBeUndefined();
  });
});

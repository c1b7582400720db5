import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError, type ErrorCode } from '../../lib/errors.js';
import type { FitOptions, HourlyFrame } from '../types.js';
import { useWasmBackend } from './backend.js';
import { prepareSeries, type FeatureSettings } from './features.js';
import { tftFactory, type TftForecaster } from './index.js';
import { sliceFrame, syntheticFrame } from './synthetic.js';
import { planWindows, weightDayAhead } from './training.js';

const tiny: FitOptions = {
  horizon: 12,
  contextLength: 24,
  quantiles: [0.1, 0.5, 0.9],
  seed: 5,
  validationHours: 24,
  params: { hiddenSize: 4, attentionHeads: 2, maxEpochs: 3, patience: 10, windowStride: 12, batchSize: 16 },
};

const frame = syntheticFrame({ hours: 4 * 7 * 24, seed: 9 });

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDcgridError(error, code), String(error)).toBe(true);
}

async function fitTiny(
  overrides: Partial<FitOptions> = {},
  data: HourlyFrame = frame,
): Promise<TftForecaster> {
  const model = tftFactory.create() as TftForecaster;
  try {
    await model.fit({ region: 'IE', target: 'dc_load_mw', frame: data }, { ...tiny, ...overrides });
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

describe('window planning', () => {
  const settings: FeatureSettings = {
    target: 'dc_load_mw',
    region: 'IE',
    pastColumns: [],
    encoderLength: 24,
    horizon: 12,
    normalisation: { target: { mean: 700, std: 50 }, past: {} },
  };
  const series = prepareSeries(sliceFrame(frame, 0, 200), settings);

  it('keeps training decoders before the validation hours, anchored at the newest window', () => {
    const plan = planWindows(series, settings, 30, 10, 6);
    expect(plan.validationFrom).toBe(170);
    expect(plan.trainOrigins.at(-1)).toBe(158);
    expect(plan.trainOrigins[0]).toBe(28);
    expect(plan.trainOrigins.every((o, i) => i === 0 || o - plan.trainOrigins[i - 1]! === 10)).toBe(true);
    expect(plan.validationOrigins).toEqual([170, 176, 182, 188]);
  });

  it('uses one window scored on its last hours when the validation span is shorter than the horizon', () => {
    const plan = planWindows(series, settings, 5, 10, 6);
    expect(plan.validationOrigins).toEqual([188]);
    expect(plan.validationFrom).toBe(195);
  });

  it('fails with TRAINING_DATA when history is shorter than encoder + horizon', () => {
    const short = prepareSeries(sliceFrame(frame, 0, 40), settings);
    expect(() => planWindows(short, settings, 10, 10, 6)).toThrow(/at least 36 hours/);
  });
});

describe('day-ahead loss weight', () => {
  it('multiplies the mask of forecast hours 1-24 only, and leaves it alone at weight 1', () => {
    const horizon = 30;
    const mask = new Float32Array(2 * horizon).fill(1);
    mask[3] = 0;
    const arrays = { batch: 2, static: [], encoder: [], decoder: [], offsets: new Float32Array(2), mask };
    weightDayAhead(arrays, horizon, 1);
    expect(Array.from(mask).every((m, i) => m === (i === 3 ? 0 : 1))).toBe(true);
    weightDayAhead(arrays, horizon, 4);
    for (let b = 0; b < 2; b++) {
      for (let h = 0; h < horizon; h++) {
        const expected = b === 0 && h === 3 ? 0 : h < 24 ? 4 : 1;
        expect(mask[b * horizon + h]).toBe(expected);
      }
    }
  });
});

describe('tft training behaviour', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('same seed → same weights and forecast; another seed → different weights', async () => {
    const a = await fitTiny();
    const b = await fitTiny();
    const c = await fitTiny({ seed: 6 });
    try {
      const [fa, fb, fc] = await Promise.all([a.save(), b.save(), c.save()]);
      expect(Buffer.from(fa['weights.bin']!).equals(Buffer.from(fb['weights.bin']!))).toBe(true);
      expect(Buffer.from(fa['weights.bin']!).equals(Buffer.from(fc['weights.bin']!))).toBe(false);
      const history = sliceFrame(frame, 0, frame.ts.length - 10);
      const [pa, pb] = await Promise.all([
        a.forecast(history, { horizon: 12 }),
        b.forecast(history, { horizon: 12 }),
      ]);
      expect(pa.values.map((v) => Array.from(v))).toEqual(pb.values.map((v) => Array.from(v)));
    } finally {
      for (const model of [a, b, c]) model.dispose();
    }
  });

  it('trains on its last trainDays of a longer window, as on that window alone', async () => {
    const days = 14;
    const long = await fitTiny({ params: { ...tiny.params, trainDays: days } });
    const short = await fitTiny(
      { params: { ...tiny.params, trainDays: days } },
      sliceFrame(frame, frame.ts.length - days * 24, frame.ts.length),
    );
    try {
      expect(long.describe().trainedFrom).toBe(frame.ts[frame.ts.length - days * 24]);
      const [fl, fs] = await Promise.all([long.save(), short.save()]);
      expect(Buffer.from(fl['weights.bin']!).equals(Buffer.from(fs['weights.bin']!))).toBe(true);
    } finally {
      long.dispose();
      short.dispose();
    }
  });

  it('keeps the tensor count flat across epochs and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const perEpoch: number[] = [];
    const losses: number[] = [];
    const model = await fitTiny({
      params: { ...tiny.params, maxEpochs: 4 },
      onProgress: (progress) => {
        perEpoch.push(tf.memory().numTensors);
        losses.push(progress.metrics.loss!);
        expect(progress.totalSteps).toBe(4);
      },
    });
    expect(perEpoch).toHaveLength(4);
    expect(new Set(perEpoch).size).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    model.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between batches with INTERRUPTED when the signal aborts, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    await expectCode(
      fitTiny({ signal: controller.signal, onProgress: () => controller.abort() }),
      'E_INTERRUPTED',
    );
    const aborted = new AbortController();
    aborted.abort();
    await expectCode(fitTiny({ signal: aborted.signal }), 'E_INTERRUPTED');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails early with TRAINING_DATA for an all-NaN target or too little history', async () => {
    const blank: HourlyFrame = {
      ts: frame.ts,
      columns: { dc_load_mw: new Float64Array(frame.ts.length).fill(Number.NaN) },
    };
    await expectCode(fitTiny({}, blank), 'E_TRAINING_DATA');
    await expectCode(fitTiny({}, sliceFrame(frame, 0, 50)), 'E_TRAINING_DATA');
  });

  it('rejects bad parameters and options with CONFIG_INVALID', async () => {
    await expectCode(fitTiny({ params: { hiddenSize: 2 } }), 'E_CONFIG_INVALID');
    await expectCode(fitTiny({ params: { unknownKnob: 1 } }), 'E_CONFIG_INVALID');
    await expectCode(fitTiny({ quantiles: [0.9, 0.1] }), 'E_CONFIG_INVALID');
  });

  it('draws windowsPerEpoch windows per epoch and cuts the learning rate on a validation plateau', async () => {
    const curve: Array<Record<string, number>> = [];
    const model = await fitTiny({
      params: {
        ...tiny.params,
        maxEpochs: 8,
        windowStride: 1,
        windowsPerEpoch: 20,
        learningRate: 0.05,
        learningRateDecay: 0.5,
        learningRatePatience: 1,
      },
      onProgress: (progress) => curve.push(progress.metrics),
    });
    model.dispose();
    expect(curve.length).toBeGreaterThan(1);
    expect(curve.every((metrics) => metrics.train_windows === 20)).toBe(true);
    // The rate halves right after every epoch that did not beat the best validation loss so far.
    let best = Number.POSITIVE_INFINITY;
    let rate = 0.05;
    for (const metrics of curve) {
      expect(metrics.learning_rate).toBeCloseTo(rate, 12);
      if (metrics.val_loss! < best) best = metrics.val_loss!;
      else rate /= 2;
    }
  });

  it('loads a format 1 config.json (before seasonal lags, festive flag and window scaling) unchanged', async () => {
    const model = await fitTiny({
      params: {
        ...tiny.params,
        maxEpochs: 1,
        seasonalLags: [],
        festive: false,
        targetScaling: 'global',
        dayAheadWeight: 1,
        learningRateDecay: 1,
        calibration: 'none',
      },
    });
    try {
      const files = await model.save();
      const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as {
        version: number;
        hyperParams: Record<string, unknown>;
        features: { decoder: Array<{ name: string }> };
        calibration?: unknown;
      };
      expect(config.version).toBe(3);
      expect(config.features.decoder.map((spec) => spec.name)).toEqual([
        'hour',
        'dow',
        'month',
        'holiday',
        'dst',
        'time_index',
      ]);
      config.version = 1;
      delete config.calibration;
      for (const key of [
        'calibration',
        'seasonalLags',
        'festive',
        'targetScaling',
        'dayAheadWeight',
        'learningRateDecay',
        'learningRatePatience',
        'windowsPerEpoch',
      ]) {
        delete config.hyperParams[key];
      }
      const old = await tftFactory.load({
        'config.json': new TextEncoder().encode(JSON.stringify(config)),
        'weights.bin': files['weights.bin']!,
      });
      try {
        const history = sliceFrame(frame, 0, frame.ts.length - 10);
        const [a, b] = [
          await model.forecast(history, { horizon: 12 }),
          await old.forecast(history, { horizon: 12 }),
        ];
        expect(b.values.map((v) => Array.from(v))).toEqual(a.values.map((v) => Array.from(v)));
        expect(old.describe().params).toMatchObject({
          seasonalLags: [],
          festive: false,
          targetScaling: 'global',
          dayAheadWeight: 1,
          learningRateDecay: 1,
          windowsPerEpoch: (old.describe().details as { training: { trainWindows: number } }).training
            .trainWindows,
        });
      } finally {
        old.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it('refuses to forecast untrained, beyond its horizon, for other quantiles or without recent target values', async () => {
    const untrained = tftFactory.create();
    await expectCode(untrained.forecast(frame, { horizon: 12 }), 'E_MODEL');
    const model = await fitTiny({ params: { ...tiny.params, maxEpochs: 1 } });
    try {
      await expectCode(model.forecast(frame, { horizon: 13 }), 'E_MODEL');
      await expectCode(model.forecast(frame, { horizon: 12, quantiles: [0.25] }), 'E_MODEL');
      const gap: HourlyFrame = {
        ts: frame.ts,
        columns: {
          dc_load_mw: frame.columns.dc_load_mw!.map((v, i) => (i >= frame.ts.length - 30 ? Number.NaN : v)),
        },
      };
      await expectCode(model.forecast(gap, { horizon: 12 }), 'E_INPUT_EMPTY');
      await expectCode(tftFactory.load({ 'config.json': new TextEncoder().encode('{}') }), 'E_ARTIFACT');
    } finally {
      model.dispose();
    }
  });

  it('calibrates the bands on the validation windows: the median stays, P10 and P90 move by the fitted shift', async () => {
    const options = { ...tiny, validationHours: 7 * 24 };
    const raw = await fitTiny({ ...options, params: { ...tiny.params, calibration: 'none' } });
    const calibrated = await fitTiny({ ...options, params: { ...tiny.params, calibration: 'spread' } });
    try {
      expect(raw.describe().details).toMatchObject({ calibration: null });
      const details = calibrated.describe().details as {
        calibration: { windows: number; residuals: number; shifts: number[][] };
        normalisation: { target: { std: number } };
      };
      // 14 windows of 12 hours: one block of forecast hours, one shift per quantile.
      expect(details.calibration).toMatchObject({ windows: 14, residuals: 14 * 12 });
      expect(details.calibration.shifts.map((row) => row.length)).toEqual([1, 1, 1]);
      const [p10Shift, p50Shift, p90Shift] = details.calibration.shifts.map((row) => row[0]!);
      expect(p50Shift).toBe(0);
      expect(p10Shift).not.toBe(0);
      const history = sliceFrame(frame, 0, frame.ts.length - 10);
      const a = await raw.forecast(history, { horizon: 12 });
      const b = await calibrated.forecast(history, { horizon: 12 });
      const std = details.normalisation.target.std;
      for (let h = 0; h < 12; h++) {
        expect(b.values[1]![h]).toBeCloseTo(a.values[1]![h]!, 9);
        expect(b.values[0]![h]).toBeCloseTo(a.values[0]![h]! + p10Shift! * std, 6);
        expect(b.values[2]![h]).toBeCloseTo(a.values[2]![h]! + p90Shift! * std, 6);
      }
      // Saved and loaded, the calibrated model forecasts the same.
      const reloaded = await tftFactory.load(await calibrated.save());
      try {
        const c = await reloaded.forecast(history, { horizon: 12 });
        expect(c.values.map((v) => Array.from(v))).toEqual(b.values.map((v) => Array.from(v)));
      } finally {
        reloaded.dispose();
      }
    } finally {
      raw.dispose();
      calibrated.dispose();
    }
  });
});

/**
 * The trained forecaster end to end, on a synthetic daily + weekly seasonal series (tiny model,
 * few epochs): learning, accuracy against seasonal naive, persistence, leakage, explanations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../lib/time.js';
import type { FitOptions, FitReport, HourlyFrame } from '../types.js';
import { tftFactory, type TftForecaster } from './index.js';
import { sliceFrame, syntheticFrame } from './synthetic.js';

const WEEKS = 8;
const HOURS = WEEKS * 7 * 24;
const HELD_OUT = 7 * 24;
const HORIZON = 24;
const CONTEXT = 48;

const options: FitOptions = {
  horizon: HORIZON,
  contextLength: CONTEXT,
  quantiles: [0.1, 0.5, 0.9],
  seed: 11,
  validationHours: 48,
  params: {
    hiddenSize: 8,
    attentionHeads: 2,
    maxEpochs: 6,
    windowStride: 6,
    batchSize: 16,
    learningRate: 0.01,
  },
};

describe('tft forecaster on a seasonal series', () => {
  // 2% of the target missing: the imputation and the loss mask are exercised throughout.
  const frame = syntheticFrame({ hours: HOURS, seed: 3, noise: 4, missingRate: 0.02, extraColumns: 1 });
  const target = frame.columns.dc_load_mw!;
  const training = sliceFrame(frame, 0, HOURS - HELD_OUT);
  let model: TftForecaster;
  let report: FitReport;

  beforeAll(async () => {
    model = tftFactory.create() as TftForecaster;
    report = await model.fit({ region: 'IE', target: 'dc_load_mw', frame: training }, options);
  }, 240_000);
  afterAll(() => model.dispose());

  it('lowers the training loss and reports a curve per epoch', () => {
    expect(report.curve).toHaveLength(report.steps);
    const first = report.curve[0]!.metrics.loss!;
    const last = report.curve.at(-1)!.metrics.loss!;
    expect(last).toBeLessThan(first * 0.6);
    expect(report.metrics.val_loss).toBeGreaterThan(0);
    expect(report.bestStep).toBeGreaterThanOrEqual(1);
  });

  it('beats seasonal naive 24 h on the held-out week (P50 MAE over six daily origins)', async () => {
    let model_ = 0;
    let naive = 0;
    let count = 0;
    for (let day = 0; day < 6; day++) {
      const origin = HOURS - HELD_OUT + day * 24;
      const forecast = await model.forecast(sliceFrame(frame, 0, origin), { horizon: HORIZON });
      for (let h = 0; h < HORIZON; h++) {
        const actual = target[origin + h]!;
        const lastDay = target[origin + h - 24]!;
        if (Number.isNaN(actual) || Number.isNaN(lastDay)) continue;
        model_ += Math.abs(forecast.values[1]![h]! - actual);
        naive += Math.abs(lastDay - actual);
        count++;
      }
    }
    expect(count).toBeGreaterThan(100);
    expect(model_ / count).toBeLessThan(naive / count);
  });

  it('returns ordered quantiles with the requested horizon and subset', async () => {
    const history = sliceFrame(frame, 0, HOURS - HELD_OUT);
    const forecast = await model.forecast(history, { horizon: 12 });
    expect(forecast.origin).toBe(history.ts.at(-1)! + HOUR_MS);
    expect(forecast.ts).toHaveLength(12);
    expect(forecast.ts[11]).toBe(forecast.origin + 11 * HOUR_MS);
    expect(forecast.quantiles).toEqual([0.1, 0.5, 0.9]);
    for (let h = 0; h < 12; h++) {
      expect(forecast.values[0]![h]).toBeLessThanOrEqual(forecast.values[1]![h]!);
      expect(forecast.values[1]![h]).toBeLessThanOrEqual(forecast.values[2]![h]!);
    }
    const median = await model.forecast(history, { horizon: 12, quantiles: [0.5] });
    expect(median.values).toHaveLength(1);
    expect(Array.from(median.values[0]!)).toEqual(Array.from(forecast.values[1]!));
  });

  it('uses nothing at or after the origin: blanking those hours leaves the forecast unchanged', () => {
    const origin = HOURS - HELD_OUT + 30;
    const blanked: HourlyFrame = {
      ts: frame.ts,
      columns: Object.fromEntries(
        Object.entries(frame.columns).map(([name, values]) => [
          name,
          values.map((v, i) => (i >= origin ? Number.NaN : v)),
        ]),
      ),
    };
    const full = model.explainAt(frame, origin).forecast;
    const withBlanks = model.explainAt(blanked, origin).forecast;
    const historyOnly = model.explainAt(sliceFrame(frame, 0, origin), origin).forecast;
    expect(withBlanks.values.map((v) => Array.from(v))).toEqual(full.values.map((v) => Array.from(v)));
    expect(historyOnly.values.map((v) => Array.from(v))).toEqual(full.values.map((v) => Array.from(v)));
  });

  it('save → load gives identical forecasts and a config.json that documents the weights layout', async () => {
    const files = await model.save();
    expect(Object.keys(files).sort()).toEqual(['config.json', 'weights.bin']);
    const config = JSON.parse(new TextDecoder().decode(files['config.json']));
    expect(config.weights.dtype).toBe('float32');
    expect(config.weights.byteOrder).toBe('little-endian');
    const last = config.weights.tensors.at(-1);
    const lastSize = last.shape.reduce((a: number, b: number) => a * b, 1);
    expect((last.offset + lastSize) * 4).toBe(files['weights.bin']!.byteLength);
    expect(config.normalisation.target.std).toBeGreaterThan(0);
    expect(config.seed).toBe(11);

    const loaded = await tftFactory.load(files);
    try {
      const history = sliceFrame(frame, 0, HOURS - HELD_OUT + 5);
      const a = await model.forecast(history, { horizon: HORIZON });
      const b = await loaded.forecast(history, { horizon: HORIZON });
      expect(b.values.map((v) => Array.from(v))).toEqual(a.values.map((v) => Array.from(v)));
      expect(loaded.describe()).toEqual(model.describe());
    } finally {
      loaded.dispose();
    }
  });

  it('describe() reports averaged variable-selection weights and the attention pattern', () => {
    const description = model.describe();
    expect(description.model).toBe('tft');
    expect(description.horizon).toBe(HORIZON);
    expect(description.contextLength).toBe(CONTEXT);
    expect(description.features).toContain('past.demand_mw');
    const details = description.details as {
      variableSelection: Record<'static' | 'encoder' | 'decoder', Record<string, number>>;
      attention: { byPosition: number[] };
    };
    for (const group of ['static', 'encoder', 'decoder'] as const) {
      const total = Object.values(details.variableSelection[group]).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 4);
    }
    expect(Object.keys(details.variableSelection.decoder)).toEqual([
      'hour',
      'dow',
      'month',
      'holiday',
      'festive',
      'dst',
      'time_index',
      'lag_24h',
      'lag_24h_off',
      'lag_168h',
      'lag_168h_off',
    ]);
    expect(details.attention.byPosition).toHaveLength(CONTEXT + HORIZON);
    expect(details.attention.byPosition.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('explain() returns one forecast’s attention and selection weights', async () => {
    const { forecast, explanation } = await model.explain(sliceFrame(frame, 0, HOURS - 24));
    expect(explanation.origin).toBe(forecast.origin);
    expect(explanation.attention).toHaveLength(HORIZON);
    explanation.attention.forEach((row, h) => {
      expect(row).toHaveLength(CONTEXT + HORIZON);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      // Forecast hour h + 1 cannot look at later forecast hours.
      for (let k = CONTEXT + h + 1; k < CONTEXT + HORIZON; k++) expect(row[k]).toBe(0);
    });
    expect(explanation.encoderWeights).toHaveLength(CONTEXT);
    expect(explanation.encoderWeights[0]).toHaveLength(explanation.encoderVariables.length);
    expect(explanation.decoderWeights).toHaveLength(HORIZON);
    expect(Object.keys(explanation.staticWeights)).toEqual(['region', 'target_level', 'target_spread']);
  });
});

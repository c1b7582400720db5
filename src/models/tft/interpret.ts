/**
 * The TFT's built-in explanations: variable-selection weights (which inputs the network used) and
 * the head-averaged attention (which past and earlier-horizon hours each forecast hour looked at).
 */
import * as tf from '@tensorflow/tfjs';
import { buildBatch, type FeatureSettings, type PreparedSeries } from './features.js';
import { INFERENCE } from './layers.js';
import type { TftNetwork } from './network.js';
import { toInputs } from './training.js';
import type { VariableSpec } from './vsn.js';

export interface InterpretationSummary {
  windows: number;
  staticWeights: Record<string, number>;
  encoderWeights: Record<string, number>;
  decoderWeights: Record<string, number>;
  /** Mean attention on each position (0 = origin - encoderLength), over queries and windows. */
  attentionByPosition: number[];
}

/** Per-forecast explanation for one origin. */
export interface ForecastExplanation {
  origin: number;
  /** Positions: index 0 = origin - encoderLength hours ... encoderLength + horizon - 1. */
  positions: number;
  /** attention[h][k]: weight of position k for forecast hour h + 1 (rows sum to 1). */
  attention: number[][];
  staticWeights: Record<string, number>;
  encoderVariables: string[];
  /** encoderWeights[t][v]: weight of encoder variable v at encoder step t (t = 0 is origin - encoderLength). */
  encoderWeights: number[][];
  decoderVariables: string[];
  /** decoderWeights[h][v]. */
  decoderWeights: number[][];
}

function columnMeans(values: Float32Array, rows: number, columns: number, into: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) into[c]! += values[r * columns + c]!;
}

function byName(specs: readonly VariableSpec[], sums: Float64Array, rows: number): Record<string, number> {
  return Object.fromEntries(specs.map((spec, i) => [spec.name, rows > 0 ? sums[i]! / rows : 0]));
}

function toRows(values: Float32Array, rows: number, columns: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * columns, (r + 1) * columns)));
}

/** Averages the explanations over `origins` (processed in batches of `batchSize`). */
export function summarise(
  network: TftNetwork,
  series: PreparedSeries,
  settings: FeatureSettings,
  origins: readonly number[],
  batchSize: number,
): InterpretationSummary {
  const {
    staticVariables,
    encoderVariables,
    decoderVariables,
    encoderLength: te,
    horizon: td,
  } = network.shape;
  const positions = te + td;
  const sums = {
    static: new Float64Array(staticVariables.length),
    encoder: new Float64Array(encoderVariables.length),
    decoder: new Float64Array(decoderVariables.length),
    attention: new Float64Array(positions),
  };
  for (let i = 0; i < origins.length; i += batchSize) {
    const arrays = buildBatch(series, settings, {
      origins: origins.slice(i, i + batchSize),
      withTargets: false,
    });
    const b = arrays.batch;
    tf.tidy(() => {
      const out = network.apply(toInputs(arrays, network), INFERENCE);
      columnMeans(out.staticWeights.dataSync() as Float32Array, b, staticVariables.length, sums.static);
      columnMeans(
        out.encoderWeights.dataSync() as Float32Array,
        b * te,
        encoderVariables.length,
        sums.encoder,
      );
      columnMeans(
        out.decoderWeights.dataSync() as Float32Array,
        b * td,
        decoderVariables.length,
        sums.decoder,
      );
      columnMeans(out.attention.dataSync() as Float32Array, b * td, positions, sums.attention);
    });
  }
  const n = origins.length;
  return {
    windows: n,
    staticWeights: byName(staticVariables, sums.static, n),
    encoderWeights: byName(encoderVariables, sums.encoder, n * te),
    decoderWeights: byName(decoderVariables, sums.decoder, n * td),
    attentionByPosition: Array.from(sums.attention, (s) => (n > 0 ? s / (n * td) : 0)),
  };
}

/** Explanation and normalised quantiles [horizon, Q] for one origin. */
export function explainOrigin(
  network: TftNetwork,
  series: PreparedSeries,
  settings: FeatureSettings,
  origin: number,
): { explanation: Omit<ForecastExplanation, 'origin'>; quantiles: Float32Array } {
  const {
    staticVariables,
    encoderVariables,
    decoderVariables,
    encoderLength: te,
    horizon: td,
  } = network.shape;
  const arrays = buildBatch(series, settings, { origins: [origin], withTargets: false });
  return tf.tidy(() => {
    const out = network.apply(toInputs(arrays, network), INFERENCE);
    const staticWeights = out.staticWeights.dataSync() as Float32Array;
    return {
      explanation: {
        positions: te + td,
        attention: toRows(out.attention.dataSync() as Float32Array, td, te + td),
        staticWeights: Object.fromEntries(staticVariables.map((spec, i) => [spec.name, staticWeights[i]!])),
        encoderVariables: encoderVariables.map((spec) => spec.name),
        encoderWeights: toRows(out.encoderWeights.dataSync() as Float32Array, te, encoderVariables.length),
        decoderVariables: decoderVariables.map((spec) => spec.name),
        decoderWeights: toRows(out.decoderWeights.dataSync() as Float32Array, td, decoderVariables.length),
      },
      quantiles: Float32Array.from(out.quantiles.dataSync() as Float32Array),
    };
  });
}

/** Normalised quantiles [B, horizon, Q] for several origins (no explanations). */
export function predictOrigins(
  network: TftNetwork,
  series: PreparedSeries,
  settings: FeatureSettings,
  origins: readonly number[],
): Float32Array {
  const arrays = buildBatch(series, settings, { origins, withTargets: false });
  return tf.tidy(() =>
    Float32Array.from(
      network.apply(toInputs(arrays, network), INFERENCE).quantiles.dataSync() as Float32Array,
    ),
  );
}

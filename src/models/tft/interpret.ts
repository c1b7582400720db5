/**
 * The TFT's built-in explanations: variable-selection weights (which inputs the network used) and
 * the head-averaged attention (which past and earlier-horizon hours each forecast hour looked at).
 */
import * as tf from '@tensorflow/tfjs';
import { buildBatch, type BatchArrays, type FeatureSettings, type PreparedSeries } from './features.js';
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
    const out = runAndRead(network, arrays);
    columnMeans(out.staticWeights, b, staticVariables.length, sums.static);
    columnMeans(out.encoderWeights, b * te, encoderVariables.length, sums.encoder);
    columnMeans(out.decoderWeights, b * td, decoderVariables.length, sums.decoder);
    columnMeans(out.attention, b * td, positions, sums.attention);
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

/**
 * Runs the network on one batch and reads its outputs. Tensors leave tf.tidy as tensors and are
 * read afterwards: tidy walks every element of a returned container (typed arrays included).
 */
function runAndRead(network: TftNetwork, arrays: BatchArrays) {
  const tensors = tf.tidy(() => {
    const out = network.apply(toInputs(arrays, network), INFERENCE);
    return [out.quantiles, out.staticWeights, out.encoderWeights, out.decoderWeights, out.attention];
  });
  try {
    const [quantiles, staticWeights, encoderWeights, decoderWeights, attention] = tensors.map(
      (t) => t.dataSync() as Float32Array,
    ) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    return { quantiles, staticWeights, encoderWeights, decoderWeights, attention };
  } finally {
    tf.dispose(tensors);
  }
}

/** Explanation, normalised quantiles [horizon, Q] and the window's offset (see BatchArrays) for one origin. */
export function explainOrigin(
  network: TftNetwork,
  series: PreparedSeries,
  settings: FeatureSettings,
  origin: number,
): { explanation: Omit<ForecastExplanation, 'origin'>; quantiles: Float32Array; offset: number } {
  const {
    staticVariables,
    encoderVariables,
    decoderVariables,
    encoderLength: te,
    horizon: td,
  } = network.shape;
  const arrays = buildBatch(series, settings, { origins: [origin], withTargets: false });
  const out = runAndRead(network, arrays);
  return {
    explanation: {
      positions: te + td,
      attention: toRows(out.attention, td, te + td),
      staticWeights: Object.fromEntries(staticVariables.map((spec, i) => [spec.name, out.staticWeights[i]!])),
      encoderVariables: encoderVariables.map((spec) => spec.name),
      encoderWeights: toRows(out.encoderWeights, te, encoderVariables.length),
      decoderVariables: decoderVariables.map((spec) => spec.name),
      decoderWeights: toRows(out.decoderWeights, td, decoderVariables.length),
    },
    quantiles: out.quantiles,
    offset: arrays.offsets[0]!,
  };
}

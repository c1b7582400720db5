/**
 * Training loop: windows cut from the series with a stride, shuffled by a seeded generator, Adam
 * with global-norm gradient clipping, pinball loss, early stopping on validation windows that end
 * in the held-out hours, best weights restored at the end.
 */
import * as tf from '@tensorflow/tfjs';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { TrainingProgress } from '../types.js';
import { Adam } from './adam.js';
import type { TftHyperParams } from './config.js';
import { buildBatch, type BatchArrays, type FeatureSettings, type PreparedSeries } from './features.js';
import { INFERENCE, type RunContext } from './layers.js';
import { pinballLoss } from './loss.js';
import type { NetworkInputs, TftNetwork } from './network.js';
import type { ParameterStore } from './parameters.js';
import type { Rng } from './random.js';

export interface WindowPlan {
  trainOrigins: number[];
  validationOrigins: number[];
  /** First held-out row; validation targets before it are not scored. */
  validationFrom: number;
}

function hasTarget(series: PreparedSeries, from: number, to: number): boolean {
  for (let row = Math.max(0, from); row < Math.min(to, series.length); row++) {
    if (!Number.isNaN(series.target[row]!)) return true;
  }
  return false;
}

/**
 * Training origins o (encoder [o - Te, o), decoder [o, o + H)) step by `stride` and keep the whole
 * decoder before the validation hours; validation origins score the held-out hours only. Windows
 * without any target in the scored part are skipped.
 */
export function planWindows(
  series: PreparedSeries,
  settings: Pick<FeatureSettings, 'encoderLength' | 'horizon'>,
  validationHours: number,
  stride: number,
  validationStride: number,
): WindowPlan {
  const { encoderLength: te, horizon: td } = settings;
  const n = series.length;
  const validationFrom = n - validationHours;
  if (validationFrom < te + td) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `TFT needs at least ${te + td} hours of history (encoder ${te} + horizon ${td}) before the ${validationHours} validation hours; the frame has ${n} hours`,
    );
  }
  const trainOrigins: number[] = [];
  // Anchor the grid at the newest window so that the most recent hours are always trained on.
  for (let o = validationFrom - td; o >= te; o -= stride) {
    if (hasTarget(series, o, o + td)) trainOrigins.push(o);
  }
  trainOrigins.reverse();
  if (trainOrigins.length === 0) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      'no training window has an observed target in its horizon',
    );
  }
  const validationOrigins: number[] = [];
  if (validationHours > 0) {
    const first = Math.max(te, validationFrom + td > n ? n - td : validationFrom);
    for (let o = first; o + td <= n; o += validationStride) {
      if (hasTarget(series, Math.max(o, validationFrom), o + td)) validationOrigins.push(o);
    }
  }
  return { trainOrigins, validationOrigins, validationFrom };
}

export function toInputs(arrays: BatchArrays, network: TftNetwork): NetworkInputs {
  const { encoderLength, horizon } = network.shape;
  const b = arrays.batch;
  const matrix = (values: Float32Array, rows: number) => tf.tensor2d(values, [rows, values.length / rows]);
  return {
    batch: b,
    static: arrays.static.map((values) => matrix(values, b)),
    encoder: arrays.encoder.map((values) => matrix(values, b * encoderLength)),
    decoder: arrays.decoder.map((values) => matrix(values, b * horizon)),
  };
}

export interface TrainingOutcome {
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  validationLoss: number | null;
  curve: Array<{ step: number; metrics: Record<string, number> }>;
  stoppedBy: 'maxEpochs' | 'patience' | 'timeLimit';
}

export interface TrainingJob {
  network: TftNetwork;
  store: ParameterStore;
  series: PreparedSeries;
  settings: FeatureSettings;
  hyper: TftHyperParams;
  plan: WindowPlan;
  quantiles: readonly number[];
  shuffleRng: Rng;
  dropoutRng: Rng;
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
}

function interrupted(): DcgridError {
  return new DcgridError(ErrorCodes.INTERRUPTED, 'TFT training was interrupted');
}

/** Lets timers and abort events run between batches (training itself is synchronous work). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Forecast hours 1-24 weigh `dayAheadWeight` in the loss, later hours 1: the mask becomes a weight. */
export function weightDayAhead(arrays: BatchArrays, horizon: number, dayAheadWeight: number): BatchArrays {
  if (dayAheadWeight === 1 || !arrays.mask) return arrays;
  const mask = arrays.mask;
  for (let b = 0; b < arrays.batch; b++) {
    for (let h = 0; h < Math.min(24, horizon); h++) mask[b * horizon + h]! *= dayAheadWeight;
  }
  return arrays;
}

/** Mean pinball loss over the scored hours of `origins` (inference mode, batched), day-ahead weighted. */
export function evaluateLoss(
  job: Pick<TrainingJob, 'network' | 'series' | 'settings' | 'quantiles' | 'hyper'>,
  origins: number[],
  scoreFrom: number,
): number {
  let weighted = 0;
  let count = 0;
  for (let i = 0; i < origins.length; i += job.hyper.batchSize) {
    const arrays = weightDayAhead(
      buildBatch(job.series, job.settings, {
        origins: origins.slice(i, i + job.hyper.batchSize),
        withTargets: true,
        scoreFrom,
      }),
      job.settings.horizon,
      job.hyper.dayAheadWeight,
    );
    const scored = arrays.mask!.reduce((a, b) => a + b, 0);
    if (scored === 0) continue;
    const loss = tf.tidy(() => {
      const outputs = job.network.apply(toInputs(arrays, job.network), INFERENCE);
      const td = job.settings.horizon;
      return pinballLoss(
        outputs.quantiles,
        tf.tensor2d(arrays.targets!, [arrays.batch, td]),
        tf.tensor2d(arrays.mask!, [arrays.batch, td]),
        job.quantiles,
      ).dataSync()[0]!;
    });
    weighted += loss * scored;
    count += scored;
  }
  return count > 0 ? weighted / count : Number.NaN;
}

/** One optimiser step on one batch; returns the batch loss. */
function trainStep(job: TrainingJob, optimizer: Adam, arrays: BatchArrays, run: RunContext): number {
  const td = job.settings.horizon;
  const variables = job.store.list();
  return tf.tidy(() => {
    const inputs = toInputs(arrays, job.network);
    const targets = tf.tensor2d(arrays.targets!, [arrays.batch, td]);
    const mask = tf.tensor2d(arrays.mask!, [arrays.batch, td]);
    const { value, grads } = tf.variableGrads(
      () => pinballLoss(job.network.apply(inputs, run).quantiles, targets, mask, job.quantiles),
      variables,
    );
    optimizer.step(variables.map((variable) => grads[variable.name]!));
    return value.dataSync()[0]!;
  });
}

export async function trainNetwork(job: TrainingJob): Promise<TrainingOutcome> {
  const { hyper, plan, signal } = job;
  const optimizer = new Adam(job.store.list(), {
    learningRate: hyper.learningRate,
    clipNorm: hyper.gradientClipNorm,
  });
  const run: RunContext = { training: true, dropout: hyper.dropout, rng: job.dropoutRng };
  const curve: TrainingOutcome['curve'] = [];
  const started = performance.now();
  let best = {
    epoch: 0,
    score: Number.POSITIVE_INFINITY,
    trainLoss: Number.NaN,
    validationLoss: null as number | null,
  };
  let bestWeights: Float32Array[] | undefined;
  let stoppedBy: TrainingOutcome['stoppedBy'] = 'maxEpochs';
  let epoch = 0;
  // Epochs since the last improvement or learning-rate cut (reduce-on-plateau).
  let sinceDecay = 0;
  while (epoch < hyper.maxEpochs) {
    epoch++;
    const order = job.shuffleRng.shuffle([...plan.trainOrigins]).slice(0, hyper.windowsPerEpoch);
    let lossSum = 0;
    let batches = 0;
    for (let i = 0; i < order.length; i += hyper.batchSize) {
      if (signal?.aborted) throw interrupted();
      const arrays = weightDayAhead(
        buildBatch(job.series, job.settings, {
          origins: order.slice(i, i + hyper.batchSize),
          withTargets: true,
        }),
        job.settings.horizon,
        hyper.dayAheadWeight,
      );
      lossSum += trainStep(job, optimizer, arrays, run);
      batches++;
      await yieldToEventLoop();
    }
    if (signal?.aborted) throw interrupted();
    const trainLoss = lossSum / batches;
    if (!Number.isFinite(trainLoss)) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        `TFT training diverged at epoch ${epoch} (loss ${trainLoss}); try a lower learningRate`,
      );
    }
    const validationLoss =
      plan.validationOrigins.length > 0
        ? evaluateLoss(job, plan.validationOrigins, plan.validationFrom)
        : null;
    const metrics: Record<string, number> = {
      loss: trainLoss,
      learning_rate: optimizer.rate,
      train_windows: order.length,
    };
    if (validationLoss !== null) metrics.val_loss = validationLoss;
    curve.push({ step: epoch, metrics });
    job.onProgress?.({ step: epoch, totalSteps: hyper.maxEpochs, metrics });

    const score = validationLoss ?? trainLoss;
    if (score < best.score) {
      best = { epoch, score, trainLoss, validationLoss };
      bestWeights = job.store.snapshot();
      sinceDecay = 0;
    } else if (epoch - best.epoch >= hyper.patience) {
      stoppedBy = 'patience';
      break;
    } else if (++sinceDecay >= hyper.learningRatePatience && hyper.learningRateDecay < 1) {
      optimizer.setRate(optimizer.rate * hyper.learningRateDecay);
      sinceDecay = 0;
    }
    if (
      hyper.maxTrainSeconds !== undefined &&
      (performance.now() - started) / 1000 >= hyper.maxTrainSeconds
    ) {
      stoppedBy = 'timeLimit';
      break;
    }
  }
  if (bestWeights) job.store.restore(bestWeights);
  return {
    epochs: epoch,
    bestEpoch: best.epoch,
    trainLoss: best.trainLoss,
    validationLoss: best.validationLoss,
    curve,
    stoppedBy,
  };
}

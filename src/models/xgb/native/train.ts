/**
 * The boosting loop: built-in or custom objective, per-round evaluation, early stopping on the
 * last evaluation set, progress reports and cancellation between rounds.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DcgridError, ErrorCodes } from '../../../lib/errors.js';
import { Booster, type BoosterParams, type EvalSet } from './booster.js';
import type { DMatrix } from './dmatrix.js';

/** Gradient and hessian of a loss at the current raw predictions (margins) of the training rows. */
export type CustomObjective = (
  margins: Float32Array,
  labels: Float32Array,
) => {
  grad: Float32Array;
  hess: Float32Array;
};

/** A metric computed in JS from the raw predictions of an evaluation set; lower is better. */
export interface CustomMetric {
  name: string;
  evaluate(margins: Float32Array, labels: Float32Array): number;
}

export interface TrainOptions {
  params: BoosterParams;
  train: DMatrix;
  rounds: number;
  /** Evaluated every round; early stopping watches the last set. */
  evals?: readonly EvalSet[];
  objective?: CustomObjective;
  /** Replaces the booster's eval_metric for evaluation and early stopping. */
  metric?: CustomMetric;
  /** Stop when the watched metric has not improved for this many rounds. */
  earlyStoppingRounds?: number;
  signal?: AbortSignal;
  onRound?: (round: number, metrics: Record<string, number>) => void;
}

export interface TrainResult {
  booster: Booster;
  /** 0-based round with the best watched metric (the last round without evaluation). */
  bestIteration: number;
  bestScore: number;
  /** Metrics per round, e.g. history[3]['valid-rmse']. */
  history: Array<Record<string, number>>;
}

const MAXIMISED_METRICS = /^(auc|aucpr|map|ndcg|pre)/;

function labelsOf(matrix: DMatrix, role: string): Float32Array {
  const labels = matrix.labels;
  if (labels === undefined) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `The ${role} DMatrix has no labels.`);
  }
  return labels;
}

function throwIfAborted(signal: AbortSignal | undefined, round: number): void {
  if (signal?.aborted === true) {
    throw new DcgridError(
      ErrorCodes.INTERRUPTED,
      `Training interrupted after ${round} boosting rounds.`,
      {},
      {
        cause: signal.reason,
      },
    );
  }
}

function evaluate(booster: Booster, round: number, options: TrainOptions): Record<string, number> {
  const evals = options.evals ?? [];
  if (evals.length === 0) return {};
  const metric = options.metric;
  if (metric === undefined) return booster.evalOneIter(round, evals);
  const metrics: Record<string, number> = {};
  for (const set of evals) {
    const margins = booster.predict(set.data, { kind: 'margin', training: false }).values;
    metrics[`${set.name}-${metric.name}`] = metric.evaluate(margins, labelsOf(set.data, set.name));
  }
  return metrics;
}

/** Trains a booster; the caller owns (and must dispose) the returned booster. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { train: dtrain, rounds, objective } = options;
  const evals = options.evals ?? [];
  const booster = Booster.create(options.params, [dtrain, ...evals.map((set) => set.data)]);
  const history: Array<Record<string, number>> = [];
  let bestIteration = 0;
  let bestScore = Number.NaN;
  try {
    const trainLabels = objective !== undefined ? labelsOf(dtrain, 'training') : undefined;
    for (let round = 0; round < rounds; round++) {
      throwIfAborted(options.signal, round);
      if (objective !== undefined && trainLabels !== undefined) {
        const margins = booster.predict(dtrain, { kind: 'margin', training: true }).values;
        const { grad, hess } = objective(margins, trainLabels);
        booster.boostOneIter(dtrain, grad, hess);
      } else {
        booster.updateOneIter(round, dtrain);
      }
      const metrics = evaluate(booster, round, options);
      history.push(metrics);
      options.onRound?.(round, metrics);
      const watched = Object.keys(metrics).at(-1);
      if (watched === undefined) {
        bestIteration = round;
      } else {
        const score = metrics[watched]!;
        const maximise =
          options.metric === undefined && MAXIMISED_METRICS.test(watched.split('-').at(-1) ?? '');
        const improved = Number.isNaN(bestScore) || (maximise ? score > bestScore : score < bestScore);
        if (improved) {
          bestScore = score;
          bestIteration = round;
        } else if (
          options.earlyStoppingRounds !== undefined &&
          round - bestIteration >= options.earlyStoppingRounds
        ) {
          break;
        }
      }
      // Lets timers, signals and I/O run between rounds (the native calls block this thread).
      await yieldToEventLoop();
    }
    throwIfAborted(options.signal, history.length);
    booster.setAttr('best_iteration', String(bestIteration));
    if (!Number.isNaN(bestScore)) booster.setAttr('best_score', String(bestScore));
    return { booster, bestIteration, bestScore, history };
  } catch (error) {
    booster.dispose();
    throw error;
  }
}

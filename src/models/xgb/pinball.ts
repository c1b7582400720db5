/**
 * Quantile regression for XGBoost 1.7, which has no built-in quantile objective: the pinball
 * (check) loss as a custom objective (gradient with a unit hessian) and as an evaluation metric.
 */
import type { CustomMetric, CustomObjective } from './native/train.js';

/** Mean pinball loss of predictions for quantile alpha. */
export function pinballLoss(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  alpha: number,
): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const residual = labels[i]! - predictions[i]!;
    sum += residual >= 0 ? alpha * residual : (alpha - 1) * residual;
  }
  return labels.length > 0 ? sum / labels.length : Number.NaN;
}

/**
 * d(pinball)/d(prediction) is -alpha below the label and 1 - alpha above it. The true hessian is
 * zero almost everywhere; a unit hessian turns each tree leaf into a damped step towards the
 * alpha-quantile of the residuals it holds.
 */
export function pinballObjective(alpha: number): CustomObjective {
  return (margins, labels) => {
    const grad = new Float32Array(labels.length);
    const hess = new Float32Array(labels.length).fill(1);
    for (let i = 0; i < labels.length; i++) {
      const diff = margins[i]! - labels[i]!;
      grad[i] = diff > 0 ? 1 - alpha : diff < 0 ? -alpha : 0;
    }
    return { grad, hess };
  };
}

export function pinballMetric(alpha: number): CustomMetric {
  return { name: 'pinball', evaluate: (margins, labels) => pinballLoss(margins, labels, alpha) };
}

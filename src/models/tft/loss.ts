/**
 * Pinball (quantile) loss averaged over the hours that have a target: for quantile q and error
 * e = y - ŷ, max(q·e, (q - 1)·e). Missing targets arrive as 0 with mask 0 and add nothing.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * `predictions` [B, T, Q], `targets` and `mask` [B, T]; `quantiles` the Q levels.
 * Returns a scalar; 0 when the mask is empty.
 */
export function pinballLoss(
  predictions: tf.Tensor3D,
  targets: tf.Tensor2D,
  mask: tf.Tensor2D,
  quantiles: readonly number[],
): tf.Scalar {
  const levels = tf.tensor1d(quantiles as number[]);
  const errors = tf.sub(tf.expandDims(targets, 2), predictions);
  const loss = tf.maximum(tf.mul(errors, levels), tf.mul(errors, tf.sub(levels, 1)));
  const masked = tf.mul(loss, tf.expandDims(mask, 2));
  const count = tf.maximum(tf.mul(tf.sum(mask), quantiles.length), 1);
  return tf.div(tf.sum(masked), count) as tf.Scalar;
}

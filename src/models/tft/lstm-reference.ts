/**
 * The same encoder-decoder LSTM as lstm.ts written as a loop of plain tf ops, with tf's autodiff.
 * It checks the hand-written backward pass in tests and gives the benchmark its "before" figure;
 * on wasm it is slow at full size (each time step is sliced out of the whole input).
 */
import * as tf from '@tensorflow/tfjs';

export function referenceEncoderDecoderLstm(
  preEnc: tf.Tensor3D,
  preDec: tf.Tensor3D,
  whEnc: tf.Tensor2D,
  whDec: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
): tf.Tensor3D {
  const steps: Array<[tf.Tensor2D, tf.Tensor2D]> = [
    ...tf.unstack(preEnc, 1).map((x): [tf.Tensor2D, tf.Tensor2D] => [x as tf.Tensor2D, whEnc]),
    ...tf.unstack(preDec, 1).map((x): [tf.Tensor2D, tf.Tensor2D] => [x as tf.Tensor2D, whDec]),
  ];
  let h = h0;
  let c = c0;
  const outputs: tf.Tensor2D[] = [];
  for (const [x, wh] of steps) {
    const z = tf.add(x, tf.matMul(h, wh));
    const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    outputs.push(h);
  }
  return tf.stack(outputs, 1) as tf.Tensor3D;
}

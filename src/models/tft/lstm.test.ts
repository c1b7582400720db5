import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from './backend.js';
import { encoderDecoderLstm } from './lstm.js';
import { referenceEncoderDecoderLstm } from './lstm-reference.js';
import { Rng } from './random.js';

function randomTensor(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.uniform(-scale, scale)),
    shape,
  );
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('encoderDecoderLstm (hand-written backward pass)', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('matches a tf-ops LSTM in outputs and in gradients for every input', () => {
    const rng = new Rng(3);
    const [batch, te, td, hidden] = [3, 5, 4, 6];
    const inputs = [
      randomTensor(rng, [batch, te, 4 * hidden]),
      randomTensor(rng, [batch, td, 4 * hidden]),
      randomTensor(rng, [hidden, 4 * hidden], 0.5),
      randomTensor(rng, [hidden, 4 * hidden], 0.5),
      randomTensor(rng, [batch, hidden]),
      randomTensor(rng, [batch, hidden]),
    ] as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    // A loss that weighs every output differently, so each step's gradient matters.
    const weights = randomTensor(rng, [batch, te + td, hidden]);
    const lossOf =
      (lstm: typeof encoderDecoderLstm) =>
      (...xs: tf.Tensor[]) =>
        tf.sum(tf.mul(lstm(...(xs as typeof inputs)), weights)) as tf.Scalar;

    const ours = encoderDecoderLstm(...inputs);
    const reference = referenceEncoderDecoderLstm(...inputs);
    expect(ours.shape).toEqual([batch, te + td, hidden]);
    expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);

    const gradsOurs = tf.grads(lossOf(encoderDecoderLstm))(inputs);
    const gradsReference = tf.grads(lossOf(referenceEncoderDecoderLstm))(inputs);
    expect(gradsOurs).toHaveLength(6);
    gradsOurs.forEach((grad, i) => {
      expect(grad.shape).toEqual(inputs[i]!.shape);
      const scale = tf.tidy(() => tf.max(tf.abs(gradsReference[i]!)).dataSync()[0]!);
      expect(scale).toBeGreaterThan(0);
      expect(maxAbsDiff(grad, gradsReference[i]!) / scale).toBeLessThan(1e-4);
    });
  });

  it('starts the decoder from the encoder state (changing the context changes the decoder outputs)', () => {
    const rng = new Rng(5);
    const [batch, te, td, hidden] = [2, 3, 2, 4];
    const preEnc = randomTensor(rng, [batch, te, 4 * hidden]) as tf.Tensor3D;
    const preDec = randomTensor(rng, [batch, td, 4 * hidden]) as tf.Tensor3D;
    const whEnc = randomTensor(rng, [hidden, 4 * hidden], 0.5) as tf.Tensor2D;
    const whDec = randomTensor(rng, [hidden, 4 * hidden], 0.5) as tf.Tensor2D;
    const zeros = tf.zeros([batch, hidden]) as tf.Tensor2D;
    const a = encoderDecoderLstm(preEnc, preDec, whEnc, whDec, zeros, zeros);
    const b = encoderDecoderLstm(tf.add(preEnc, 1) as tf.Tensor3D, preDec, whEnc, whDec, zeros, zeros);
    const decoderPart = (x: tf.Tensor3D) => tf.slice(x, [0, te, 0], [batch, td, hidden]);
    expect(maxAbsDiff(decoderPart(a), decoderPart(b))).toBeGreaterThan(1e-3);
  });
});

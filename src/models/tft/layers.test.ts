import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from './backend.js';
import { dense } from './dense.js';
import { GateAddNorm, Glu, Grn, INFERENCE, LayerNorm, addContext, dropout } from './layers.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './random.js';

function randomMatrix(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({ length: rows * cols }, () => rng.uniform(-1, 1)),
    [rows, cols],
  );
}

/** Every variable of `store` receives a finite, non-zero gradient from `loss`. */
function expectGradientsForAll(store: ParameterStore, loss: () => tf.Scalar): void {
  const variables = store.list();
  const { grads, value } = tf.variableGrads(loss, variables);
  expect(Number.isFinite(value.dataSync()[0])).toBe(true);
  for (const variable of variables) {
    const grad = grads[variable.name];
    expect(grad, variable.name).toBeDefined();
    expect(grad!.shape).toEqual(variable.shape);
    const magnitude = tf.tidy(() => tf.sum(tf.abs(grad!)).dataSync()[0]!);
    expect(Number.isFinite(magnitude), variable.name).toBe(true);
    expect(magnitude, variable.name).toBeGreaterThan(0);
  }
}

describe('TFT layers', () => {
  let store: ParameterStore | undefined;
  beforeAll(async () => {
    await useWasmBackend();
  });
  afterEach(() => {
    store?.dispose();
    store = undefined;
  });

  it('dense: the wasm-friendly gradient equals tf.matMul + bias autodiff', () => {
    const rng = new Rng(1);
    const x = randomMatrix(rng, 7, 5);
    const w = randomMatrix(rng, 5, 3);
    const b = tf.tensor1d([0.1, -0.2, 0.3]);
    const upstream = randomMatrix(rng, 7, 3);
    const ours = tf.grads((a, c, d) =>
      tf.sum(tf.mul(dense(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), upstream)),
    )([x, w, b]);
    const theirs = tf.grads((a, c, d) =>
      tf.sum(tf.mul(tf.add(tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), d), upstream)),
    )([x, w, b]);
    ours.forEach((grad, i) => {
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(grad, theirs[i]!))).dataSync()[0]!)).toBeLessThan(1e-5);
    });
    const noBias = tf.grads((a, c) => tf.sum(tf.mul(dense(a as tf.Tensor2D, c as tf.Tensor2D), upstream)))([
      x,
      w,
    ]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(noBias[1]!, theirs[1]!))).dataSync()[0]!)).toBeLessThan(1e-5);
  });

  it('LayerNorm gives zero mean and unit variance per row before its gain and offset', () => {
    store = new ParameterStore(new Rng(2));
    const norm = new LayerNorm(store, 'ln', 6);
    const out = norm.apply(randomMatrix(new Rng(3), 4, 6));
    const { mean, variance } = tf.moments(out, -1);
    expect(Array.from(mean.dataSync()).every((m) => Math.abs(m) < 1e-5)).toBe(true);
    expect(Array.from(variance.dataSync()).every((v) => Math.abs(v - 1) < 1e-3)).toBe(true);
  });

  it('LayerNorm: the analytic gradient equals autodiff through tf.moments', () => {
    store = new ParameterStore(new Rng(12));
    const norm = new LayerNorm(store, 'ln', 5);
    const rng = new Rng(13);
    tf.tidy(() => {
      norm.gain.assign(tf.tensor1d([0.5, 1, 1.5, 2, -1]));
      norm.offset.assign(tf.tensor1d([0.1, 0, -0.1, 0.2, 0]));
    });
    const x = randomMatrix(rng, 4, 5);
    const upstream = randomMatrix(rng, 4, 5);
    const byMoments = (a: tf.Tensor, g: tf.Tensor, o: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), g), o);
    };
    const inputs = [x, norm.gain, norm.offset];
    const ours = tf.grads((a, _g, _o) => tf.sum(tf.mul(norm.apply(a as tf.Tensor2D), upstream)))(inputs);
    const theirs = tf.grads((a, g, o) => tf.sum(tf.mul(byMoments(a, g, o), upstream)))(inputs);
    expect(
      tf.max(tf.abs(tf.sub(norm.apply(x), byMoments(x, norm.gain, norm.offset)))).dataSync()[0],
    ).toBeLessThan(1e-5);
    ours.forEach((grad, i) => {
      expect(tf.max(tf.abs(tf.sub(grad, theirs[i]!))).dataSync()[0], `input ${i}`).toBeLessThan(1e-4);
    });
  });

  it('GLU maps [rows, in] to [rows, out] and gates values into (-|value|, |value|)', () => {
    store = new ParameterStore(new Rng(4));
    const glu = new Glu(store, 'glu', 5, 3);
    const out = glu.apply(randomMatrix(new Rng(5), 8, 5));
    expect(out.shape).toEqual([8, 3]);
  });

  it('GRN: shapes with and without a projection skip, with a static context broadcast over steps', () => {
    store = new ParameterStore(new Rng(6));
    const rng = new Rng(7);
    const same = new Grn(store, 'same', { inputSize: 8, hiddenSize: 8, outputSize: 8 });
    expect(same.apply(randomMatrix(rng, 10, 8), INFERENCE).shape).toEqual([10, 8]);
    const projecting = new Grn(store, 'proj', {
      inputSize: 12,
      hiddenSize: 8,
      outputSize: 3,
      contextSize: 5,
    });
    const batch = 2;
    const steps = 4;
    const x = randomMatrix(rng, batch * steps, 12);
    const context = randomMatrix(rng, batch, 5);
    const out = projecting.apply(x, INFERENCE, { value: context, steps });
    expect(out.shape).toEqual([batch * steps, 3]);
    // The context changes the output.
    const other = projecting.apply(x, INFERENCE, { value: tf.mul(context, 2) as tf.Tensor2D, steps });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(out, other))).dataSync()[0]!)).toBeGreaterThan(1e-4);
  });

  it('GRN and gate-add-norm: every weight gets a gradient on wasm', () => {
    store = new ParameterStore(new Rng(8));
    const rng = new Rng(9);
    const grn = new Grn(store, 'grn', { inputSize: 6, hiddenSize: 4, outputSize: 5, contextSize: 3 });
    const gate = new GateAddNorm(store, 'gate', 5, 5);
    const x = randomMatrix(rng, 6, 6);
    const context = randomMatrix(rng, 2, 3);
    const skip = randomMatrix(rng, 6, 5);
    const target = randomMatrix(rng, 6, 5);
    const run = { training: true, dropout: 0.2, rng: new Rng(10) };
    expectGradientsForAll(store, () => {
      const out = gate.apply(grn.apply(x, run, { value: context, steps: 3 }), skip, run);
      return tf.sum(tf.square(tf.sub(out, target)));
    });
  });

  it('addContext broadcasts a [B, k] context over the steps of each batch row', () => {
    const x = tf.zeros([6, 2]) as tf.Tensor2D;
    const context = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(addContext(x, context, 3).dataSync())).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
  });

  it('dropout is the identity at inference and a seeded, rescaled mask in training', () => {
    const x = tf.ones([100, 10]) as tf.Tensor2D;
    expect(dropout(x, INFERENCE)).toBe(x);
    const a = dropout(x, { training: true, dropout: 0.5, rng: new Rng(11) }).dataSync();
    const b = dropout(x, { training: true, dropout: 0.5, rng: new Rng(11) }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(new Set(a)).toEqual(new Set([0, 2]));
    const kept = a.filter((v) => v > 0).length / a.length;
    expect(kept).toBeGreaterThan(0.4);
    expect(kept).toBeLessThan(0.6);
  });
});

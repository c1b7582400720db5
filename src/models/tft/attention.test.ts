import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InterpretableAttention, averagedCausalAttention, causalMask } from './attention.js';
import { useWasmBackend } from './backend.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './random.js';

function randomMatrix(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({ length: rows * cols }, () => rng.uniform(-1, 1)),
    [rows, cols],
  );
}

describe('interpretable multi-head attention', () => {
  let store: ParameterStore | undefined;
  beforeAll(async () => {
    await useWasmBackend();
  });
  afterEach(() => {
    store?.dispose();
    store = undefined;
  });

  it('causal mask: decoder step q sees every encoder step and decoder steps up to q', () => {
    const mask = causalMask(2, 5); // 3 encoder + 2 decoder positions
    expect(Array.from(mask)).toEqual([0, 0, 0, 0, -1e9, 0, 0, 0, 0, 0]);
  });

  it('averaged weights and their gradients equal a plain tf.mean-over-heads version', () => {
    const rng = new Rng(11);
    const [batch, heads, headSize, tq, tk] = [2, 3, 2, 3, 7];
    const q = randomMatrix(rng, batch * tq, heads * headSize);
    const k = randomMatrix(rng, batch * tk, heads * headSize);
    const upstream = tf.tensor3d(
      Float32Array.from({ length: batch * tq * tk }, () => rng.uniform(-1, 1)),
      [batch, tq, tk],
    );
    const plain = (a: tf.Tensor, b: tf.Tensor) => {
      const perHead = (x: tf.Tensor, steps: number) =>
        tf.transpose(tf.reshape(x, [batch, steps, heads, headSize]), [0, 2, 1, 3]);
      const scores = tf.add(
        tf.matMul(perHead(a, tq), perHead(b, tk), false, true),
        tf.tensor2d(causalMask(tq, tk), [tq, tk]),
      );
      return tf.mean(tf.softmax(scores), 1);
    };
    const ours = (a: tf.Tensor, b: tf.Tensor) =>
      averagedCausalAttention(a as tf.Tensor2D, b as tf.Tensor2D, batch, heads);
    expect(tf.max(tf.abs(tf.sub(ours(q, k), plain(q, k)))).dataSync()[0]).toBeLessThan(1e-6);
    const gradsOurs = tf.grads((a, b) => tf.sum(tf.mul(ours(a, b), upstream)))([q, k]);
    const gradsPlain = tf.grads((a, b) => tf.sum(tf.mul(plain(a, b), upstream)))([q, k]);
    gradsOurs.forEach((grad, i) => {
      expect(tf.max(tf.abs(tf.sub(grad, gradsPlain[i]!))).dataSync()[0]).toBeLessThan(1e-5);
    });
  });

  it('shapes, rows summing to 1, no weight on later decoder positions, gradients for every weight', () => {
    store = new ParameterStore(new Rng(1));
    const hidden = 8;
    const heads = 2;
    const batch = 3;
    const [te, td] = [4, 3];
    const params = store;
    const attention = new InterpretableAttention(params, 'att', hidden, heads);
    expect(attention.headSize).toBe(4);
    const rng = new Rng(2);
    const keys = randomMatrix(rng, batch * (te + td), hidden);
    const queries = tf.reshape(
      tf.slice(tf.reshape(keys, [batch, te + td, hidden]), [0, te, 0], [batch, td, hidden]),
      [batch * td, hidden],
    ) as tf.Tensor2D;
    const { output, weights } = attention.apply(queries, keys, batch);
    expect(output.shape).toEqual([batch * td, hidden]);
    expect(weights.shape).toEqual([batch, td, te + td]);
    const w = weights.arraySync();
    for (const row of w.flat()) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const perBatch of w) {
      perBatch.forEach((row, q) => {
        for (let k = te + q + 1; k < te + td; k++) expect(row[k]).toBe(0);
        expect(row[te + q]).toBeGreaterThan(0);
      });
    }

    const variables = params.list();
    const target = randomMatrix(rng, batch * td, hidden);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(tf.sub(attention.apply(queries, keys, batch).output, target))) as tf.Scalar,
      variables,
    );
    for (const variable of variables) {
      expect(
        tf.tidy(() => tf.sum(tf.abs(grads[variable.name]!)).dataSync()[0]!),
        variable.name,
      ).toBeGreaterThan(0);
    }
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InterpretableAttention, causalMask } from './attention.js';
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
    const mask = tf.tensor2d(causalMask(td, te + td), [td, te + td]);
    const { output, weights } = attention.apply(queries, keys, batch, mask);
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
      () =>
        tf.sum(tf.square(tf.sub(attention.apply(queries, keys, batch, mask).output, target))) as tf.Scalar,
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

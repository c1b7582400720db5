import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from './backend.js';
import { INFERENCE } from './layers.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './random.js';
import { InputEmbedding, VariableSelection, inputWidth, type VariableSpec } from './vsn.js';

const variables: VariableSpec[] = [
  { name: 'load', kind: 'real' },
  { name: 'hour', kind: 'categorical', cardinality: 24 },
  { name: 'flag', kind: 'real' },
];

function inputsFor(rng: Rng, rows: number): tf.Tensor2D[] {
  return variables.map((spec) => {
    const width = inputWidth(spec);
    const values = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      if (spec.kind === 'real') values[r] = rng.uniform(-1, 1);
      else values[r * width + rng.int(width)] = 1;
    }
    return tf.tensor2d(values, [rows, width]);
  });
}

describe('input embeddings and variable selection', () => {
  let store: ParameterStore;
  beforeAll(async () => {
    await useWasmBackend();
  });
  afterEach(() => store.dispose());

  it('a one-hot row times the embedding matrix picks that category’s row (matMul, no gather)', () => {
    store = new ParameterStore(new Rng(1));
    const embedding = new InputEmbedding(store, { name: 'dow', kind: 'categorical', cardinality: 7 }, 4);
    const oneHot = tf.oneHot(tf.tensor1d([3, 0], 'int32'), 7).toFloat() as tf.Tensor2D;
    const out = embedding.apply(oneHot);
    const table = store.list()[0]!;
    expect(Array.from(out.dataSync().slice(0, 4))).toEqual(
      Array.from(tf.slice(table, [3, 0], [1, 4]).dataSync()),
    );
  });

  it('temporal VSN: [B·T, hidden] output, softmax weights [B·T, V] that sum to 1, gradients for all weights', () => {
    store = new ParameterStore(new Rng(2));
    const hidden = 8;
    const batch = 3;
    const steps = 5;
    const embeddings = variables.map((spec) => new InputEmbedding(store, spec, hidden));
    const vsn = new VariableSelection(store, 'vsn', variables, hidden, hidden);
    const rng = new Rng(3);
    const inputs = inputsFor(rng, batch * steps);
    const context = tf.tensor2d(
      Float32Array.from({ length: batch * hidden }, () => rng.uniform(-1, 1)),
      [batch, hidden],
    );
    const apply = (run = INFERENCE) =>
      vsn.apply(
        embeddings.map((e, j) => e.apply(inputs[j]!)),
        run,
        { value: context, steps },
      );
    const { output, weights } = apply();
    expect(output.shape).toEqual([batch * steps, hidden]);
    expect(weights.shape).toEqual([batch * steps, variables.length]);
    const sums = tf.sum(weights, 1).dataSync();
    expect(Array.from(sums).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);

    const all = store.list();
    const target = tf.randomNormal([batch * steps, hidden], 0, 1, 'float32', 4);
    const { grads } = tf.variableGrads(() => {
      const out = apply({ training: true, dropout: 0.1, rng: new Rng(5) });
      return tf.add(
        tf.sum(tf.square(tf.sub(out.output, target))),
        tf.sum(tf.mul(out.weights, tf.range(0, variables.length))),
      ) as tf.Scalar;
    }, all);
    for (const variable of all) {
      const magnitude = tf.tidy(() => tf.sum(tf.abs(grads[variable.name]!)).dataSync()[0]!);
      expect(magnitude, variable.name).toBeGreaterThan(0);
    }
  });

  it('static VSN (no context) over a single variable gives weight 1', () => {
    store = new ParameterStore(new Rng(6));
    const spec: VariableSpec = { name: 'only', kind: 'real' };
    const embedding = new InputEmbedding(store, spec, 4);
    const vsn = new VariableSelection(store, 'vsn1', [spec], 4);
    const { output, weights } = vsn.apply([embedding.apply(tf.tensor2d([[0.5], [-1]]))], INFERENCE);
    expect(output.shape).toEqual([2, 4]);
    expect(Array.from(weights.dataSync())).toEqual([1, 1]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from './backend.js';
import { decoderVariables, encoderVariables, staticVariables } from './features.js';
import { INFERENCE } from './layers.js';
import { pinballLoss } from './loss.js';
import { referenceEncoderDecoderLstm } from './lstm-reference.js';
import { TftNetwork, type NetworkInputs, type NetworkShape } from './network.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './random.js';
import { inputWidth, type VariableSpec } from './vsn.js';

function randomInputs(rng: Rng, variables: VariableSpec[], rows: number): tf.Tensor2D[] {
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

describe('TftNetwork (whole forward pass)', () => {
  const shape: NetworkShape = {
    hiddenSize: 8,
    attentionHeads: 2,
    encoderLength: 6,
    horizon: 4,
    quantileCount: 3,
    staticVariables: staticVariables(),
    encoderVariables: encoderVariables(['demand_mw']),
    decoderVariables: decoderVariables(),
  };
  const batch = 3;
  let store: ParameterStore;
  let network: TftNetwork;
  let inputs: NetworkInputs;

  beforeAll(async () => {
    await useWasmBackend();
    store = new ParameterStore(new Rng(1));
    network = new TftNetwork(store, shape);
    const rng = new Rng(2);
    inputs = {
      batch,
      static: randomInputs(rng, shape.staticVariables, batch),
      encoder: randomInputs(rng, shape.encoderVariables, batch * shape.encoderLength),
      decoder: randomInputs(rng, shape.decoderVariables, batch * shape.horizon),
    };
  });
  afterAll(() => {
    store.dispose();
  });

  it('returns quantiles, selection weights and head-averaged attention with the documented shapes', () => {
    const out = network.apply(inputs, INFERENCE);
    const { encoderLength: te, horizon: td } = shape;
    expect(out.quantiles.shape).toEqual([batch, td, 3]);
    expect(out.staticWeights.shape).toEqual([batch, shape.staticVariables.length]);
    expect(out.encoderWeights.shape).toEqual([batch * te, shape.encoderVariables.length]);
    expect(out.decoderWeights.shape).toEqual([batch * td, shape.decoderVariables.length]);
    expect(out.attention.shape).toEqual([batch, td, te + td]);
    expect(Array.from(out.quantiles.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('every trainable variable gets a non-zero gradient from the pinball loss on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
    const variables = store.list();
    const rng = new Rng(3);
    const targets = tf.tensor2d(
      Float32Array.from({ length: batch * shape.horizon }, () => rng.uniform(-1, 1)),
      [batch, shape.horizon],
    );
    const mask = tf.ones([batch, shape.horizon]) as tf.Tensor2D;
    const run = { training: true, dropout: 0.1, rng: new Rng(4) };
    const { grads } = tf.variableGrads(
      () => pinballLoss(network.apply(inputs, run).quantiles, targets, mask, [0.1, 0.5, 0.9]),
      variables,
    );
    const missing = variables.filter((variable) => {
      const grad = grads[variable.name];
      return !grad || tf.tidy(() => tf.sum(tf.abs(grad)).dataSync()[0]!) === 0;
    });
    expect(missing.map((variable) => variable.name)).toEqual([]);
    expect(variables.length).toBeGreaterThan(100);
  });

  it('the fused LSTM op and a tf-ops LSTM give the same network outputs and gradients', () => {
    const referenceStore = new ParameterStore(new Rng(1));
    const reference = new TftNetwork(referenceStore, shape, referenceEncoderDecoderLstm);
    try {
      const targets = tf.zeros([batch, shape.horizon]) as tf.Tensor2D;
      const mask = tf.ones([batch, shape.horizon]) as tf.Tensor2D;
      const lossOf = (net: TftNetwork) => () =>
        pinballLoss(net.apply(inputs, INFERENCE).quantiles, targets, mask, [0.1, 0.5, 0.9]);
      const ours = tf.variableGrads(lossOf(network), store.list());
      const theirs = tf.variableGrads(lossOf(reference), referenceStore.list());
      expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0]!, 5);
      const a = store.list();
      const b = referenceStore.list();
      a.forEach((variable, i) => {
        const diff = tf.tidy(
          () => tf.max(tf.abs(tf.sub(ours.grads[variable.name]!, theirs.grads[b[i]!.name]!))).dataSync()[0]!,
        );
        expect(diff, variable.name).toBeLessThan(1e-4);
      });
    } finally {
      referenceStore.dispose();
    }
  });
});

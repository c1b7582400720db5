import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { Adam } from './adam.js';
import { useWasmBackend } from './backend.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './random.js';

describe('parameter store', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('writes float32 little-endian tensors in manifest order and reads them back', () => {
    const store = new ParameterStore(new Rng(1));
    store.add('a', [2, 3], { kind: 'glorot', fanIn: 2, fanOut: 3 });
    store.add('b', [3], { kind: 'values', values: Float32Array.from([1.5, -2, 0.25]) });
    const manifest = store.manifest();
    expect(manifest).toEqual([
      { name: 'a', shape: [2, 3], offset: 0 },
      { name: 'b', shape: [3], offset: 6 },
    ]);
    const bytes = store.toBytes();
    expect(bytes.byteLength).toBe(9 * 4);
    const view = new DataView(bytes.buffer);
    expect(view.getFloat32(6 * 4, true)).toBe(1.5);
    expect(view.getFloat32(8 * 4, true)).toBe(0.25);

    const copy = new ParameterStore(new Rng(2));
    copy.add('a', [2, 3], { kind: 'constant', value: 0 });
    copy.add('b', [3], { kind: 'constant', value: 0 });
    copy.fromBytes(bytes, manifest);
    expect(copy.snapshot()).toEqual(store.snapshot());
    store.dispose();
    copy.dispose();
  });

  it('same seed → same initial values; glorot values stay within the Glorot limit', () => {
    const make = (seed: number) => {
      const store = new ParameterStore(new Rng(seed));
      store.add('w', [20, 30], { kind: 'glorot', fanIn: 20, fanOut: 30 });
      const values = store.snapshot()[0]!;
      store.dispose();
      return values;
    };
    expect(make(4)).toEqual(make(4));
    expect(make(4)).not.toEqual(make(5));
    const limit = Math.sqrt(6 / 50);
    expect(make(4).every((v) => Math.abs(v) <= limit)).toBe(true);
  });

  it('rejects weights whose manifest, names or size do not match the network', () => {
    const store = new ParameterStore(new Rng(1));
    store.add('a', [2], { kind: 'constant', value: 1 });
    const bytes = store.toBytes();
    const catchCode = (f: () => void) => {
      try {
        f();
        return undefined;
      } catch (error) {
        return isDcgridError(error) ? error.code : String(error);
      }
    };
    expect(catchCode(() => store.fromBytes(bytes, [{ name: 'other', shape: [2], offset: 0 }]))).toBe(
      'E_ARTIFACT',
    );
    expect(catchCode(() => store.fromBytes(bytes.subarray(0, 4), store.manifest()))).toBe('E_ARTIFACT');
    expect(catchCode(() => store.add('a', [1], { kind: 'constant', value: 0 }))).toBe('E_MODEL');
    store.dispose();
  });
});

describe('Adam (JS)', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('follows tf.train.adam step for step on a least-squares problem', () => {
    const rng = new Rng(3);
    const x = tf.tensor2d(
      Float32Array.from({ length: 40 }, () => rng.uniform(-1, 1)),
      [10, 4],
    );
    const y = tf.tensor2d(
      Float32Array.from({ length: 10 }, () => rng.uniform(-1, 1)),
      [10, 1],
    );
    const init = Float32Array.from({ length: 4 }, () => rng.uniform(-1, 1));
    const ours = tf.variable(tf.tensor2d(init, [4, 1]));
    const theirs = tf.variable(tf.tensor2d(init, [4, 1]));
    const loss = (w: tf.Variable) => () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar;
    const adam = new Adam([ours], { learningRate: 0.05, epsilon: 1e-7 });
    const reference = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    for (let step = 0; step < 25; step++) {
      const { grads } = tf.variableGrads(loss(ours), [ours]);
      adam.step([grads[ours.name]!]);
      reference.minimize(loss(theirs), false, [theirs]);
    }
    const diff = tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
    expect(loss(ours)().dataSync()[0]).toBeLessThan(
      loss(tf.variable(tf.tensor2d(init, [4, 1])))().dataSync()[0]!,
    );
    reference.dispose();
  });

  it('clips the global gradient norm', () => {
    const w = tf.variable(tf.zeros([2]));
    const adam = new Adam([w], { learningRate: 1, clipNorm: 1 });
    const norm = adam.step([tf.tensor1d([30, 40])]);
    expect(norm).toBe(50);
    // First Adam step moves each weight by about the learning rate against the gradient's sign.
    expect(Array.from(w.dataSync()).map((v) => Math.round(v * 1000) / 1000)).toEqual([-1, -1]);
  });
});

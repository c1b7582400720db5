import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from './backend.js';

describe('wasm backend setup', () => {
  beforeAll(async () => {
    await useWasmBackend();
    await useWasmBackend();
  });

  it('activates the wasm backend with SIMD', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')).toBe(true);
  });

  it('copy-free Identity: a clone outlives its source and keeps its values', () => {
    const source = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const copy = tf.clone(source);
    source.dispose();
    expect(copy.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    copy.dispose();
  });

  it('gradients through saved tensors are unchanged (x·σ(x) checked against its closed form)', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.7, 3]);
    const grad = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(v, tf.sigmoid(v))))(x)
      .dataSync();
    Array.from(x.dataSync()).forEach((v, i) => {
      const s = 1 / (1 + Math.exp(-v));
      expect(grad[i]).toBeCloseTo(s + v * s * (1 - s), 5);
    });
  });
});

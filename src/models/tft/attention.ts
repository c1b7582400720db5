/**
 * Interpretable multi-head attention (Lim et al., section 4.4): each head has its own query and key
 * projections, all heads share one value projection, and the heads' attention matrices are
 * averaged before they weigh the values, so one [Tq, Tk] matrix explains the output:
 *   Ã = mean_h softmax(Q·W_Q^h (K·W_K^h)ᵀ / √d + mask),  out = Ã · (V·W_V) · W_H.
 * Queries are the decoder positions only; keys and values are every position. The mask forbids a
 * decoder position to look at later decoder positions (encoder positions are all visible).
 */
import * as tf from '@tensorflow/tfjs';
import { Linear } from './layers.js';
import type { ParameterStore } from './parameters.js';

export interface AttentionResult {
  /** [B·Tq, hidden]. */
  output: tf.Tensor2D;
  /** Head-averaged attention weights [B, Tq, Tk]. */
  weights: tf.Tensor3D;
}

/** Additive mask [Tq, Tk]: 0 where query q (at absolute position offset + q) may look, -1e9 elsewhere. */
export function causalMask(queries: number, keys: number): Float32Array {
  const offset = keys - queries;
  const mask = new Float32Array(queries * keys);
  for (let q = 0; q < queries; q++) {
    for (let k = offset + q + 1; k < keys; k++) mask[q * keys + k] = -1e9;
  }
  return mask;
}

export class InterpretableAttention {
  private readonly query: Linear;
  private readonly key: Linear;
  private readonly value: Linear;
  private readonly out: Linear;
  readonly headSize: number;

  constructor(
    store: ParameterStore,
    name: string,
    hidden: number,
    readonly heads: number,
  ) {
    this.headSize = Math.max(1, Math.floor(hidden / heads));
    this.query = new Linear(store, `${name}.query`, hidden, heads * this.headSize);
    this.key = new Linear(store, `${name}.key`, hidden, heads * this.headSize);
    this.value = new Linear(store, `${name}.value`, hidden, this.headSize);
    this.out = new Linear(store, `${name}.out`, this.headSize, hidden);
  }

  /**
   * `queries` [B·Tq, hidden] (decoder rows), `keys` [B·Tk, hidden] (all rows), `mask` [Tq, Tk].
   */
  apply(queries: tf.Tensor2D, keys: tf.Tensor2D, batch: number, mask: tf.Tensor2D): AttentionResult {
    const [tq, tk] = mask.shape;
    const { heads, headSize } = this;
    const perHead = (x: tf.Tensor2D, steps: number) =>
      tf.transpose(tf.reshape(x, [batch, steps, heads, headSize]), [0, 2, 1, 3]) as tf.Tensor4D;
    const q = perHead(tf.mul(this.query.apply(queries), 1 / Math.sqrt(headSize)) as tf.Tensor2D, tq);
    const k = perHead(this.key.apply(keys), tk);
    const scores = tf.add(tf.matMul(q, k, false, true), mask);
    const weights = tf.mean(tf.softmax(scores), 1) as tf.Tensor3D;
    const values = tf.reshape(this.value.apply(keys), [batch, tk, headSize]) as tf.Tensor3D;
    const mixed = tf.reshape(tf.matMul(weights, values), [batch * tq, headSize]) as tf.Tensor2D;
    return { output: this.out.apply(mixed), weights };
  }
}

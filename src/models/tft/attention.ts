/**
 * Interpretable multi-head attention (Lim et al., section 4.4): each head has its own query and key
 * projections, all heads share one value projection, and the heads' attention matrices are
 * averaged before they weigh the values, so one [Tq, Tk] matrix explains the output:
 *   Ã = mean_h softmax(Q·W_Q^h (K·W_K^h)ᵀ / √d + mask),  out = Ã · (V·W_V) · W_H.
 * Queries are the decoder positions only; keys and values are every position. The mask forbids a
 * decoder position to look at later decoder positions (encoder positions are all visible).
 *
 * Plain tf ops (batched matMuls). Two custom ops were tried and measured slower on wasm: a JS
 * kernel (one pass per query row; 1.0-1.2 s against 0.7-0.85 s CPU for forward + backward at
 * batch 64, 4 heads, 168 × 336) and a per-batch-row op with 2-D matMuls (0.5-0.66 s against
 * 0.37-0.42 s at 2 heads: per-row tensor traffic and dispatch outweighed the faster matMuls).
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

type SaveFn = (tensors: tf.Tensor[]) => void;

/**
 * Mean over axis 1 of [B, heads, Tq, Tk] with a concat-based backward pass: tf's own Mean gradient
 * fills a ones array of the input's shape in JS (14.5 M values per step at full size), and wasm's
 * Tile (behind tile and broadcastTo) took 0.5 s for this shape where Concat takes milliseconds.
 */
const meanOverHeads = tf.customGrad((...args: (tf.Tensor | SaveFn)[]) => {
  const [x] = args as [tf.Tensor4D];
  const [batch, heads, tq, tk] = x.shape;
  const value = tf.mean(x, 1);
  const gradFunc = (dy: tf.Tensor) => {
    const share = tf.reshape(tf.mul(dy, 1 / heads), [batch, 1, tq, tk]);
    return [
      heads === 1
        ? share
        : tf.concat(
            Array.from({ length: heads }, () => share),
            1,
          ),
    ];
  };
  return { value, gradFunc };
}) as unknown as (x: tf.Tensor4D) => tf.Tensor3D;

/**
 * Head-averaged causal attention weights Ā [B, Tq, Tk] from `q` [B·Tq, heads·d] (already scaled
 * by 1/√d) and `k` [B·Tk, heads·d]; head h owns columns [h·d, (h + 1)·d).
 */
export function averagedCausalAttention(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  batch: number,
  heads: number,
): tf.Tensor3D {
  const tq = q.shape[0] / batch;
  const tk = k.shape[0] / batch;
  const d = q.shape[1] / heads;
  const perHead = (x: tf.Tensor2D, steps: number) =>
    tf.transpose(tf.reshape(x, [batch, steps, heads, d]), [0, 2, 1, 3]) as tf.Tensor4D;
  const mask = tf.tensor2d(causalMask(tq, tk), [tq, tk]);
  const scores = tf.add(tf.matMul(perHead(q, tq), perHead(k, tk), false, true), mask);
  return meanOverHeads(tf.softmax(scores) as tf.Tensor4D);
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

  /** `queries` [B·Tq, hidden] (decoder rows), `keys` [B·Tk, hidden] (all rows, decoder rows last). */
  apply(queries: tf.Tensor2D, keys: tf.Tensor2D, batch: number): AttentionResult {
    const tq = queries.shape[0] / batch;
    const tk = keys.shape[0] / batch;
    const q = tf.mul(this.query.apply(queries), 1 / Math.sqrt(this.headSize)) as tf.Tensor2D;
    const weights = averagedCausalAttention(q, this.key.apply(keys), batch, this.heads);
    const values = tf.reshape(this.value.apply(keys), [batch, tk, this.headSize]) as tf.Tensor3D;
    const mixed = tf.reshape(tf.matMul(weights, values), [batch * tq, this.headSize]) as tf.Tensor2D;
    return { output: this.out.apply(mixed), weights };
  }
}

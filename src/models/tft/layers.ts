/**
 * The TFT's building blocks on 2-D activations [rows, features]: linear maps, layer norm, the
 * gated linear unit (GLU), gate-add-norm and the gated residual network (GRN).
 *
 * Temporal activations are kept flat as [B·T, features] (row b·T + t); a static context [B, k] is
 * broadcast over the T steps of its batch row by `addContext`. Nothing here slices or splits big
 * tensors: the wasm backend's Slice copies the whole source, so the GLU uses two projections
 * instead of one split in half.
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from './dense.js';
import type { ParameterStore } from './parameters.js';
import type { Rng } from './random.js';

/** Training-time switches threaded through every block. */
export interface RunContext {
  training: boolean;
  dropout: number;
  /** Draws dropout masks; required when training with dropout > 0. */
  rng?: Rng;
}

export const INFERENCE: RunContext = { training: false, dropout: 0 };

export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;

  constructor(
    store: ParameterStore,
    name: string,
    readonly inputSize: number,
    readonly outputSize: number,
    options: { bias?: boolean; biasInit?: Float32Array } = {},
  ) {
    this.weight = store.add(`${name}.weight`, [inputSize, outputSize], {
      kind: 'glorot',
      fanIn: inputSize,
      fanOut: outputSize,
    });
    const withBias = options.bias ?? true;
    this.bias = withBias
      ? store.add(
          `${name}.bias`,
          [outputSize],
          options.biasInit ? { kind: 'values', values: options.biasInit } : { kind: 'constant', value: 0 },
        )
      : undefined;
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return dense(x, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D | undefined);
  }
}

type SaveFn = (tensors: tf.Tensor[]) => void;

const LAYER_NORM_EPSILON = 1e-5;

/**
 * Layer norm as one op with its analytic gradient. Built from tf.moments, autodiff would go
 * through Mean's gradient, which fills a ones array of the input's shape in JS on every call.
 */
const layerNormOp = tf.customGrad((...args: (tf.Tensor | SaveFn)[]) => {
  const [x, gain, offset, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, SaveFn];
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), LAYER_NORM_EPSILON));
  const normalised = tf.mul(centred, inverseStd);
  save([normalised, inverseStd, gain]);
  const value = tf.add(tf.mul(normalised, gain), offset);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [xHat, inv, g] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    // dx = inv · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ gain (per row, over the last axis).
    const dxHat = tf.mul(dy, g);
    const dx = tf.mul(
      inv,
      tf.sub(tf.sub(dxHat, tf.mean(dxHat, -1, true)), tf.mul(xHat, tf.mean(tf.mul(dxHat, xHat), -1, true))),
    );
    return [dx, tf.sum(tf.mul(dy, xHat), 0), tf.sum(dy, 0)];
  };
  return { value, gradFunc };
}) as unknown as (x: tf.Tensor2D, gain: tf.Tensor1D, offset: tf.Tensor1D) => tf.Tensor2D;

/** Layer normalisation over the last axis with a learned gain and offset. */
export class LayerNorm {
  readonly gain: tf.Variable;
  readonly offset: tf.Variable;

  constructor(store: ParameterStore, name: string, size: number) {
    this.gain = store.add(`${name}.gain`, [size], { kind: 'constant', value: 1 });
    this.offset = store.add(`${name}.offset`, [size], { kind: 'constant', value: 0 });
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return layerNormOp(x, this.gain as tf.Tensor1D, this.offset as tf.Tensor1D);
  }
}

/** Inverted dropout with a mask from the seeded generator (tf's own draws are not seedable per call here). */
export function dropout(x: tf.Tensor2D, run: RunContext): tf.Tensor2D {
  if (!run.training || run.dropout <= 0) return x;
  if (!run.rng) throw new Error('dropout needs a seeded generator while training');
  const keep = 1 - run.dropout;
  const mask = new Float32Array(x.size);
  run.rng.fillMask(mask, keep, 1 / keep);
  return tf.mul(x, tf.tensor2d(mask, x.shape));
}

/** Adds a per-batch-row context [B, k] to flat temporal rows [B·steps, k]. */
export function addContext(x: tf.Tensor2D, context: tf.Tensor2D, steps: number): tf.Tensor2D {
  if (steps === 1) return tf.add(x, context);
  const [rows, width] = x.shape;
  const batch = rows / steps;
  return tf.reshape(tf.add(tf.reshape(x, [batch, steps, width]), tf.expandDims(context, 1)), [rows, width]);
}

/** GLU(x) = σ(x·W_a + b_a) ⊙ (x·W_b + b_b). */
export class Glu {
  private readonly gate: Linear;
  private readonly value: Linear;

  constructor(store: ParameterStore, name: string, inputSize: number, outputSize: number) {
    this.gate = new Linear(store, `${name}.gate`, inputSize, outputSize);
    this.value = new Linear(store, `${name}.value`, inputSize, outputSize);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(tf.sigmoid(this.gate.apply(x)), this.value.apply(x));
  }
}

/** LayerNorm(skip + GLU(dropout(x))): the TFT's gated skip connection. */
export class GateAddNorm {
  private readonly glu: Glu;
  private readonly norm: LayerNorm;

  constructor(store: ParameterStore, name: string, inputSize: number, outputSize: number) {
    this.glu = new Glu(store, `${name}.glu`, inputSize, outputSize);
    this.norm = new LayerNorm(store, `${name}.norm`, outputSize);
  }

  apply(x: tf.Tensor2D, skip: tf.Tensor2D, run: RunContext): tf.Tensor2D {
    return this.norm.apply(tf.add(skip, this.glu.apply(dropout(x, run))));
  }
}

export interface GrnOptions {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  /** Width of the static context added before the ELU, if any. */
  contextSize?: number;
}

/**
 * Gated residual network: η₂ = ELU(W₂·a + b₂ + W₃·c), η₁ = W₁·η₂ + b₁,
 * GRN(a, c) = LayerNorm(skip(a) + GLU(η₁)), skip = identity when the widths match, else linear.
 */
export class Grn {
  private readonly input: Linear;
  private readonly context: Linear | undefined;
  private readonly hidden: Linear;
  private readonly skip: Linear | undefined;
  private readonly gate: GateAddNorm;

  constructor(
    store: ParameterStore,
    name: string,
    readonly options: GrnOptions,
  ) {
    const { inputSize, hiddenSize, outputSize, contextSize } = options;
    this.input = new Linear(store, `${name}.input`, inputSize, hiddenSize);
    this.context =
      contextSize !== undefined
        ? new Linear(store, `${name}.context`, contextSize, hiddenSize, { bias: false })
        : undefined;
    this.hidden = new Linear(store, `${name}.hidden`, hiddenSize, hiddenSize);
    this.skip =
      inputSize !== outputSize ? new Linear(store, `${name}.skip`, inputSize, outputSize) : undefined;
    this.gate = new GateAddNorm(store, `${name}.gate`, hiddenSize, outputSize);
  }

  /**
   * `x` [B·steps, input]; `context` [B, contextSize] when the GRN was built with one.
   * `preInput` replaces W₂·a + b₂ when the caller computed it another way (the VSN's flattened GRN).
   */
  apply(
    x: tf.Tensor2D,
    run: RunContext,
    context?: { value: tf.Tensor2D; steps: number },
    pre?: { input: tf.Tensor2D; skip: tf.Tensor2D },
  ): tf.Tensor2D {
    let a = pre ? pre.input : this.input.apply(x);
    if (this.context && context) a = addContext(a, this.context.apply(context.value), context.steps);
    const eta1 = this.hidden.apply(tf.elu(a));
    const skip = pre ? pre.skip : this.skip ? this.skip.apply(x) : x;
    return this.gate.apply(eta1, skip, run);
  }

  /** The GRN's first projection and skip, for callers that feed it a sum of per-part products. */
  get inputLayer(): Linear {
    return this.input;
  }

  get skipLayer(): Linear | undefined {
    return this.skip;
  }
}

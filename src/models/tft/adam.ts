/**
 * Adam (Kingma & Ba) with global-norm gradient clipping, run in plain JS over Float32Arrays.
 *
 * The network has a few hundred small parameter tensors; tf.train.adam spends about ten tiny wasm
 * kernels per tensor per step (≈ 4,000 dispatches), which cost more than the arithmetic. Here the
 * gradients are read once, the update runs over flat arrays, and each variable gets one assign.
 * The moment estimates are plain arrays, so there is no optimizer state to dispose.
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Gradients are scaled down so that their global L2 norm is at most this. */
  clipNorm?: number;
}

export class Adam {
  private readonly values: Float32Array[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private t = 0;
  private learningRate: number;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly options: AdamOptions,
  ) {
    this.values = variables.map((variable) => Float32Array.from(variable.dataSync() as Float32Array));
    this.m = variables.map((variable) => new Float32Array(variable.size));
    this.v = variables.map((variable) => new Float32Array(variable.size));
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.learningRate = options.learningRate;
  }

  get rate(): number {
    return this.learningRate;
  }

  /** Changes the learning rate of the following steps (moments and step count are kept). */
  setRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** Applies one update; `grads[i]` belongs to `variables[i]`. Returns the gradient norm before clipping. */
  step(grads: readonly tf.Tensor[]): number {
    const data = grads.map((grad) => grad.dataSync() as Float32Array);
    let squares = 0;
    for (const g of data) for (let i = 0; i < g.length; i++) squares += g[i]! * g[i]!;
    const norm = Math.sqrt(squares);
    const clip = this.options.clipNorm;
    const scale = clip !== undefined && norm > clip ? clip / (norm + 1e-6) : 1;
    this.t++;
    const { beta1, beta2, epsilon } = this;
    const stepSize = (this.learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    const epsilonHat = epsilon * Math.sqrt(1 - beta2 ** this.t);
    this.variables.forEach((variable, k) => {
      const g = data[k]!;
      const w = this.values[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! * scale;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        w[i] = w[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) + epsilonHat);
      }
      tf.tidy(() => variable.assign(tf.tensor(w, variable.shape, 'float32')));
    });
    return norm;
  }
}

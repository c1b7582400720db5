/**
 * The TFT's LSTM encoder-decoder as one custom TensorFlow.js op with a hand-written backward pass
 * (back-propagation through time).
 *
 * Why not a loop of tf ops: the wasm backend's Slice kernel copies the whole source tensor before
 * cutting a piece out of it, so taking T time steps out of a [B, T, 4H] tensor costs T full copies
 * (seconds for T = 336), and each small tf op costs 20-80 µs of dispatch. Here the input
 * projections x·W_x + b of every step come in as one tensor (computed by wasm in one matMul), the
 * recurrence h·W_h and the gates run in plain JS over Float32Arrays, and the weight gradient
 * Σ h_{t-1}ᵀ·dz_t goes back to wasm as one matMul.
 *
 * Gate layout along the last axis of the pre-activations: input i, forget f, cell candidate g,
 * output o, each `hidden` wide. c_t = f ⊙ c_{t-1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
 */
import * as tf from '@tensorflow/tfjs';

interface SequenceTrace {
  /** Activated gates [B, T, 4H]: σ(i), σ(f), tanh(g), σ(o). */
  gates: Float32Array;
  /** Cell states [B, T, H]. */
  cells: Float32Array;
  /** tanh of the cell states [B, T, H], kept for the backward pass. */
  tanhCells: Float32Array;
  /** Hidden states [B, T, H]. */
  hidden: Float32Array;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** tanh through one exp (Math.tanh is slower in V8); exact to float32 precision. */
function tanh(x: number): number {
  return 2 / (1 + Math.exp(-2 * x)) - 1;
}

/**
 * Σ_k a[aOff + k]·b[bOff + k] for k < n. Four accumulators let V8 overlap the multiply-adds
 * (about twice the speed of a single running sum).
 */
function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[aOff + k]! * b[bOff + k]!;
    s1 += a[aOff + k + 1]! * b[bOff + k + 1]!;
    s2 += a[aOff + k + 2]! * b[bOff + k + 2]!;
    s3 += a[aOff + k + 3]! * b[bOff + k + 3]!;
  }
  for (; k < n; k++) s0 += a[aOff + k]! * b[bOff + k]!;
  return s0 + s1 + s2 + s3;
}

/** [rows, cols] row-major → [cols, rows] row-major. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}

/**
 * Forward recurrence over T steps. `pre` holds x·W_x + b for every (b, t) as [B, T, 4H]; steps
 * t < switchAt use `whA`, the others `whB` (encoder and decoder weights, [H, 4H] row-major).
 */
function runForward(
  pre: Float32Array,
  batch: number,
  steps: number,
  hidden: number,
  switchAt: number,
  whA: Float32Array,
  whB: Float32Array,
  h0: Float32Array,
  c0: Float32Array,
): SequenceTrace {
  const g4 = 4 * hidden;
  const whAT = transpose(whA, hidden, g4);
  const whBT = transpose(whB, hidden, g4);
  const gates = new Float32Array(batch * steps * g4);
  const cells = new Float32Array(batch * steps * hidden);
  const tanhCells = new Float32Array(batch * steps * hidden);
  const hiddenOut = new Float32Array(batch * steps * hidden);
  const z = new Float64Array(g4);
  // The running state of one batch row, in local buffers the inner loops read without offsets.
  const h = new Float32Array(hidden);
  const c = new Float64Array(hidden);
  for (let b = 0; b < batch; b++) {
    h.set(h0.subarray(b * hidden, (b + 1) * hidden));
    for (let k = 0; k < hidden; k++) c[k] = c0[b * hidden + k]!;
    for (let t = 0; t < steps; t++) {
      const whT = t < switchAt ? whAT : whBT;
      const preRow = (b * steps + t) * g4;
      for (let j = 0; j < g4; j++) z[j] = pre[preRow + j]! + dot(h, 0, whT, j * hidden, hidden);
      const row = (b * steps + t) * hidden;
      for (let k = 0; k < hidden; k++) {
        const i = sigmoid(z[k]!);
        const f = sigmoid(z[hidden + k]!);
        const g = tanh(z[2 * hidden + k]!);
        const o = sigmoid(z[3 * hidden + k]!);
        const ck = f * c[k]! + i * g;
        const tc = tanh(ck);
        gates[preRow + k] = i;
        gates[preRow + hidden + k] = f;
        gates[preRow + 2 * hidden + k] = g;
        gates[preRow + 3 * hidden + k] = o;
        c[k] = ck;
        cells[row + k] = ck;
        tanhCells[row + k] = tc;
        h[k] = o * tc;
        hiddenOut[row + k] = o * tc;
      }
    }
  }
  return { gates, cells, tanhCells, hidden: hiddenOut };
}

interface SequenceGrads {
  /** d loss / d pre-activations [B, T, 4H]. */
  dPre: Float32Array;
  dh0: Float32Array;
  dc0: Float32Array;
}

/** Back-propagation through time given d loss / d h_t for every step ([B, T, H]). */
function runBackward(
  dOut: Float32Array,
  trace: SequenceTrace,
  batch: number,
  steps: number,
  hidden: number,
  switchAt: number,
  whA: Float32Array,
  whB: Float32Array,
  c0: Float32Array,
): SequenceGrads {
  const g4 = 4 * hidden;
  const { gates, cells, tanhCells } = trace;
  const dPre = new Float32Array(batch * steps * g4);
  const dh0 = new Float32Array(batch * hidden);
  const dc0 = new Float32Array(batch * hidden);
  const dhNext = new Float64Array(hidden);
  const dcNext = new Float64Array(hidden);
  for (let b = 0; b < batch; b++) {
    dhNext.fill(0);
    dcNext.fill(0);
    for (let t = steps - 1; t >= 0; t--) {
      const row = (b * steps + t) * hidden;
      const gRow = (b * steps + t) * g4;
      const prevC = t === 0 ? c0 : cells;
      const prevCRow = t === 0 ? b * hidden : row - hidden;
      for (let k = 0; k < hidden; k++) {
        const i = gates[gRow + k]!;
        const f = gates[gRow + hidden + k]!;
        const g = gates[gRow + 2 * hidden + k]!;
        const o = gates[gRow + 3 * hidden + k]!;
        const tc = tanhCells[row + k]!;
        const dh = dOut[row + k]! + dhNext[k]!;
        const dc = dh * o * (1 - tc * tc) + dcNext[k]!;
        dPre[gRow + k] = dc * g * i * (1 - i);
        dPre[gRow + hidden + k] = dc * prevC[prevCRow + k]! * f * (1 - f);
        dPre[gRow + 2 * hidden + k] = dc * i * (1 - g * g);
        dPre[gRow + 3 * hidden + k] = dh * tc * o * (1 - o);
        dcNext[k] = dc * f;
      }
      const wh = t < switchAt ? whA : whB;
      for (let k = 0; k < hidden; k++) dhNext[k] = dot(dPre, gRow, wh, k * g4, g4);
    }
    for (let k = 0; k < hidden; k++) {
      dh0[b * hidden + k] = dhNext[k]!;
      dc0[b * hidden + k] = dcNext[k]!;
    }
  }
  return { dPre, dh0, dc0 };
}

/** Rows [from, to) of the time axis of a [B, T, W] array, as a new [B, to - from, W] array. */
function timeSlice(
  data: Float32Array,
  batch: number,
  steps: number,
  width: number,
  from: number,
  to: number,
) {
  const span = to - from;
  const out = new Float32Array(batch * span * width);
  for (let b = 0; b < batch; b++) {
    out.set(data.subarray((b * steps + from) * width, (b * steps + to) * width), b * span * width);
  }
  return out;
}

/** Hidden state entering each step (h_{t-1}; h0 for t = 0), [B, T, H]. */
function previousHidden(
  trace: SequenceTrace,
  h0: Float32Array,
  batch: number,
  steps: number,
  hidden: number,
) {
  const out = new Float32Array(batch * steps * hidden);
  for (let b = 0; b < batch; b++) {
    out.set(h0.subarray(b * hidden, (b + 1) * hidden), b * steps * hidden);
    out.set(
      trace.hidden.subarray(b * steps * hidden, ((b + 1) * steps - 1) * hidden),
      (b * steps + 1) * hidden,
    );
  }
  return out;
}

/** Concatenates [B, Ta, W] and [B, Tb, W] along time. */
function timeConcat(a: Float32Array, b: Float32Array, batch: number, ta: number, tb: number, width: number) {
  const out = new Float32Array(batch * (ta + tb) * width);
  for (let r = 0; r < batch; r++) {
    out.set(a.subarray(r * ta * width, (r + 1) * ta * width), r * (ta + tb) * width);
    out.set(b.subarray(r * tb * width, (r + 1) * tb * width), (r * (ta + tb) + ta) * width);
  }
  return out;
}

type LstmOp = (
  preEnc: tf.Tensor3D,
  preDec: tf.Tensor3D,
  whEnc: tf.Tensor2D,
  whDec: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
) => tf.Tensor3D;

const encoderDecoderOp = tf.customGrad(
  // customGrad passes a `save` callback last; the trace lives in this closure instead.
  (...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [preEnc, preDec, whEnc, whDec, h0, c0] = args as [
      tf.Tensor3D,
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const [batch, encSteps, g4] = preEnc.shape;
    const decSteps = preDec.shape[1];
    const hidden = g4 / 4;
    const steps = encSteps + decSteps;
    const pre = timeConcat(
      preEnc.dataSync() as Float32Array,
      preDec.dataSync() as Float32Array,
      batch,
      encSteps,
      decSteps,
      g4,
    );
    const whA = whEnc.dataSync() as Float32Array;
    const whB = whDec.dataSync() as Float32Array;
    const h0Data = h0.dataSync() as Float32Array;
    const c0Data = c0.dataSync() as Float32Array;
    const trace = runForward(pre, batch, steps, hidden, encSteps, whA, whB, h0Data, c0Data);
    const value = tf.tensor3d(trace.hidden, [batch, steps, hidden]);
    const gradFunc = (dy: tf.Tensor) => {
      const grads = runBackward(
        dy.dataSync() as Float32Array,
        trace,
        batch,
        steps,
        hidden,
        encSteps,
        whA,
        whB,
        c0Data,
      );
      const prevH = previousHidden(trace, h0Data, batch, steps, hidden);
      const weightGrad = (from: number, to: number) =>
        tf.tidy(() =>
          tf.matMul(
            tf.tensor2d(timeSlice(prevH, batch, steps, hidden, from, to), [batch * (to - from), hidden]),
            tf.tensor2d(timeSlice(grads.dPre, batch, steps, g4, from, to), [batch * (to - from), g4]),
            true,
            false,
          ),
        );
      return [
        tf.tensor3d(timeSlice(grads.dPre, batch, steps, g4, 0, encSteps), [batch, encSteps, g4]),
        tf.tensor3d(timeSlice(grads.dPre, batch, steps, g4, encSteps, steps), [batch, decSteps, g4]),
        weightGrad(0, encSteps),
        weightGrad(encSteps, steps),
        tf.tensor2d(grads.dh0, [batch, hidden]),
        tf.tensor2d(grads.dc0, [batch, hidden]),
      ];
    };
    return { value, gradFunc };
  },
) as unknown as LstmOp;

/**
 * Encoder LSTM over the context then decoder LSTM over the horizon, the decoder starting from the
 * encoder's final state. `preEnc` [B, Te, 4H] and `preDec` [B, Td, 4H] are the input projections
 * x·W_x + b; `whEnc`, `whDec` [H, 4H] the recurrent weights; h0, c0 [B, H] the initial state.
 * Returns the hidden states of every step, [B, Te + Td, H].
 */
export function encoderDecoderLstm(
  preEnc: tf.Tensor3D,
  preDec: tf.Tensor3D,
  whEnc: tf.Tensor2D,
  whDec: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
): tf.Tensor3D {
  return encoderDecoderOp(preEnc, preDec, whEnc, whDec, h0, c0);
}

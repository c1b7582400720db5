/**
 * The TFT's LSTM encoder-decoder as one custom TensorFlow.js op with a hand-written backward pass
 * (back-propagation through time).
 *
 * Why not a loop of tf ops: the wasm backend's Slice kernel copies the whole source tensor before
 * cutting a piece out of it, so taking T time steps out of a [B, T, 4H] tensor costs T full copies
 * (seconds for T = 336), and each small tf op costs 20-80 µs of dispatch. Here the input
 * projections x·W_x + b of every step come in as two tensors (computed by wasm in one matMul
 * each), the recurrence h·W_h and the gates run in plain JS over Float32Arrays, and the weight
 * gradients Σ h_{t-1}ᵀ·dz_t go back to wasm as one matMul per segment.
 *
 * Gate layout along the last axis of the pre-activations: input i, forget f, cell candidate g,
 * output o, each `hidden` wide. c_t = f ⊙ c_{t-1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
 */
import * as tf from '@tensorflow/tfjs';

/** One stretch of steps sharing a recurrent weight: the encoder, then the decoder. */
interface Segment {
  /** x·W_x + b for its steps, [B, steps, 4H]. */
  pre: Float32Array;
  steps: number;
  /** W_h [H, 4H] row-major. */
  weight: Float32Array;
  /** W_hᵀ [4H, H], for the forward dot products. */
  weightT: Float32Array;
}

interface SequenceTrace {
  /** Per segment, activated gates [B, steps, 4H]: σ(i), σ(f), tanh(g), σ(o). */
  gates: Float32Array[];
  /** Cell states [B, T, H] over all steps. */
  cells: Float32Array;
  /** tanh of the cell states [B, T, H]. */
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

function runForward(
  segments: Segment[],
  batch: number,
  hidden: number,
  h0: Float32Array,
  c0: Float32Array,
): SequenceTrace {
  const g4 = 4 * hidden;
  const steps = segments.reduce((sum, s) => sum + s.steps, 0);
  const gates = segments.map((s) => new Float32Array(batch * s.steps * g4));
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
    let t = 0;
    segments.forEach((segment, s) => {
      const { pre, weightT } = segment;
      const segmentGates = gates[s]!;
      for (let u = 0; u < segment.steps; u++, t++) {
        const gRow = (b * segment.steps + u) * g4;
        for (let j = 0; j < g4; j++) z[j] = pre[gRow + j]! + dot(h, 0, weightT, j * hidden, hidden);
        const row = (b * steps + t) * hidden;
        for (let k = 0; k < hidden; k++) {
          const i = sigmoid(z[k]!);
          const f = sigmoid(z[hidden + k]!);
          const g = tanh(z[2 * hidden + k]!);
          const o = sigmoid(z[3 * hidden + k]!);
          const ck = f * c[k]! + i * g;
          const tc = tanh(ck);
          segmentGates[gRow + k] = i;
          segmentGates[gRow + hidden + k] = f;
          segmentGates[gRow + 2 * hidden + k] = g;
          segmentGates[gRow + 3 * hidden + k] = o;
          c[k] = ck;
          cells[row + k] = ck;
          tanhCells[row + k] = tc;
          h[k] = o * tc;
          hiddenOut[row + k] = o * tc;
        }
      }
    });
  }
  return { gates, cells, tanhCells, hidden: hiddenOut };
}

interface SequenceGrads {
  /** Per segment, d loss / d pre-activations [B, steps, 4H]. */
  dPre: Float32Array[];
  /** Per segment, the hidden state entering each step, transposed: [H, B·steps]. */
  previousHiddenT: Float32Array[];
  dh0: Float32Array;
  dc0: Float32Array;
}

/** Back-propagation through time given d loss / d h_t for every step ([B, T, H]). */
function runBackward(
  dOut: Float32Array,
  trace: SequenceTrace,
  segments: Segment[],
  batch: number,
  hidden: number,
  h0: Float32Array,
  c0: Float32Array,
): SequenceGrads {
  const g4 = 4 * hidden;
  const steps = segments.reduce((sum, s) => sum + s.steps, 0);
  const { cells, tanhCells } = trace;
  const dPre = segments.map((s) => new Float32Array(batch * s.steps * g4));
  const previousHiddenT = segments.map((s) => new Float32Array(hidden * batch * s.steps));
  const dh0 = new Float32Array(batch * hidden);
  const dc0 = new Float32Array(batch * hidden);
  const dhNext = new Float64Array(hidden);
  const dcNext = new Float64Array(hidden);
  const starts: number[] = [];
  segments.reduce((start, s) => (starts.push(start), start + s.steps), 0);
  for (let b = 0; b < batch; b++) {
    dhNext.fill(0);
    dcNext.fill(0);
    for (let s = segments.length - 1; s >= 0; s--) {
      const segment = segments[s]!;
      const gates = trace.gates[s]!;
      const dz = dPre[s]!;
      const prevT = previousHiddenT[s]!;
      const columns = batch * segment.steps;
      for (let u = segment.steps - 1; u >= 0; u--) {
        const t = starts[s]! + u;
        const row = (b * steps + t) * hidden;
        const gRow = (b * segment.steps + u) * g4;
        const prevC = t === 0 ? c0 : cells;
        const prevCRow = t === 0 ? b * hidden : row - hidden;
        const prevH = t === 0 ? h0 : trace.hidden;
        const column = b * segment.steps + u;
        for (let k = 0; k < hidden; k++) {
          const i = gates[gRow + k]!;
          const f = gates[gRow + hidden + k]!;
          const g = gates[gRow + 2 * hidden + k]!;
          const o = gates[gRow + 3 * hidden + k]!;
          const tc = tanhCells[row + k]!;
          const dh = dOut[row + k]! + dhNext[k]!;
          const dc = dh * o * (1 - tc * tc) + dcNext[k]!;
          dz[gRow + k] = dc * g * i * (1 - i);
          dz[gRow + hidden + k] = dc * prevC[prevCRow + k]! * f * (1 - f);
          dz[gRow + 2 * hidden + k] = dc * i * (1 - g * g);
          dz[gRow + 3 * hidden + k] = dh * tc * o * (1 - o);
          dcNext[k] = dc * f;
          prevT[k * columns + column] = prevH[prevCRow + k]!;
        }
        for (let k = 0; k < hidden; k++) dhNext[k] = dot(dz, gRow, segment.weight, k * g4, g4);
      }
    }
    for (let k = 0; k < hidden; k++) {
      dh0[b * hidden + k] = dhNext[k]!;
      dc0[b * hidden + k] = dcNext[k]!;
    }
  }
  return { dPre, previousHiddenT, dh0, dc0 };
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
    const hidden = g4 / 4;
    const segments: Segment[] = [preEnc, preDec].map((pre, i) => {
      const weight = (i === 0 ? whEnc : whDec).dataSync() as Float32Array;
      return {
        pre: pre.dataSync() as Float32Array,
        steps: pre.shape[1],
        weight,
        weightT: transpose(weight, hidden, g4),
      };
    });
    const steps = encSteps + preDec.shape[1];
    const h0Data = h0.dataSync() as Float32Array;
    const c0Data = c0.dataSync() as Float32Array;
    const trace = runForward(segments, batch, hidden, h0Data, c0Data);
    const value = tf.tensor3d(trace.hidden, [batch, steps, hidden]);
    const gradFunc = (dy: tf.Tensor) => {
      const grads = runBackward(
        dy.dataSync() as Float32Array,
        trace,
        segments,
        batch,
        hidden,
        h0Data,
        c0Data,
      );
      const weightGrad = (s: number) =>
        tf.tidy(() => {
          const rows = batch * segments[s]!.steps;
          // Σ_t h_{t-1}ᵀ·dz_t as one plain matMul ([H, rows]·[rows, 4H]): a transposeA flag would
          // send wasm down its slow path.
          return tf.matMul(
            tf.tensor2d(grads.previousHiddenT[s]!, [hidden, rows]),
            tf.tensor2d(grads.dPre[s]!, [rows, g4]),
          );
        });
      return [
        tf.tensor3d(grads.dPre[0]!, preEnc.shape),
        tf.tensor3d(grads.dPre[1]!, preDec.shape),
        weightGrad(0),
        weightGrad(1),
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

/**
 * The network's trainable tensors, kept in creation order. That order is the layout of
 * `weights.bin`: each tensor's float32 values (row-major, little-endian) one after another, listed
 * with name, shape and offset in config.json's `weights` manifest.
 */
import * as tf from '@tensorflow/tfjs';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { glorotUniform, type Rng } from './random.js';

let variableCounter = 0;

export type Initialiser =
  | { kind: 'glorot'; fanIn: number; fanOut: number }
  | { kind: 'constant'; value: number }
  /** Per-element values, e.g. an LSTM bias with its forget-gate part set to 1. */
  | { kind: 'values'; values: Float32Array };

export interface WeightEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements from the start of weights.bin. */
  offset: number;
}

export class ParameterStore {
  private readonly variables: Array<{ name: string; variable: tf.Variable }> = [];
  private readonly names = new Set<string>();

  constructor(private readonly rng: Rng) {}

  add(name: string, shape: number[], init: Initialiser): tf.Variable {
    if (this.names.has(name)) throw new DcgridError(ErrorCodes.MODEL, `duplicate TFT parameter "${name}"`);
    const size = shape.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    if (init.kind === 'glorot') values = glorotUniform(this.rng, size, init.fanIn, init.fanOut);
    else if (init.kind === 'constant') values = new Float32Array(size).fill(init.value);
    else values = init.values;
    if (values.length !== size) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        `TFT parameter "${name}": ${values.length} values for shape [${shape.join(', ')}]`,
      );
    }
    // tf registers variables by name for the whole process: make each one unique.
    const initial = tf.tensor(values, shape, 'float32');
    const variable = tf.variable(initial, true, `tft${variableCounter++}_${name}`, 'float32');
    initial.dispose();
    this.variables.push({ name, variable });
    this.names.add(name);
    return variable;
  }

  list(): tf.Variable[] {
    return this.variables.map((entry) => entry.variable);
  }

  count(): number {
    return this.variables.reduce((sum, entry) => sum + entry.variable.size, 0);
  }

  manifest(): WeightEntry[] {
    let offset = 0;
    return this.variables.map(({ name, variable }) => {
      const entry = { name, shape: [...variable.shape], offset };
      offset += variable.size;
      return entry;
    });
  }

  /** Copies of every value, in manifest order (for best-epoch snapshots and saving). */
  snapshot(): Float32Array[] {
    return this.variables.map(({ variable }) => Float32Array.from(variable.dataSync() as Float32Array));
  }

  restore(values: Float32Array[]): void {
    if (values.length !== this.variables.length) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        `TFT weights: ${values.length} tensors for ${this.variables.length} parameters`,
      );
    }
    this.variables.forEach(({ variable }, i) => {
      tf.tidy(() => variable.assign(tf.tensor(values[i]!, variable.shape, 'float32')));
    });
  }

  /** float32 little-endian bytes, tensors concatenated in manifest order. */
  toBytes(): Uint8Array {
    const total = this.count();
    const buffer = new ArrayBuffer(total * 4);
    const view = new DataView(buffer);
    let offset = 0;
    for (const values of this.snapshot()) {
      for (let i = 0; i < values.length; i++) view.setFloat32((offset + i) * 4, values[i]!, true);
      offset += values.length;
    }
    return new Uint8Array(buffer);
  }

  /** Loads weights.bin given the manifest it was written with; names and shapes must match. */
  fromBytes(bytes: Uint8Array, manifest: WeightEntry[]): void {
    const expected = this.manifest();
    if (manifest.length !== expected.length) {
      throw new DcgridError(
        ErrorCodes.ARTIFACT,
        `weights.bin manifest lists ${manifest.length} tensors, the network has ${expected.length}`,
      );
    }
    const total = this.count();
    if (bytes.byteLength !== total * 4) {
      throw new DcgridError(
        ErrorCodes.ARTIFACT,
        `weights.bin has ${bytes.byteLength} bytes, expected ${total * 4}`,
        { file: 'weights.bin' },
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values = expected.map((entry, i) => {
      const saved = manifest[i]!;
      if (saved.name !== entry.name || saved.shape.join('x') !== entry.shape.join('x')) {
        throw new DcgridError(
          ErrorCodes.ARTIFACT,
          `weights.bin tensor ${i} is "${saved.name}" [${saved.shape.join(', ')}], the network expects "${entry.name}" [${entry.shape.join(', ')}]`,
          { file: 'weights.bin' },
        );
      }
      const size = entry.shape.reduce((a, b) => a * b, 1);
      const out = new Float32Array(size);
      for (let k = 0; k < size; k++) out[k] = view.getFloat32((saved.offset + k) * 4, true);
      return out;
    });
    this.restore(values);
  }

  dispose(): void {
    for (const { variable } of this.variables) variable.dispose();
    this.variables.length = 0;
    this.names.clear();
  }
}

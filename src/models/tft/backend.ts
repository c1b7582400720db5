/**
 * Selects TensorFlow.js's WebAssembly backend once per process. In Node the .wasm binaries are read
 * from the installed package's dist folder; SIMD is used, threads are not.
 *
 * It also replaces the wasm backend's Identity kernel with a copy-free one. tf's autodiff saves
 * every tensor a gradient needs through Identity (engine.clone), and wasm's Identity copies the
 * whole buffer: about 1,700 copies per TFT training step, the attention matrices among them. The
 * replacement shares the buffer and bumps its reference count, which is what tf's CPU and WebGL
 * backends do (tensor buffers are never written in place, so sharing is safe).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

let ready: Promise<void> | undefined;

export function wasmDistFolder(): string {
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return dirname(entry) + '/';
}

interface RefCountingBackend {
  incRef(dataId: object): void;
}

function shareInsteadOfCopy(): void {
  const original = tf.getKernel('Identity', 'wasm');
  if (!original) return;
  const kernelFunc: tf.KernelFunc = ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original.kernelFunc({ inputs, backend, attrs: {} });
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc });
}

async function activate(): Promise<void> {
  setWasmPaths(wasmDistFolder());
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new DcgridError(ErrorCodes.MODEL, 'TensorFlow.js wasm backend failed to initialise');
  await tf.ready();
  shareInsteadOfCopy();
}

/** Resolves when tf's active backend is wasm. Safe to call many times. */
export function useWasmBackend(): Promise<void> {
  ready ??= activate().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

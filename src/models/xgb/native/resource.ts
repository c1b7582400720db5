/**
 * Ownership of one native XGBoost handle: freed by dispose(), or by the garbage collector through a
 * FinalizationRegistry when an owner forgets to dispose.
 */
import { DcgridError, ErrorCodes } from '../../../lib/errors.js';
import type { NativeHandle } from './library.js';

interface HeldHandle {
  handle: NativeHandle;
  free: (handle: NativeHandle) => number;
}

const finalizer = new FinalizationRegistry<HeldHandle>(({ handle, free }) => {
  // Nothing can be reported from a finalizer; a failing free only leaks.
  free(handle);
});

export abstract class NativeResource {
  #handle: NativeHandle | undefined;
  readonly #free: (handle: NativeHandle) => number;
  readonly #kind: string;

  protected constructor(kind: string, handle: NativeHandle, free: (handle: NativeHandle) => number) {
    this.#kind = kind;
    this.#handle = handle;
    this.#free = free;
    finalizer.register(this, { handle, free }, this);
  }

  /** The native handle; only the wrapper's own modules pass it to the C API. */
  get nativeHandle(): NativeHandle {
    if (this.#handle === undefined) {
      throw new DcgridError(ErrorCodes.XGBOOST, `This ${this.#kind} was disposed and can no longer be used.`);
    }
    return this.#handle;
  }

  get disposed(): boolean {
    return this.#handle === undefined;
  }

  /** Frees the native memory now. Safe to call more than once. */
  dispose(): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    finalizer.unregister(this);
    this.#free(handle);
  }
}

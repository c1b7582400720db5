/**
 * The augurs MSTL bindings are wasm-bindgen output meant for bundlers: in Node their WebAssembly
 * module has to be handed over explicitly. It is read from the installed package and instantiated
 * once, synchronously, on first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, MSTL } from '@bsull/augurs/mstl';

let ready = false;

/** The MSTL class, its WebAssembly instantiated. */
export function mstlClass(): typeof MSTL {
  if (!ready) {
    const entry = createRequire(import.meta.url).resolve('@bsull/augurs/mstl');
    initSync({ module: readFileSync(entry.replace(/mstl\.js$/, 'mstl_bg.wasm')) });
    ready = true;
  }
  return MSTL;
}

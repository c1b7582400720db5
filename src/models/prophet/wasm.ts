/**
 * Prophet from augurs (WebAssembly) with its Stan optimizer (`@bsull/augurs-prophet-wasmstan`, a
 * WebAssembly component that runs on `@bytecodealliance/preview2-shim` in Node). The model module
 * is instantiated synchronously from the installed .wasm file; the optimizer (2.3 MB of wasm,
 * compiled when imported) is imported on first use so that loading the model catalog stays cheap.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, Prophet, type ProphetOptions } from '@bsull/augurs/prophet';

let ready = false;
let optimizer: ProphetOptions['optimizer'] | undefined;

/** The Prophet class, its WebAssembly instantiated, and the Stan optimizer to construct it with. */
export async function prophetRuntime(): Promise<{
  Prophet: typeof Prophet;
  optimizer: ProphetOptions['optimizer'];
}> {
  if (!ready) {
    const entry = createRequire(import.meta.url).resolve('@bsull/augurs/prophet');
    initSync({ module: readFileSync(entry.replace(/prophet\.js$/, 'prophet_bg.wasm')) });
    ready = true;
  }
  optimizer ??= (await import('@bsull/augurs-prophet-wasmstan')).optimizer as ProphetOptions['optimizer'];
  return { Prophet, optimizer };
}

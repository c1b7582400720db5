/**
 * Loads the XGBoost shared library (C API) through koffi and binds the functions the wrapper uses.
 * Every call is synchronous on the calling thread, so XGBGetLastError (thread-local in XGBoost)
 * always reports the failure of the call just made.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import koffi from 'koffi';
import { DcgridError, ErrorCodes } from '../../../lib/errors.js';
import { createLogger, type Logger } from '../../../lib/logger.js';

/** An opaque native pointer (a koffi External) to a DMatrix or a Booster. */
export type NativeHandle = object;
/** A pointer to memory XGBoost owns (prediction results, saved buffers, string arrays). */
export type NativePointer = object;
/** Single-element array that koffi fills for an `_Out_` parameter. */
type Out<T> = [T];

export interface XgbApi {
  XGBGetLastError(): string;
  XGBoostVersion(major: Out<number>, minor: Out<number>, patch: Out<number>): void;
  XGBRegisterLogCallback(callback: unknown): number;
  XGDMatrixCreateFromMat_omp(
    data: Float32Array,
    rows: number,
    cols: number,
    missing: number,
    out: Out<NativeHandle | null>,
    nthread: number,
  ): number;
  XGDMatrixSetFloatInfo(handle: NativeHandle, field: string, values: Float32Array, length: number): number;
  XGDMatrixSetStrFeatureInfo(handle: NativeHandle, field: string, values: string[], length: number): number;
  XGDMatrixNumRow(handle: NativeHandle, out: Out<number>): number;
  XGDMatrixNumCol(handle: NativeHandle, out: Out<number>): number;
  XGDMatrixFree(handle: NativeHandle): number;
  XGBoosterCreate(cache: NativeHandle[], length: number, out: Out<NativeHandle | null>): number;
  XGBoosterFree(handle: NativeHandle): number;
  XGBoosterSetParam(handle: NativeHandle, name: string, value: string): number;
  XGBoosterSaveJsonConfig(handle: NativeHandle, length: Out<number>, out: Out<string | null>): number;
  XGBoosterUpdateOneIter(handle: NativeHandle, iteration: number, train: NativeHandle): number;
  XGBoosterBoostOneIter(
    handle: NativeHandle,
    train: NativeHandle,
    grad: Float32Array,
    hess: Float32Array,
    length: number,
  ): number;
  XGBoosterEvalOneIter(
    handle: NativeHandle,
    iteration: number,
    sets: NativeHandle[],
    names: string[],
    length: number,
    out: Out<string | null>,
  ): number;
  XGBoosterPredictFromDMatrix(
    handle: NativeHandle,
    data: NativeHandle,
    config: string,
    shape: Out<NativePointer | null>,
    dims: Out<number>,
    result: Out<NativePointer | null>,
  ): number;
  XGBoosterSaveModelToBuffer(
    handle: NativeHandle,
    config: string,
    length: Out<number>,
    out: Out<NativePointer | null>,
  ): number;
  XGBoosterLoadModelFromBuffer(handle: NativeHandle, bytes: Uint8Array, length: number): number;
  XGBoosterFeatureScore(
    handle: NativeHandle,
    config: string,
    featureCount: Out<number>,
    features: Out<NativePointer | null>,
    dims: Out<number>,
    shape: Out<NativePointer | null>,
    scores: Out<NativePointer | null>,
  ): number;
  XGBoosterSetStrFeatureInfo(handle: NativeHandle, field: string, values: string[], length: number): number;
  XGBoosterGetStrFeatureInfo(
    handle: NativeHandle,
    field: string,
    length: Out<number>,
    out: Out<NativePointer | null>,
  ): number;
  XGBoosterGetNumFeature(handle: NativeHandle, out: Out<number>): number;
  XGBoosterBoostedRounds(handle: NativeHandle, out: Out<number>): number;
  XGBoosterSetAttr(handle: NativeHandle, key: string, value: string | null): number;
  XGBoosterGetAttr(handle: NativeHandle, key: string, out: Out<string | null>, success: Out<number>): number;
}

const SIGNATURES: Record<keyof XgbApi, string> = {
  XGBGetLastError: 'const char *XGBGetLastError()',
  XGBoostVersion: 'void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)',
  XGBRegisterLogCallback: 'int XGBRegisterLogCallback(XgbLogCallback *callback)',
  XGDMatrixCreateFromMat_omp:
    'int XGDMatrixCreateFromMat_omp(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ XgbHandle *out, int nthread)',
  XGDMatrixSetFloatInfo:
    'int XGDMatrixSetFloatInfo(XgbHandle h, const char *field, const float *array, uint64_t len)',
  XGDMatrixSetStrFeatureInfo:
    'int XGDMatrixSetStrFeatureInfo(XgbHandle h, const char *field, const char **features, uint64_t size)',
  XGDMatrixNumRow: 'int XGDMatrixNumRow(XgbHandle h, _Out_ uint64_t *out)',
  XGDMatrixNumCol: 'int XGDMatrixNumCol(XgbHandle h, _Out_ uint64_t *out)',
  XGDMatrixFree: 'int XGDMatrixFree(XgbHandle h)',
  XGBoosterCreate: 'int XGBoosterCreate(const XgbHandle *dmats, uint64_t len, _Out_ XgbHandle *out)',
  XGBoosterFree: 'int XGBoosterFree(XgbHandle h)',
  XGBoosterSetParam: 'int XGBoosterSetParam(XgbHandle h, const char *name, const char *value)',
  XGBoosterSaveJsonConfig:
    'int XGBoosterSaveJsonConfig(XgbHandle h, _Out_ uint64_t *len, _Out_ const char **out)',
  XGBoosterUpdateOneIter: 'int XGBoosterUpdateOneIter(XgbHandle h, int iter, XgbHandle dtrain)',
  XGBoosterBoostOneIter:
    'int XGBoosterBoostOneIter(XgbHandle h, XgbHandle dtrain, float *grad, float *hess, uint64_t len)',
  XGBoosterEvalOneIter:
    'int XGBoosterEvalOneIter(XgbHandle h, int iter, const XgbHandle *dmats, const char **names, uint64_t len, _Out_ const char **out)',
  XGBoosterPredictFromDMatrix:
    'int XGBoosterPredictFromDMatrix(XgbHandle h, XgbHandle d, const char *config, _Out_ void **shape, _Out_ uint64_t *dim, _Out_ void **result)',
  XGBoosterSaveModelToBuffer:
    'int XGBoosterSaveModelToBuffer(XgbHandle h, const char *config, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterLoadModelFromBuffer:
    'int XGBoosterLoadModelFromBuffer(XgbHandle h, const void *buf, uint64_t len)',
  XGBoosterFeatureScore:
    'int XGBoosterFeatureScore(XgbHandle h, const char *config, _Out_ uint64_t *n, _Out_ void **features, _Out_ uint64_t *dim, _Out_ void **shape, _Out_ void **scores)',
  XGBoosterSetStrFeatureInfo:
    'int XGBoosterSetStrFeatureInfo(XgbHandle h, const char *field, const char **features, uint64_t size)',
  XGBoosterGetStrFeatureInfo:
    'int XGBoosterGetStrFeatureInfo(XgbHandle h, const char *field, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterGetNumFeature: 'int XGBoosterGetNumFeature(XgbHandle h, _Out_ uint64_t *out)',
  XGBoosterBoostedRounds: 'int XGBoosterBoostedRounds(XgbHandle h, _Out_ int *out)',
  XGBoosterSetAttr: 'int XGBoosterSetAttr(XgbHandle h, const char *key, const char *value)',
  XGBoosterGetAttr:
    'int XGBoosterGetAttr(XgbHandle h, const char *key, _Out_ const char **out, _Out_ int *success)',
};

/** Where the library is looked for when XGBOOST_LIB is not set, in order. */
export function defaultLibraryCandidates(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') {
    return [
      '/opt/homebrew/lib/libxgboost.dylib',
      '/opt/homebrew/opt/xgboost/lib/libxgboost.dylib',
      '/usr/local/lib/libxgboost.dylib',
      '/usr/local/opt/xgboost/lib/libxgboost.dylib',
    ];
  }
  return [
    '/usr/lib/x86_64-linux-gnu/libxgboost.so.0',
    '/usr/lib/x86_64-linux-gnu/libxgboost.so',
    '/usr/lib/aarch64-linux-gnu/libxgboost.so.0',
    '/usr/lib/aarch64-linux-gnu/libxgboost.so',
    '/usr/local/lib/libxgboost.so',
    '/usr/lib/libxgboost.so',
  ];
}

/** Resolves the library path: XGBOOST_LIB first, then the platform's usual install locations. */
export function locateLibrary(
  env: NodeJS.ProcessEnv = process.env,
  candidates = defaultLibraryCandidates(),
): string {
  const fromEnv = env.XGBOOST_LIB;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (existsSync(fromEnv)) return fromEnv;
    throw new DcgridError(
      ErrorCodes.XGBOOST,
      `XGBOOST_LIB points at ${fromEnv}, which does not exist. Unset it or point it at libxgboost.so / libxgboost.dylib.`,
    );
  }
  const found = candidates.find((path) => existsSync(path));
  if (found !== undefined) return found;
  throw new DcgridError(
    ErrorCodes.XGBOOST,
    `XGBoost shared library not found (tried XGBOOST_LIB, ${candidates.join(', ')}). ` +
      'Install it with `apt-get install libxgboost0` (Debian/Ubuntu) or `brew install xgboost` (macOS), ' +
      'or set XGBOOST_LIB to the path of libxgboost.',
  );
}

export interface XgbLibrary {
  readonly path: string;
  readonly version: string;
  readonly api: XgbApi;
}

let loaded: XgbLibrary | undefined;
let logger: Logger | undefined;
/** While set, log lines from XGBoost are collected here instead of being logged. */
let capturedLog: string[] | undefined;
/** Kept referenced for the life of the process: XGBoost calls it for every log line. */
let logCallback: unknown;

function forwardLog(message: string): void {
  const text = message.trim();
  if (capturedLog !== undefined) {
    capturedLog.push(text);
    return;
  }
  logger ??= createLogger('xgboost');
  if (text.includes('WARNING')) logger.warn(text);
  else logger.info(text);
}

/** koffi keeps named types in a process-wide registry that outlives module instances. */
function declareTypes(): koffi.IKoffiCType {
  const existing = (name: string): koffi.IKoffiCType | undefined => {
    try {
      return koffi.resolve(name);
    } catch {
      return undefined;
    }
  };
  if (existing('XgbHandle') === undefined) koffi.pointer('XgbHandle', koffi.opaque('XgbOpaque'));
  return existing('XgbLogCallback') ?? koffi.proto('void XgbLogCallback(const char *message)');
}

/** Loads the library once per process; later calls return the same binding. */
export function xgbLibrary(): XgbLibrary {
  if (loaded !== undefined) return loaded;
  // Without this, idle OpenMP threads spin and starve other work on small shared machines; it must
  // be set before libgomp initialises, i.e. before the library is loaded.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  const path = locateLibrary();
  let lib: koffi.IKoffiLib;
  try {
    lib = koffi.load(path);
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.XGBOOST,
      `Cannot load the XGBoost library at ${path}: ${String(error)}`,
      {},
      {
        cause: error,
      },
    );
  }
  const logPrototype = declareTypes();
  const api = {} as Record<keyof XgbApi, unknown>;
  for (const [name, signature] of Object.entries(SIGNATURES)) {
    try {
      api[name as keyof XgbApi] = lib.func(signature);
    } catch (error) {
      throw new DcgridError(
        ErrorCodes.XGBOOST,
        `The XGBoost library at ${path} lacks ${name} (${String(error)}); dcgrid needs XGBoost 1.7 or newer.`,
        {},
        { cause: error },
      );
    }
  }
  const typed = api as unknown as XgbApi;
  const major: Out<number> = [0];
  const minor: Out<number> = [0];
  const patch: Out<number> = [0];
  typed.XGBoostVersion(major, minor, patch);
  // The registered callback is thread-local in XGBoost: only log lines emitted on this (the JS)
  // thread reach it, so OpenMP worker threads can never block on the JS event loop.
  logCallback = koffi.register(forwardLog, koffi.pointer(logPrototype));
  if (typed.XGBRegisterLogCallback(logCallback) !== 0) {
    throw new DcgridError(ErrorCodes.XGBOOST, `XGBRegisterLogCallback failed: ${typed.XGBGetLastError()}`);
  }
  loaded = { path, version: `${major[0]}.${minor[0]}.${patch[0]}`, api: typed };
  return loaded;
}

/** Collects the log lines XGBoost writes while `action` runs (on this thread). */
export function captureLog<T>(action: () => T): { result: T; log: string[] } {
  const previous = capturedLog;
  const log: string[] = [];
  capturedLog = log;
  try {
    return { result: action(), log };
  } finally {
    capturedLog = previous;
  }
}

/** XGBoost's error text without its timestamp prefix and native stack trace. */
export function cleanErrorMessage(raw: string): string {
  const withoutTrace = raw.split(/\n\s*Stack trace:/)[0] ?? raw;
  return withoutTrace.replace(/^\[\d{2}:\d{2}:\d{2}\]\s*/, '').trim();
}

/** Throws a DcgridError carrying XGBGetLastError() when a C API call returned non-zero. */
export function check(rc: number, call: keyof XgbApi): void {
  if (rc === 0) return;
  const message = cleanErrorMessage(xgbLibrary().api.XGBGetLastError());
  throw new DcgridError(ErrorCodes.XGBOOST, `${call} failed: ${message}`);
}

/** Default thread count for XGBoost: every core this process may use. */
export function defaultThreadCount(): number {
  return availableParallelism();
}

/** Copies `count` float32 values out of memory XGBoost owns (valid only until its next call). */
export function copyFloats(pointer: NativePointer | null, count: number): Float32Array {
  if (count === 0 || pointer === null) return new Float32Array(0);
  return new Float32Array(koffi.view(pointer, count * Float32Array.BYTES_PER_ELEMENT).slice(0));
}

export function copyBytes(pointer: NativePointer | null, count: number): Uint8Array {
  if (count === 0 || pointer === null) return new Uint8Array(0);
  return new Uint8Array(koffi.view(pointer, count).slice(0));
}

export function readDims(pointer: NativePointer | null, dims: number): number[] {
  if (dims === 0 || pointer === null) return [];
  const values = koffi.decode(pointer, koffi.array('uint64_t', dims, 'Array')) as Array<number | bigint>;
  return values.map(Number);
}

export function readStrings(pointer: NativePointer | null, count: number): string[] {
  if (count === 0 || pointer === null) return [];
  return koffi.decode(pointer, koffi.array('const char *', count, 'Array')) as string[];
}

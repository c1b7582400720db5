/** XGBoost Booster: parameters, boosting rounds, evaluation, prediction, persistence, importance. */
import { DcgridError, ErrorCodes } from '../../../lib/errors.js';
import type { DMatrix } from './dmatrix.js';
import {
  captureLog,
  check,
  copyBytes,
  copyFloats,
  readDims,
  readStrings,
  xgbLibrary,
  type NativePointer,
} from './library.js';
import { NativeResource } from './resource.js';

export type ParamValue = string | number | boolean;
export type BoosterParams = Readonly<Record<string, ParamValue | undefined>>;

/** Output of XGBoosterPredictFromDMatrix; the C API's `type` code in brackets. */
export type PredictionKind =
  | 'value' // [0] transformed prediction
  | 'margin' // [1] raw score before the objective's link function
  | 'contributions' // [2] exact TreeSHAP, one column per feature plus the bias
  | 'approxContributions' // [3] Saabas approximation
  | 'interactions' // [4] SHAP interaction values
  | 'approxInteractions' // [5]
  | 'leaf'; // [6] leaf index per tree

const PREDICTION_TYPE: Record<PredictionKind, number> = {
  value: 0,
  margin: 1,
  contributions: 2,
  approxContributions: 3,
  interactions: 4,
  approxInteractions: 5,
  leaf: 6,
};

export interface PredictOptions {
  kind?: PredictionKind;
  /** Trees of boosting rounds [begin, end); [0, 0] (the default) uses every round. */
  iterationRange?: readonly [number, number];
  /** True while training (dropout for dart, incremental prediction cache). */
  training?: boolean;
}

export interface Prediction {
  values: Float32Array;
  /** Row-major shape, e.g. [rows] or [rows, features + 1] for contributions. */
  shape: number[];
}

export type ModelFormat = 'json' | 'ubj';
export type ImportanceType = 'weight' | 'gain' | 'cover' | 'total_gain' | 'total_cover';

export interface EvalSet {
  name: string;
  data: DMatrix;
}

/** "Parameters: { "foo" } are not used." (or "might not be used" in other versions). */
const UNUSED_PARAMETERS = /Parameters: \{[^}]*\} (?:are not used|might not be used)/;

function formatParam(value: ParamValue): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Parses "[12]\ttrain-rmse:0.25\tvalid-rmse:0.3" into { 'train-rmse': 0.25, 'valid-rmse': 0.3 }. */
export function parseEvalLine(line: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const part of line.split('\t').slice(1)) {
    const colon = part.lastIndexOf(':');
    if (colon > 0) metrics[part.slice(0, colon)] = Number(part.slice(colon + 1));
  }
  return metrics;
}

export class Booster extends NativeResource {
  #needsConfigure = true;

  private constructor(handle: object) {
    super('Booster', handle, (h) => xgbLibrary().api.XGBoosterFree(h));
  }

  /**
   * A new booster. `cache` holds the matrices it will train and evaluate on (XGBoost keeps
   * incremental predictions for them); training data must be among them.
   */
  static create(params: BoosterParams = {}, cache: readonly DMatrix[] = []): Booster {
    const { api } = xgbLibrary();
    const out: [object | null] = [null];
    const handles = cache.map((matrix) => matrix.nativeHandle);
    check(api.XGBoosterCreate(handles, handles.length, out), 'XGBoosterCreate');
    const booster = new Booster(out[0]!);
    try {
      const names = cache[0]?.featureNames;
      if (names !== undefined) booster.featureNames = names;
      booster.setParams({ validate_parameters: true, ...params });
    } catch (error) {
      booster.dispose();
      throw error;
    }
    return booster;
  }

  /** A booster restored from bytes written by save() (JSON or UBJ; XGBoost detects which). */
  static load(bytes: Uint8Array, params: BoosterParams = {}): Booster {
    const booster = Booster.create();
    try {
      check(
        xgbLibrary().api.XGBoosterLoadModelFromBuffer(booster.nativeHandle, bytes, bytes.length),
        'XGBoosterLoadModelFromBuffer',
      );
      booster.setParams(params);
    } catch (error) {
      booster.dispose();
      throw error;
    }
    return booster;
  }

  setParam(name: string, value: ParamValue): void {
    check(
      xgbLibrary().api.XGBoosterSetParam(this.nativeHandle, name, formatParam(value)),
      'XGBoosterSetParam',
    );
    this.#needsConfigure = true;
  }

  setParams(params: BoosterParams): void {
    for (const [name, value] of Object.entries(params)) if (value !== undefined) this.setParam(name, value);
  }

  /**
   * Applies pending parameters now. XGBoost 1.x only warns about parameter names it does not know;
   * that warning becomes an error here, so a misspelt parameter cannot silently do nothing.
   */
  configure(): void {
    if (!this.#needsConfigure) return;
    const { result: rc, log } = captureLog(() =>
      xgbLibrary().api.XGBoosterSaveJsonConfig(this.nativeHandle, [0], [null]),
    );
    check(rc, 'XGBoosterSaveJsonConfig');
    const unused = log.find((line) => UNUSED_PARAMETERS.test(line));
    if (unused !== undefined) {
      const message = unused.slice(unused.search(UNUSED_PARAMETERS)).trim();
      throw new DcgridError(ErrorCodes.XGBOOST, `Unknown XGBoost parameter: ${message}`);
    }
    this.#needsConfigure = false;
  }

  /** The full configuration XGBoost resolved (objective, tree method, defaults), as JSON text. */
  jsonConfig(): string {
    this.configure();
    const text: [string | null] = [null];
    check(xgbLibrary().api.XGBoosterSaveJsonConfig(this.nativeHandle, [0], text), 'XGBoosterSaveJsonConfig');
    return text[0] ?? '';
  }

  /** One boosting round with the booster's own objective. */
  updateOneIter(iteration: number, train: DMatrix): void {
    this.configure();
    check(
      xgbLibrary().api.XGBoosterUpdateOneIter(this.nativeHandle, iteration, train.nativeHandle),
      'XGBoosterUpdateOneIter',
    );
  }

  /** One boosting round from caller-supplied gradient and hessian (custom objective). */
  boostOneIter(train: DMatrix, grad: Float32Array, hess: Float32Array): void {
    if (grad.length !== train.rows || hess.length !== train.rows) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `Gradient (${grad.length}) and hessian (${hess.length}) must have one value per row (${train.rows}).`,
      );
    }
    this.configure();
    check(
      xgbLibrary().api.XGBoosterBoostOneIter(this.nativeHandle, train.nativeHandle, grad, hess, grad.length),
      'XGBoosterBoostOneIter',
    );
  }

  /** The booster's eval_metric(s) on each set, e.g. { 'valid-rmse': 0.31 }. */
  evalOneIter(iteration: number, sets: readonly EvalSet[]): Record<string, number> {
    this.configure();
    const out: [string | null] = [null];
    check(
      xgbLibrary().api.XGBoosterEvalOneIter(
        this.nativeHandle,
        iteration,
        sets.map((set) => set.data.nativeHandle),
        sets.map((set) => set.name),
        sets.length,
        out,
      ),
      'XGBoosterEvalOneIter',
    );
    return parseEvalLine(out[0] ?? '');
  }

  predict(data: DMatrix, options: PredictOptions = {}): Prediction {
    this.configure();
    const expected = this.numFeatures();
    // XGBoost rejects extra columns itself but silently treats absent trailing ones as missing.
    if (expected > 0 && data.cols < expected) {
      throw new DcgridError(
        ErrorCodes.XGBOOST,
        `Number of columns does not match number of features in booster (${data.cols} vs. ${expected}).`,
      );
    }
    const [begin, end] = options.iterationRange ?? [0, 0];
    const config = JSON.stringify({
      type: PREDICTION_TYPE[options.kind ?? 'value'],
      training: options.training ?? false,
      iteration_begin: begin,
      iteration_end: end,
      strict_shape: false,
    });
    const shapePointer: [NativePointer | null] = [null];
    const dims: [number] = [0];
    const result: [NativePointer | null] = [null];
    check(
      xgbLibrary().api.XGBoosterPredictFromDMatrix(
        this.nativeHandle,
        data.nativeHandle,
        config,
        shapePointer,
        dims,
        result,
      ),
      'XGBoosterPredictFromDMatrix',
    );
    const shape = readDims(shapePointer[0], Number(dims[0]));
    const count = shape.reduce((product, size) => product * size, 1);
    return { values: copyFloats(result[0], count), shape };
  }

  /** The model (trees, objective, feature names, attributes) in XGBoost's JSON or UBJSON format. */
  save(format: ModelFormat = 'ubj'): Uint8Array {
    const length: [number] = [0];
    const out: [NativePointer | null] = [null];
    check(
      xgbLibrary().api.XGBoosterSaveModelToBuffer(this.nativeHandle, JSON.stringify({ format }), length, out),
      'XGBoosterSaveModelToBuffer',
    );
    return copyBytes(out[0], Number(length[0]));
  }

  /** Importance per feature name (features never used in a split are absent). */
  featureScore(type: ImportanceType = 'gain'): Record<string, number> {
    const count: [number] = [0];
    const names: [NativePointer | null] = [null];
    const dims: [number] = [0];
    const shape: [NativePointer | null] = [null];
    const scores: [NativePointer | null] = [null];
    check(
      xgbLibrary().api.XGBoosterFeatureScore(
        this.nativeHandle,
        JSON.stringify({ importance_type: type, feature_map: '' }),
        count,
        names,
        dims,
        shape,
        scores,
      ),
      'XGBoosterFeatureScore',
    );
    const featureNames = readStrings(names[0], Number(count[0]));
    const values = copyFloats(scores[0], featureNames.length);
    return Object.fromEntries(featureNames.map((name, i) => [name, values[i]!]));
  }

  get featureNames(): string[] {
    const length: [number] = [0];
    const out: [NativePointer | null] = [null];
    check(
      xgbLibrary().api.XGBoosterGetStrFeatureInfo(this.nativeHandle, 'feature_name', length, out),
      'XGBoosterGetStrFeatureInfo',
    );
    return readStrings(out[0], Number(length[0]));
  }

  set featureNames(names: readonly string[]) {
    check(
      xgbLibrary().api.XGBoosterSetStrFeatureInfo(
        this.nativeHandle,
        'feature_name',
        [...names],
        names.length,
      ),
      'XGBoosterSetStrFeatureInfo',
    );
  }

  numFeatures(): number {
    const out: [number] = [0];
    check(xgbLibrary().api.XGBoosterGetNumFeature(this.nativeHandle, out), 'XGBoosterGetNumFeature');
    return Number(out[0]);
  }

  boostedRounds(): number {
    const out: [number] = [0];
    check(xgbLibrary().api.XGBoosterBoostedRounds(this.nativeHandle, out), 'XGBoosterBoostedRounds');
    return out[0];
  }

  /** String attributes saved with the model (e.g. best_iteration); null removes one. */
  setAttr(key: string, value: string | null): void {
    check(xgbLibrary().api.XGBoosterSetAttr(this.nativeHandle, key, value), 'XGBoosterSetAttr');
  }

  getAttr(key: string): string | undefined {
    const out: [string | null] = [null];
    const success: [number] = [0];
    check(xgbLibrary().api.XGBoosterGetAttr(this.nativeHandle, key, out, success), 'XGBoosterGetAttr');
    return success[0] === 1 && out[0] !== null ? out[0] : undefined;
  }
}

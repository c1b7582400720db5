/** XGBoost DMatrix built from a dense, row-major Float32Array (NaN = missing). */
import { DcgridError, ErrorCodes } from '../../../lib/errors.js';
import { check, defaultThreadCount, xgbLibrary } from './library.js';
import { NativeResource } from './resource.js';

export type FloatInfoField = 'label' | 'weight' | 'base_margin' | 'label_lower_bound' | 'label_upper_bound';

export interface DMatrixOptions {
  labels?: Float32Array;
  weights?: Float32Array;
  featureNames?: readonly string[];
  /** Value that marks a missing cell in addition to NaN; NaN by default. */
  missing?: number;
  nthread?: number;
}

export class DMatrix extends NativeResource {
  readonly rows: number;
  readonly cols: number;
  #labels: Float32Array | undefined;
  #featureNames: readonly string[] | undefined;

  private constructor(handle: object, rows: number, cols: number) {
    super('DMatrix', handle, (h) => xgbLibrary().api.XGDMatrixFree(h));
    this.rows = rows;
    this.cols = cols;
  }

  static fromDense(data: Float32Array, rows: number, cols: number, options: DMatrixOptions = {}): DMatrix {
    if (
      !Number.isInteger(rows) ||
      !Number.isInteger(cols) ||
      rows < 0 ||
      cols < 1 ||
      data.length !== rows * cols
    ) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `DMatrix data has ${data.length} values, expected rows x cols = ${rows} x ${cols}.`,
      );
    }
    const { api } = xgbLibrary();
    const out: [object | null] = [null];
    check(
      api.XGDMatrixCreateFromMat_omp(
        data,
        rows,
        cols,
        options.missing ?? Number.NaN,
        out,
        options.nthread ?? defaultThreadCount(),
      ),
      'XGDMatrixCreateFromMat_omp',
    );
    const matrix = new DMatrix(out[0]!, rows, cols);
    try {
      if (options.labels !== undefined) matrix.setLabels(options.labels);
      if (options.weights !== undefined) matrix.setWeights(options.weights);
      if (options.featureNames !== undefined) matrix.setFeatureNames(options.featureNames);
    } catch (error) {
      matrix.dispose();
      throw error;
    }
    return matrix;
  }

  /** Labels as last set from JS (a copy kept for custom objectives and metrics). */
  get labels(): Float32Array | undefined {
    return this.#labels;
  }

  get featureNames(): readonly string[] | undefined {
    return this.#featureNames;
  }

  setFloatInfo(field: FloatInfoField, values: Float32Array): void {
    if (values.length !== this.rows) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `DMatrix ${field} has ${values.length} values for ${this.rows} rows.`,
      );
    }
    check(
      xgbLibrary().api.XGDMatrixSetFloatInfo(this.nativeHandle, field, values, values.length),
      'XGDMatrixSetFloatInfo',
    );
  }

  setLabels(labels: Float32Array): void {
    this.setFloatInfo('label', labels);
    this.#labels = labels.slice();
  }

  setWeights(weights: Float32Array): void {
    this.setFloatInfo('weight', weights);
  }

  setFeatureNames(names: readonly string[]): void {
    if (names.length !== this.cols) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${names.length} feature names for ${this.cols} columns.`,
      );
    }
    check(
      xgbLibrary().api.XGDMatrixSetStrFeatureInfo(
        this.nativeHandle,
        'feature_name',
        [...names],
        names.length,
      ),
      'XGDMatrixSetStrFeatureInfo',
    );
    this.#featureNames = [...names];
  }

  /** Row and column counts as the library sees them. */
  nativeShape(): { rows: number; cols: number } {
    const { api } = xgbLibrary();
    const rows: [number] = [0];
    const cols: [number] = [0];
    check(api.XGDMatrixNumRow(this.nativeHandle, rows), 'XGDMatrixNumRow');
    check(api.XGDMatrixNumCol(this.nativeHandle, cols), 'XGDMatrixNumCol');
    return { rows: Number(rows[0]), cols: Number(cols[0]) };
  }
}

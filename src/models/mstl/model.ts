/**
 * The `mstl` forecaster: MSTL decomposition (seasonal periods 24 h and 168 h) with an AutoETS
 * model of the deseasonalised series, from augurs (WebAssembly). MSTL is a local model: each
 * forecast refits it on the last `windowHours` (default 8 weeks) of the history it is given, which
 * takes about 0.1 s. fit() checks the data, keeps the training window and calibrates the
 * quantiles: augurs' ETS intervals treat the deseasonalised load as close to a random walk and
 * grow far too wide with the horizon (±2,000 MW at 168 h against errors of a few hundred on
 * demand), so quantile q at hour h is point + the q-quantile of the errors of rolling forecasts,
 * from daily origins at the end of the training frame, in the same block of 24 forecast hours.
 * augurs' own intervals are the fallback when the training frame is too short for that.
 * See docs/BACKTESTING.md.
 */
import { z } from 'zod';
import { REGIONS } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import { modelJson, readModelJson } from '../model-files.js';
import { checkHorizon, checkHourlyFrame, checkQuantiles } from '../harness.js';
import { gridQuantile, percentileGrid } from '../snaive/quantile-grid.js';
import type {
  FitOptions,
  FitReport,
  Forecast,
  Forecaster,
  HourlyFrame,
  ModelDescription,
  ModelFiles,
  TrainingData,
} from '../types.js';
import { imputeSeasonal } from './impute.js';
import { mstlClass } from './wasm.js';

export const MODEL_FILE = 'model.json';
const PERIODS = [24, 168] as const;
/** STL needs two full cycles of the longest period. */
const MIN_WINDOW_HOURS = 2 * 168;
/** Any interval level, where only the point forecast is read. */
const POINT_ONLY = 0.8;
/** Forecast hours that share an error distribution. */
const BLOCK_HOURS = 24;
/** Rolling forecasts needed before calibrated quantiles replace the raw augurs intervals. */
const MIN_CALIBRATION_ORIGINS = 3;

const paramsSchema = z
  .object({
    /** Hours of history each MSTL fit sees (the most recent ones). */
    windowHours: z
      .number()
      .int()
      .min(MIN_WINDOW_HOURS)
      .max(24 * 7 * 52)
      .default(24 * 7 * 8),
    /** Daily origins at the end of the training frame used to calibrate the intervals (0: raw augurs intervals). */
    calibrationOrigins: z.number().int().min(0).max(60).default(14),
  })
  .strict();

type MstlParams = z.infer<typeof paramsSchema>;

const savedSchema = z
  .object({
    format: z.literal('dcgrid-mstl'),
    version: z.literal(1),
    target: z.string(),
    region: z.enum(REGIONS),
    horizon: z.number().int().positive(),
    quantiles: z.array(z.number()),
    params: z.object({ windowHours: z.number().int(), calibrationOrigins: z.number().int() }).strict(),
    /** Percentiles of the rolling-forecast errors per block of 24 forecast hours; null: raw intervals. */
    calibration: z.array(z.array(z.number())).nullable(),
    calibrationOriginsUsed: z.number().int(),
    /** The training window's last `windowHours` values (NaN as null): the model is refit from them on load. */
    window: z.object({ start: z.number(), values: z.array(z.number().nullable()) }).strict(),
    trainedFrom: z.number(),
    trainedTo: z.number(),
  })
  .strict();

type Saved = z.infer<typeof savedSchema>;

interface Prediction {
  point: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

interface FittedWindow {
  end: number;
  values: Float64Array;
  model: InstanceType<ReturnType<typeof mstlClass>>;
}

function parseParams(params: Record<string, unknown> | undefined): MstlParams {
  const parsed = paramsSchema.safeParse(params ?? {});
  if (!parsed.success) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Invalid mstl parameters: ${parsed.error.message}`);
  }
  return parsed.data;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Fits MSTL on the (imputed) values and returns the fitted model; throws a typed error on failure. */
function fitMstl(values: Float64Array, column: string): FittedWindow['model'] {
  if (values.length < MIN_WINDOW_HOURS) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `mstl needs at least ${MIN_WINDOW_HOURS} hours of history (two weeks), got ${values.length}.`,
      { column },
    );
  }
  const MSTL = mstlClass();
  const model = MSTL.ets([...PERIODS]);
  try {
    model.fit(imputeSeasonal(values, column));
  } catch (error) {
    model.free();
    if (error instanceof DcgridError) throw error;
    throw new DcgridError(
      ErrorCodes.MODEL,
      `MSTL fit failed: ${String(error)}`,
      { column },
      { cause: error },
    );
  }
  return model;
}

/** Point forecast and the central interval at `level`. */
function predict(model: FittedWindow['model'], horizon: number, level: number): Prediction {
  let result;
  try {
    result = model.predict(horizon, level);
  } catch (error) {
    throw new DcgridError(ErrorCodes.MODEL, `MSTL prediction failed: ${String(error)}`, {}, { cause: error });
  }
  const { intervals } = result;
  if (intervals === undefined)
    throw new DcgridError(ErrorCodes.MODEL, 'MSTL returned no prediction intervals.');
  return {
    point: Float64Array.from(result.point),
    lower: Float64Array.from(intervals.lower),
    upper: Float64Array.from(intervals.upper),
  };
}

/**
 * Quantile rows. Calibrated: the point forecast plus the empirical error quantile of the hour's
 * 24 h block; otherwise each level reads augurs' central interval of width |2q - 1|. The median is
 * the point forecast; no other level crosses it.
 */
function quantileRows(
  model: FittedWindow['model'],
  horizon: number,
  quantiles: readonly number[],
  calibration: number[][] | null,
): Float64Array[] {
  const { point } = predict(model, horizon, POINT_ONLY);
  return quantiles.map((q) => {
    if (q === 0.5) return point.slice();
    let offset: (h: number) => number;
    if (calibration) {
      const offsets = calibration.map((grid) => gridQuantile(grid, q));
      offset = (h) => offsets[Math.min(Math.floor(h / BLOCK_HOURS), offsets.length - 1)]!;
    } else {
      const interval = predict(model, horizon, Math.abs(2 * q - 1));
      const bound = q < 0.5 ? interval.lower : interval.upper;
      offset = (h) => bound[h]! - point[h]!;
    }
    return Float64Array.from({ length: horizon }, (_, h) => {
      const value = point[h]! + offset(h);
      return q < 0.5 ? Math.min(value, point[h]!) : Math.max(value, point[h]!);
    });
  });
}

export class MstlForecaster implements Forecaster {
  readonly name = 'mstl';
  #saved: Saved | undefined;
  #fitted: FittedWindow | undefined;

  static fromFiles(files: ModelFiles): MstlForecaster {
    const saved = readModelJson(files, MODEL_FILE, savedSchema, 'mstl');
    const model = new MstlForecaster();
    const values = Float64Array.from(saved.window.values, (v) => v ?? Number.NaN);
    const end = saved.window.start + values.length * HOUR_MS;
    model.#saved = saved;
    model.#fitted = { end, values, model: fitMstl(values, saved.target) };
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    checkHorizon(options.horizon);
    const quantiles = checkQuantiles(options.quantiles);
    const params = parseParams(options.params);
    const { frame, target } = data;
    checkHourlyFrame(frame, [target], 'training frame');
    const y = frame.columns[target]!;
    const hours = y.length;
    const windowStart = Math.max(0, hours - params.windowHours);
    const values = y.slice(windowStart, hours);
    const fitted = fitMstl(values, target);
    const { blocks, origins } = this.#calibrationErrors(y, options.horizon, params, target, options.signal);
    const calibration =
      origins >= MIN_CALIBRATION_ORIGINS ? blocks.map((errors) => percentileGrid(errors)) : null;
    this.#release();
    this.#fitted = { end: frame.ts[hours - 1]! + HOUR_MS, values, model: fitted };
    this.#saved = {
      format: 'dcgrid-mstl',
      version: 1,
      target,
      region: data.region,
      horizon: options.horizon,
      quantiles,
      params,
      calibration,
      calibrationOriginsUsed: origins,
      window: {
        start: frame.ts[windowStart]!,
        values: Array.from(values, (v) => (Number.isFinite(v) ? v : null)),
      },
      trainedFrom: frame.ts[0]!,
      trainedTo: frame.ts[hours - 1]!,
    };
    const metrics: Record<string, number> = { calibration_origins: origins };
    if (calibration) {
      metrics.day_ahead_error_p10 = gridQuantile(calibration[0]!, 0.1);
      metrics.day_ahead_error_p90 = gridQuantile(calibration[0]!, 0.9);
    }
    options.onProgress?.({ step: 1, totalSteps: 1, metrics });
    return {
      steps: 1,
      bestStep: 1,
      metrics,
      curve: [{ step: 1, metrics }],
      seconds: (performance.now() - started) / 1000,
    };
  }

  /**
   * Errors y - point of rolling forecasts from daily origins at the end of the training values,
   * grouped by block of 24 forecast hours; each forecast refits MSTL on the window before its origin.
   */
  #calibrationErrors(
    y: Float64Array,
    horizon: number,
    params: MstlParams,
    column: string,
    signal: AbortSignal | undefined,
  ): { blocks: number[][]; origins: number } {
    const blocks: number[][] = Array.from({ length: Math.ceil(horizon / BLOCK_HOURS) }, () => []);
    let origins = 0;
    for (let j = 0; j < params.calibrationOrigins; j++) {
      signal?.throwIfAborted();
      const origin = y.length - horizon - 24 * j;
      if (origin < MIN_WINDOW_HOURS) break;
      const model = fitMstl(y.slice(Math.max(0, origin - params.windowHours), origin), column);
      try {
        const { point } = predict(model, horizon, POINT_ONLY);
        for (let h = 0; h < horizon; h++) {
          const error = y[origin + h]! - point[h]!;
          if (Number.isFinite(error)) blocks[Math.floor(h / BLOCK_HOURS)]!.push(error);
        }
      } finally {
        model.free();
      }
      origins++;
    }
    return { blocks, origins };
  }

  #require(): Saved {
    if (this.#saved === undefined) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        'The mstl model is not fitted (or was disposed); call fit() or load it.',
      );
    }
    return this.#saved;
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    const saved = this.#require();
    checkHorizon(options.horizon, saved.horizon);
    const quantiles = checkQuantiles(options.quantiles ?? saved.quantiles);
    checkHourlyFrame(history, [saved.target], 'history');
    const y = history.columns[saved.target]!;
    const n = y.length;
    if (n === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
    const origin = history.ts[n - 1]! + HOUR_MS;
    const values = y.slice(Math.max(0, n - saved.params.windowHours), n);
    const cached = this.#fitted;
    let model: FittedWindow['model'];
    if (cached !== undefined && cached.end === origin && sameValues(cached.values, values)) {
      model = cached.model;
    } else {
      model = fitMstl(values, saved.target);
    }
    const ts = Float64Array.from({ length: options.horizon }, (_, h) => origin + h * HOUR_MS);
    let rows: Float64Array[];
    try {
      rows = quantileRows(model, options.horizon, quantiles, saved.calibration);
    } finally {
      if (model !== cached?.model) model.free();
    }
    return { origin, ts, quantiles, values: rows };
  }

  async save(): Promise<ModelFiles> {
    return { [MODEL_FILE]: modelJson(this.#require()) };
  }

  describe(): ModelDescription {
    const saved = this.#require();
    return {
      model: this.name,
      target: saved.target,
      region: saved.region,
      horizon: saved.horizon,
      contextLength: saved.params.windowHours,
      quantiles: saved.quantiles,
      features: [saved.target],
      params: { ...saved.params, periods: [...PERIODS], trend: 'AutoETS' },
      trainedFrom: saved.trainedFrom,
      trainedTo: saved.trainedTo,
      details: {
        calibrated: saved.calibration !== null,
        calibrationOrigins: saved.calibrationOriginsUsed,
        ...(saved.calibration
          ? {
              errorP10PerBlock: saved.calibration.map((grid) => gridQuantile(grid, 0.1)),
              errorP90PerBlock: saved.calibration.map((grid) => gridQuantile(grid, 0.9)),
            }
          : {}),
      },
    };
  }

  #release(): void {
    this.#fitted?.model.free();
    this.#fitted = undefined;
  }

  dispose(): void {
    this.#release();
    this.#saved = undefined;
  }
}

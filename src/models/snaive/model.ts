/**
 * Seasonal naive forecasters (`snaive24`, `snaive168`): hour h repeats the value of the same hour
 * one season before the forecast hour, i.e. k = ceil(h / season) seasons back from it (the last
 * season repeats when h > season). The median is that value; the other quantiles add the
 * empirical quantiles of the in-sample errors y_t - y_{t - k·season} of the same k ("horizon
 * bucket"), measured on the last `errorWindowHours` of the training frame. A level never crosses
 * the median; where the errors all lie on one side of zero (a growing series: every error
 * positive), the levels on the other side keep the errors' spread about their own median instead
 * of collapsing onto the median (P10 == P50). See docs/BACKTESTING.md.
 */
import { z } from 'zod';
import { REGIONS } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import { modelJson, readModelJson } from '../model-files.js';
import { checkHorizon, checkHourlyFrame, checkQuantiles } from '../harness.js';
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
import { GRID_LEVELS, gridQuantile, percentileGrid } from './quantile-grid.js';

export const MODEL_FILE = 'model.json';
/** A bucket with fewer in-sample errors than this gives no usable distribution. */
const MIN_ERRORS = 24;

const paramsSchema = z
  .object({
    /** Hours at the end of the training frame whose seasonal-naive errors form the quantiles. */
    errorWindowHours: z
      .number()
      .int()
      .min(MIN_ERRORS)
      .default(24 * 7 * 8),
  })
  .strict();

const savedSchema = z
  .object({
    format: z.literal('dcgrid-snaive'),
    version: z.literal(1),
    season: z.number().int().positive(),
    target: z.string(),
    region: z.enum(REGIONS),
    horizon: z.number().int().positive(),
    quantiles: z.array(z.number()),
    errorWindowHours: z.number().int().positive(),
    /** buckets[k - 1]: errors of the value k seasons back; grid at GRID_LEVELS. */
    buckets: z.array(
      z.object({ seasonsBack: z.number().int(), errors: z.number().int(), grid: z.array(z.number()) }),
    ),
    trainedFrom: z.number(),
    trainedTo: z.number(),
  })
  .strict();

type Saved = z.infer<typeof savedSchema>;

function targetValues(frame: HourlyFrame, target: string, role: string): Float64Array {
  checkHourlyFrame(frame, [target], role);
  return frame.columns[target]!;
}

/** Errors y_t - y_{t - lag} for t in [from, end) where both values are known. */
function laggedErrors(y: Float64Array, lag: number, from: number, end: number): number[] {
  const errors: number[] = [];
  for (let t = Math.max(from, lag); t < end; t++) {
    const error = y[t]! - y[t - lag]!;
    if (Number.isFinite(error)) errors.push(error);
  }
  return errors;
}

export class SeasonalNaiveForecaster implements Forecaster {
  readonly name: string;
  readonly season: number;
  #saved: Saved | undefined;

  constructor(season: number, name = `snaive${season}`) {
    if (!Number.isInteger(season) || season < 1) {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `Season must be a whole number of hours, got ${season}.`,
      );
    }
    this.season = season;
    this.name = name;
  }

  /** Restores a model save() wrote; `season` must match the one it was fitted with. */
  static fromFiles(
    files: ModelFiles,
    season: number,
    expectedName = `snaive${season}`,
  ): SeasonalNaiveForecaster {
    const saved = readModelJson(files, MODEL_FILE, savedSchema, expectedName);
    if (saved.season !== season) {
      throw new DcgridError(
        ErrorCodes.ARTIFACT,
        `${MODEL_FILE} holds a seasonal naive model with a ${saved.season} h season, not ${expectedName}.`,
        { file: MODEL_FILE },
      );
    }
    const model = new SeasonalNaiveForecaster(season, expectedName);
    model.#saved = saved;
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    checkHorizon(options.horizon);
    const quantiles = checkQuantiles(options.quantiles);
    const parsed = paramsSchema.safeParse(options.params ?? {});
    if (!parsed.success) {
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `Invalid ${this.name} parameters: ${parsed.error.message}`,
      );
    }
    const { errorWindowHours } = parsed.data;
    const y = targetValues(data.frame, data.target, 'training frame');
    const hours = y.length;
    const from = Math.max(0, hours - errorWindowHours);
    const bucketCount = Math.ceil(options.horizon / this.season);
    const buckets: Saved['buckets'] = [];
    const metrics: Record<string, number> = {};
    for (let k = 1; k <= bucketCount; k++) {
      const errors = laggedErrors(y, k * this.season, from, hours);
      if (errors.length < MIN_ERRORS) {
        throw new DcgridError(
          ErrorCodes.TRAINING_DATA,
          `Only ${errors.length} known seasonal-naive errors at ${k} x ${this.season} h in the last ${errorWindowHours} h ` +
            `of the training frame; ${this.name} needs at least ${MIN_ERRORS} (a longer or more complete training window).`,
          { column: data.target },
        );
      }
      buckets.push({ seasonsBack: k, errors: errors.length, grid: percentileGrid(errors) });
      metrics[`in_sample_mae_${k}`] = errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length;
    }
    this.#saved = {
      format: 'dcgrid-snaive',
      version: 1,
      season: this.season,
      target: data.target,
      region: data.region,
      horizon: options.horizon,
      quantiles,
      errorWindowHours,
      buckets,
      trainedFrom: data.frame.ts[0]!,
      trainedTo: data.frame.ts[hours - 1]!,
    };
    options.onProgress?.({ step: 1, totalSteps: 1, metrics });
    return {
      steps: 1,
      bestStep: 1,
      metrics,
      curve: [{ step: 1, metrics }],
      seconds: (performance.now() - started) / 1000,
    };
  }

  #require(): Saved {
    if (this.#saved === undefined) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        `The ${this.name} model is not fitted (or was disposed); call fit() or load it.`,
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
    const y = targetValues(history, saved.target, 'history');
    const n = y.length;
    if (n === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
    const origin = history.ts[n - 1]! + HOUR_MS;
    const ts = new Float64Array(options.horizon);
    const values = quantiles.map(() => new Float64Array(options.horizon));
    for (let h = 1; h <= options.horizon; h++) {
      ts[h - 1] = origin + (h - 1) * HOUR_MS;
      const t = n + h - 1;
      // The same hour k seasons back; further back when that value is missing.
      let k = Math.ceil(h / this.season);
      while (t - k * this.season >= 0 && !Number.isFinite(y[t - k * this.season]!)) k++;
      if (t - k * this.season < 0) {
        throw new DcgridError(
          ErrorCodes.VALUE_INVALID,
          `The history has no known "${saved.target}" at the hour of forecast hour ${h} in any earlier season.`,
          { column: saved.target },
        );
      }
      const base = y[t - k * this.season]!;
      const grid = saved.buckets[Math.min(k, saved.buckets.length) - 1]!.grid;
      const medianError = gridQuantile(grid, 0.5);
      for (const [i, q] of quantiles.entries()) {
        values[i]![h - 1] = levelAround(base, gridQuantile(grid, q), medianError, q);
      }
    }
    return { origin, ts, quantiles, values };
  }

  async save(): Promise<ModelFiles> {
    return { [MODEL_FILE]: modelJson(this.#require()) };
  }

  describe(): ModelDescription {
    const saved = this.#require();
    const spread = saved.buckets.map((b) => gridQuantile(b.grid, 0.9) - gridQuantile(b.grid, 0.1));
    return {
      model: this.name,
      target: saved.target,
      region: saved.region,
      horizon: saved.horizon,
      contextLength: saved.buckets.length * saved.season,
      quantiles: saved.quantiles,
      features: [saved.target],
      params: { season: saved.season, errorWindowHours: saved.errorWindowHours },
      trainedFrom: saved.trainedFrom,
      trainedTo: saved.trainedTo,
      details: {
        errorsPerBucket: saved.buckets.map((b) => b.errors),
        p10ToP90SpreadPerBucket: spread,
        gridLevels: GRID_LEVELS.length,
      },
    };
  }

  dispose(): void {
    this.#saved = undefined;
  }
}

/**
 * Quantile level `q` around the seasonal-naive value `base`, from the in-sample error quantile
 * `error` (of level q) and the errors' median: base + error when that lies on q's side of base;
 * otherwise (all errors on the other side) base moved by the error's distance from the median.
 */
export function levelAround(base: number, error: number, medianError: number, q: number): number {
  if (q === 0.5) return base;
  if (q < 0.5) return error <= 0 ? base + error : base - Math.max(0, medianError - error);
  return error >= 0 ? base + error : base + Math.max(0, error - medianError);
}

/**
 * Every catalog model's intervals, one way: after the model's own fit, it forecasts from the
 * validation origins (daily, inside the last `validationHours` of its training window, each from
 * the history before it, so nothing after the fit date is used), and its P50 errors there, per band
 * of 24 forecast hours, set every other quantile (calibration.ts, "Intervals from validation
 * origins"; the ensemble builds its intervals with the same functions). The model's median is
 * untouched. With fewer than MIN_VALIDATION_ORIGINS origins (a short window) the model keeps its
 * own intervals, and says so in describe().
 *
 * Files: the model's own plus `intervals.json`; files saved before this wrapper (no
 * `intervals.json`) load as the model alone and forecast with its own intervals.
 */
import { z } from 'zod';
import { curvesFromGrids, errorGrids, MIN_VALIDATION_ORIGINS, validationOrigins } from './calibration.js';
import { checkQuantiles, forecastAt, quantileRow } from './harness.js';
import { modelJson, readModelJson } from './model-files.js';
import { gridQuantile } from './snaive/quantile-grid.js';
import type {
  FitOptions,
  FitReport,
  Forecast,
  Forecaster,
  HourlyFrame,
  ModelDescription,
  ModelFactory,
  ModelFiles,
  TrainingData,
} from './types.js';

export const INTERVALS_FILE = 'intervals.json';
/** Forecast hours that share one error distribution. */
export const INTERVAL_BAND_HOURS = 24;

const savedSchema = z
  .object({
    format: z.literal('dcgrid-intervals'),
    version: z.literal(1),
    method: z.literal('validation-origins'),
    /** The levels the model was fitted for (its own files may hold the median only). */
    quantiles: z.array(z.number()),
    bandHours: z.number().int().positive(),
    origins: z.number().int(),
    firstOrigin: z.number(),
    lastOrigin: z.number(),
    /** Percentile grid of the P50 errors (actual - P50) per band. */
    grids: z.array(z.array(z.number())),
  })
  .strict();

type SavedIntervals = z.infer<typeof savedSchema>;

export interface CalibratedOptions {
  /**
   * Fit the model for its median only when the intervals will come from the validation origins
   * (xgb: one booster set per level, so the others would be trained for nothing). Models that learn
   * their levels jointly (tft) keep every level.
   */
  medianOnly?: boolean;
}

const withMedian = (levels: readonly number[]) => checkQuantiles([...levels, 0.5]);

class CalibratedForecaster implements Forecaster {
  readonly name: string;
  readonly #inner: Forecaster;
  readonly #options: CalibratedOptions;
  #intervals: SavedIntervals | null;

  constructor(inner: Forecaster, options: CalibratedOptions, intervals: SavedIntervals | null = null) {
    this.name = inner.name;
    this.#inner = inner;
    this.#options = options;
    this.#intervals = intervals;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const { frame } = data;
    const hours = frame.ts.length;
    const origins = validationOrigins(hours, options.validationHours, options.horizon);
    const calibrate = origins.length >= MIN_VALIDATION_ORIGINS;
    this.#intervals = null;
    const report = await this.#inner.fit(data, {
      ...options,
      quantiles: calibrate && this.#options.medianOnly ? [0.5] : withMedian(options.quantiles),
    });
    if (!calibrate) return report;
    const started = performance.now();
    const { horizon } = options;
    const y = frame.columns[data.target]!;
    const errors = new Float64Array(origins.length * horizon);
    for (const [j, o] of origins.entries()) {
      options.signal?.throwIfAborted();
      const forecast = await forecastAt(this.#inner, frame, frame.ts[o]!, { horizon, quantiles: [0.5] });
      const median = quantileRow(forecast, 0.5);
      for (let h = 0; h < horizon; h++) errors[j * horizon + h] = y[o + h]! - median[h]!;
    }
    const grids = errorGrids(errors, horizon, INTERVAL_BAND_HOURS);
    this.#intervals = {
      format: 'dcgrid-intervals',
      version: 1,
      method: 'validation-origins',
      quantiles: checkQuantiles(options.quantiles),
      bandHours: INTERVAL_BAND_HOURS,
      origins: origins.length,
      firstOrigin: frame.ts[origins[0]!]!,
      lastOrigin: frame.ts[origins[origins.length - 1]!]!,
      grids,
    };
    const metrics: Record<string, number> = {
      ...report.metrics,
      interval_origins: origins.length,
      interval_day_ahead_p10: gridQuantile(grids[0]!, 0.1) - gridQuantile(grids[0]!, 0.5),
      interval_day_ahead_p90: gridQuantile(grids[0]!, 0.9) - gridQuantile(grids[0]!, 0.5),
    };
    return {
      ...report,
      metrics,
      curve: report.curve.map((point, i) =>
        i === report.curve.length - 1 ? { ...point, metrics: { ...point.metrics, ...metrics } } : point,
      ),
      seconds: report.seconds + (performance.now() - started) / 1000,
    };
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    const intervals = this.#intervals;
    if (intervals === null) return this.#inner.forecast(history, options);
    const quantiles = checkQuantiles(options.quantiles ?? intervals.quantiles);
    const forecast = await this.#inner.forecast(history, { horizon: options.horizon, quantiles: [0.5] });
    const median = quantileRow(forecast, 0.5);
    return {
      origin: forecast.origin,
      ts: forecast.ts,
      quantiles,
      values: curvesFromGrids(median, quantiles, intervals.grids, intervals.bandHours),
    };
  }

  async save(): Promise<ModelFiles> {
    const files = await this.#inner.save();
    if (this.#intervals !== null) files[INTERVALS_FILE] = modelJson(this.#intervals);
    return files;
  }

  describe(): ModelDescription {
    const description = this.#inner.describe();
    const intervals = this.#intervals;
    return {
      ...description,
      ...(intervals !== null ? { quantiles: [...intervals.quantiles] } : {}),
      details: {
        ...description.details,
        intervals:
          intervals === null
            ? { method: "the model's own" }
            : {
                method: 'validation origins',
                origins: intervals.origins,
                firstOrigin: new Date(intervals.firstOrigin).toISOString(),
                lastOrigin: new Date(intervals.lastOrigin).toISOString(),
                bandHours: intervals.bandHours,
                p10OffsetPerBand: intervals.grids.map((g) => gridQuantile(g, 0.1) - gridQuantile(g, 0.5)),
                p90OffsetPerBand: intervals.grids.map((g) => gridQuantile(g, 0.9) - gridQuantile(g, 0.5)),
              },
      },
    };
  }

  dispose(): void {
    this.#inner.dispose();
  }
}

/** `factory`'s model with intervals from its validation origins. */
export function withValidationIntervals(
  factory: ModelFactory,
  options: CalibratedOptions = {},
): ModelFactory {
  return {
    name: factory.name,
    create: () => new CalibratedForecaster(factory.create(), options),
    load: async (files: ModelFiles) => {
      const own: ModelFiles = { ...files };
      let intervals: SavedIntervals | null = null;
      if (own[INTERVALS_FILE] !== undefined) {
        intervals = readModelJson(own, INTERVALS_FILE, savedSchema, factory.name);
        delete own[INTERVALS_FILE];
      }
      return new CalibratedForecaster(await factory.load(own), options, intervals);
    },
  };
}

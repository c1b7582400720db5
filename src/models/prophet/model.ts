/**
 * The `prophet` forecaster: Prophet (augurs, Stan optimizer in WebAssembly) with a linear trend,
 * daily and weekly seasonality and the Irish public holidays as one holiday component, fitted on
 * the last `windowHours` (default 8 weeks) of the training frame. Prophet is a curve in time, so a
 * fit made once would carry its trend on for months: forecast() refits the curve on the last
 * `windowHours` of the history it is handed whenever that history runs past the fitted window
 * (conditioning on what is known at the origin, like mstl); an origin inside the training data is
 * refit the same way on the history before it. Quantiles:
 * the median is Prophet's yhat; level q adds the q-quantile of the in-sample residuals (deterministic,
 * unlike Prophet's simulated intervals). See docs/BACKTESTING.md.
 */
import { z } from 'zod';
import { REGIONS } from '../../config/config.js';
import { irishPublicHolidays } from '../../features/calendar.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { DAY_MS, HOUR_MS, irishWallToUtcMs } from '../../lib/time.js';
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
import { prophetRuntime } from './wasm.js';

export const MODEL_FILE = 'model.json';
/** Fewer known hours than this cannot pin down a weekly pattern. */
const MIN_KNOWN_HOURS = 2 * 168;
const HOLIDAY = 'ie_public_holiday';

const paramsSchema = z
  .object({
    /** Hours at the end of the training frame Prophet is fitted on. */
    windowHours: z
      .number()
      .int()
      .min(MIN_KNOWN_HOURS)
      .max(24 * 7 * 104)
      .default(24 * 7 * 8),
    changepointPriorScale: z.number().positive().default(0.05),
    seasonalityPriorScale: z.number().positive().default(10),
    holidaysPriorScale: z.number().positive().default(10),
    seasonalityMode: z.enum(['additive', 'multiplicative']).default('additive'),
    /** Fourier orders of the daily and weekly components. */
    dailyOrder: z.number().int().min(1).max(30).default(6),
    weeklyOrder: z.number().int().min(1).max(30).default(4),
  })
  .strict();

type ProphetParams = z.infer<typeof paramsSchema>;

const savedSchema = z
  .object({
    format: z.literal('dcgrid-prophet'),
    version: z.literal(1),
    target: z.string(),
    region: z.enum(REGIONS),
    horizon: z.number().int().positive(),
    quantiles: z.array(z.number()),
    seed: z.number().int(),
    params: paramsSchema,
    /** Percentiles of the in-sample residuals y - yhat. */
    residuals: z.array(z.number()),
    /** The fitted hours (NaN as null): the model is refit from them on load. */
    window: z.object({ start: z.number(), values: z.array(z.number().nullable()) }).strict(),
    trainedFrom: z.number(),
    trainedTo: z.number(),
  })
  .strict();

type Saved = z.infer<typeof savedSchema>;
type ProphetModel = InstanceType<Awaited<ReturnType<typeof prophetRuntime>>['Prophet']>;

function parseParams(params: Record<string, unknown> | undefined): ProphetParams {
  const parsed = paramsSchema.safeParse(params ?? {});
  if (!parsed.success) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Invalid prophet parameters: ${parsed.error.message}`);
  }
  return parsed.data;
}

const seconds = (ms: number): number => Math.round(ms / 1000);

/** Irish public holidays from `from` to `to` (UTC ms) as local-day occurrences in UTC seconds. */
export function holidayOccurrences(from: number, to: number): Array<{ start: number; end: number }> {
  const occurrences: Array<{ start: number; end: number }> = [];
  for (let year = new Date(from).getUTCFullYear(); year <= new Date(to).getUTCFullYear(); year++) {
    for (const day of [...irishPublicHolidays(year)].sort((a, b) => a - b)) {
      // Local midnight is never in a clock-change hour (those are at 01:00).
      occurrences.push({
        start: seconds(irishWallToUtcMs(day)!),
        end: seconds(irishWallToUtcMs(day + DAY_MS)!),
      });
    }
  }
  return occurrences;
}

interface FittedProphet {
  model: ProphetModel;
  /** yhat at the fitted hours (NaN where y was unknown). */
  inSample: Float64Array;
}

/** Fits Prophet on the known values of an hourly window starting at `start`. */
async function fitProphet(
  values: Float64Array,
  start: number,
  params: ProphetParams,
  seed: number,
  column: string,
): Promise<FittedProphet> {
  const ds: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) {
      ds.push(seconds(start + i * HOUR_MS));
      y.push(values[i]!);
    }
  }
  if (y.length < MIN_KNOWN_HOURS) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `prophet needs at least ${MIN_KNOWN_HOURS} known hours of "${column}" in its window, got ${y.length}.`,
      { column },
    );
  }
  const { Prophet, optimizer } = await prophetRuntime();
  // Holidays through a year past the window, so that any forecast hour finds its holidays.
  const holidays = new Map([
    [HOLIDAY, { occurrences: holidayOccurrences(start, start + values.length * HOUR_MS + 366 * DAY_MS) }],
  ]);
  const model = new Prophet({
    optimizer,
    growth: 'linear',
    changepointPriorScale: params.changepointPriorScale,
    seasonalityPriorScale: params.seasonalityPriorScale,
    holidaysPriorScale: params.holidaysPriorScale,
    seasonalityMode: params.seasonalityMode,
    dailySeasonality: { type: 'fourier', order: params.dailyOrder },
    weeklySeasonality: { type: 'fourier', order: params.weeklyOrder },
    yearlySeasonality: { type: 'manual', enabled: false },
    holidays,
    uncertaintySamples: 0,
  });
  try {
    model.fit({ ds, y }, { seed });
    const fitted = model.predict({ ds }).yhat.point;
    const inSample = new Float64Array(values.length).fill(Number.NaN);
    for (let i = 0; i < ds.length; i++) inSample[(ds[i]! - seconds(start)) / 3600] = fitted[i]!;
    return { model, inSample };
  } catch (error) {
    model.free();
    throw new DcgridError(
      ErrorCodes.MODEL,
      `Prophet fit failed: ${String(error)}`,
      { column },
      { cause: error },
    );
  }
}

export class ProphetForecaster implements Forecaster {
  readonly name = 'prophet';
  #saved: Saved | undefined;
  #model: ProphetModel | undefined;

  static async fromFiles(files: ModelFiles): Promise<ProphetForecaster> {
    const saved = readModelJson(files, MODEL_FILE, savedSchema, 'prophet');
    const values = Float64Array.from(saved.window.values, (v) => v ?? Number.NaN);
    const fitted = await fitProphet(values, saved.window.start, saved.params, saved.seed, saved.target);
    const model = new ProphetForecaster();
    model.#saved = saved;
    model.#model = fitted.model;
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    checkHorizon(options.horizon);
    const quantiles = checkQuantiles(options.quantiles);
    const params = parseParams(options.params);
    const { frame, target } = data;
    checkHourlyFrame(frame, [target], 'training frame');
    options.signal?.throwIfAborted();
    const y = frame.columns[target]!;
    const hours = y.length;
    const windowStart = Math.max(0, hours - params.windowHours);
    const values = y.slice(windowStart, hours);
    const fitted = await fitProphet(values, frame.ts[windowStart]!, params, options.seed, target);
    const residuals: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const r = values[i]! - fitted.inSample[i]!;
      if (Number.isFinite(r)) residuals.push(r);
    }
    this.#release();
    this.#model = fitted.model;
    const grid = percentileGrid(residuals);
    this.#saved = {
      format: 'dcgrid-prophet',
      version: 1,
      target,
      region: data.region,
      horizon: options.horizon,
      quantiles,
      seed: options.seed,
      params,
      residuals: grid,
      window: {
        start: frame.ts[windowStart]!,
        values: Array.from(values, (v) => (Number.isFinite(v) ? v : null)),
      },
      trainedFrom: frame.ts[0]!,
      trainedTo: frame.ts[hours - 1]!,
    };
    const metrics = {
      in_sample_mae: residuals.reduce((sum, r) => sum + Math.abs(r), 0) / residuals.length,
      residual_p10: gridQuantile(grid, 0.1),
      residual_p90: gridQuantile(grid, 0.9),
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

  #require(): { saved: Saved; model: ProphetModel } {
    if (this.#saved === undefined || this.#model === undefined) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        'The prophet model is not fitted (or was disposed); call fit() or load it.',
      );
    }
    return { saved: this.#saved, model: this.#model };
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    const { saved, model } = this.#require();
    checkHorizon(options.horizon, saved.horizon);
    const quantiles = checkQuantiles(options.quantiles ?? saved.quantiles);
    checkHourlyFrame(history, [saved.target], 'history');
    const n = history.ts.length;
    if (n === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
    const origin = history.ts[n - 1]! + HOUR_MS;
    const ts = Float64Array.from({ length: options.horizon }, (_, h) => origin + h * HOUR_MS);
    // History that does not end where the fit did: the curve is refit on the latest window before
    // the origin. An origin inside the training data (validation origins, calibrated.ts) also takes
    // its quantile offsets from that refit's residuals, so nothing at or after it is used.
    const earlier = origin <= saved.trainedTo;
    const known = history.columns[saved.target]!;
    const windowStart = Math.max(0, n - saved.params.windowHours);
    const refit =
      history.ts[n - 1]! !== saved.trainedTo
        ? await fitProphet(
            known.slice(windowStart),
            history.ts[windowStart]!,
            saved.params,
            saved.seed,
            saved.target,
          )
        : undefined;
    const residuals =
      earlier && refit !== undefined
        ? percentileGrid(Array.from(refit.inSample, (fitted, i) => known[windowStart + i]! - fitted))
        : saved.residuals;
    let yhat: number[];
    try {
      yhat = (refit?.model ?? model).predict({ ds: Array.from(ts, seconds) }).yhat.point;
    } catch (error) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        `Prophet prediction failed: ${String(error)}`,
        {},
        { cause: error },
      );
    } finally {
      refit?.model.free();
    }
    const values = quantiles.map((q) => {
      const offset = q === 0.5 ? 0 : gridQuantile(residuals, q);
      return Float64Array.from(yhat, (point) => {
        const value = point + offset;
        return q < 0.5 ? Math.min(value, point) : Math.max(value, point);
      });
    });
    return { origin, ts, quantiles, values };
  }

  async save(): Promise<ModelFiles> {
    return { [MODEL_FILE]: modelJson(this.#require().saved) };
  }

  describe(): ModelDescription {
    const { saved } = this.#require();
    return {
      model: this.name,
      target: saved.target,
      region: saved.region,
      horizon: saved.horizon,
      contextLength: saved.params.windowHours,
      quantiles: saved.quantiles,
      features: [saved.target, 'daily', 'weekly', HOLIDAY],
      params: { ...saved.params },
      trainedFrom: saved.trainedFrom,
      trainedTo: saved.trainedTo,
      details: {
        residualP10: gridQuantile(saved.residuals, 0.1),
        residualP90: gridQuantile(saved.residuals, 0.9),
      },
    };
  }

  #release(): void {
    this.#model?.free();
    this.#model = undefined;
  }

  dispose(): void {
    this.#release();
    this.#saved = undefined;
  }
}

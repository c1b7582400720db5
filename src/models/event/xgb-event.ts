/**
 * `xgbevent`: the stress-event classifier. One XGBoost booster with the `binary:logistic`
 * objective (through the native wrapper src/models/xgb/native) covers every horizon 1..H, the
 * horizon being a feature, like `xgb`. Its rows are (origin, horizon) pairs drawn from the
 * history, with the feature rows of `xgb` (src/models/xgb/features.ts: calendar of the target hour,
 * the event rate and lags before the origin, and the last value and 24-h mean of past columns such
 * as the stress score) and the 0/1 event of the target hour as label; the booster minimises the
 * log loss, so its probabilities are calibrated as fitted (checked by the backtest's reliability
 * table); a recalibration on the validation window is optional. Everything read
 * lies before the origin. Design and measured skill: docs/XGBOOST.md ("Stress-event classifier").
 */
import { z } from 'zod';
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { checkHourlyFrame } from '../harness.js';
import { FeatureBuilder, LOOKBACK_HOURS, featureNames, type FeatureSpec } from '../xgb/features.js';
import { Booster, DMatrix, train, xgbLibrary } from '../xgb/native/index.js';
import { defaultThreadCount } from '../xgb/native/library.js';
import { selectPairs, seededRandom, type Pairs } from '../xgb/samples.js';
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
import { checkEventTarget, checkHorizon, decodeJson, encodeJson, eventForecast } from './shared.js';

export const XGB_EVENT = 'xgbevent';
const CONFIG_FILE = 'xgbevent.json';
const BOOSTER_UBJ = 'booster.ubj';
const BOOSTER_JSON = 'booster.json';
const FORMAT = 'dcgrid-xgbevent-1';
/** Origins need a week of history: the event rate and the weekly lags are read from it. */
const FIRST_ORIGIN = 168;
const MIN_TRAINING_ROWS = 200;
const PROGRESS_EVERY_ROUNDS = 10;

/**
 * The columns read before each origin by default: the score, the components behind the labels
 * (scaled against their own references, so a new SNSP limit or price level does not move them
 * outside what the model has seen) and the three labels.
 */
export const XGB_EVENT_PAST_COLUMNS = [
  'stress_score',
  'stress_net_load',
  'stress_price',
  'stress_snsp',
  'event_tight',
  'event_snsp',
  'event_price_spike',
] as const;

export const xgbEventParamsSchema = z
  .object({
    rounds: z.number().int().min(1).max(10_000).default(400),
    learningRate: z.number().gt(0).max(1).default(0.05),
    maxDepth: z.number().int().min(1).max(16).default(5),
    minChildWeight: z.number().min(0).default(5),
    subsample: z.number().gt(0).max(1).default(0.8),
    colsampleBytree: z.number().gt(0).max(1).default(0.9),
    lambda: z.number().min(0).default(1),
    maxBin: z.number().int().min(2).max(1024).default(256),
    /** Stop when the validation log loss has not improved for this many rounds. */
    earlyStoppingRounds: z.number().int().min(1).default(30),
    maxTrainingRows: z.number().int().min(100).default(60_000),
    maxValidationRows: z.number().int().min(10).default(20_000),
    nthread: z.number().int().min(1).optional(),
    /**
     * Recalibration on the validation window: 'intercept' shifts the log-odds so the mean
     * probability matches the window's event rate, 'platt' also fits their slope, 'none' keeps the
     * booster's probabilities (the log loss it minimises is a proper score). Both recalibrations
     * made the Brier score worse on the real data (docs/XGBOOST.md), hence the default.
     */
    calibration: z.enum(['intercept', 'platt', 'none']).default('none'),
    yearLag: z.boolean().default(true),
    pastColumns: z.array(z.string().min(1)).default([...XGB_EVENT_PAST_COLUMNS]),
    xgboost: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();
export type XgbEventParams = z.infer<typeof xgbEventParamsSchema> & { nthread: number };

export function parseXgbEventParams(input: Record<string, unknown> | undefined): XgbEventParams {
  const parsed = xgbEventParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`)
      .join('; ');
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Invalid ${XGB_EVENT} parameters: ${issues}`);
  }
  return { ...parsed.data, nthread: parsed.data.nthread ?? defaultThreadCount() };
}

interface Config {
  format: typeof FORMAT;
  target: string;
  region: string;
  horizon: number;
  pastColumns: string[];
  yearLag: boolean;
  features: string[];
  bestIteration: number;
  /** Calibrated p = sigmoid(a * logit(raw) + b); a = 1 unless 'platt', b = 0 without calibration. */
  platt: { a: number; b: number };
  trainingRate: number;
  params: Record<string, unknown>;
  trainedFrom: number;
  trainedTo: number;
  xgboostVersion: string;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * Platt scaling: a, b minimising the log loss of sigmoid(a z + b) against the labels, by Newton's
 * method on the two parameters (a = 1, b = 0 when the fit does not settle).
 */
export function fitPlatt(
  z: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { slope?: boolean } = {},
): { a: number; b: number } {
  const slope = options.slope ?? true;
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 50; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i]! + b);
      const r = p - y[i]!;
      const w = p * (1 - p);
      ga += r * z[i]!;
      gb += r;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (slope && !(Math.abs(det) > 1e-12)) break;
    const da = slope ? (hbb * ga - hab * gb) / det : 0;
    const db = slope ? (haa * gb - hab * ga) / det : gb / hbb;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-8 && Math.abs(db) < 1e-8) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 ? { a, b } : { a: 1, b: 0 };
}

interface Rows {
  matrix: DMatrix;
  labels: Float32Array;
}

function prepareRows(builder: FeatureBuilder, y: Float64Array, pairs: Pairs): Rows {
  const labels = Float32Array.from(pairs.origins, (origin, r) => y[origin + pairs.horizons[r]! - 1]!);
  const matrix = DMatrix.fromDense(
    builder.matrix(pairs.origins, pairs.horizons),
    labels.length,
    builder.width,
    {
      labels,
      featureNames: builder.names,
    },
  );
  return { matrix, labels };
}

export class XgbEventForecaster implements Forecaster {
  readonly name = XGB_EVENT;
  #config: Config | undefined;
  #booster: Booster | undefined;

  static fromFiles(files: ModelFiles): XgbEventForecaster {
    const config = decodeJson<Config>(files, CONFIG_FILE, XGB_EVENT, FORMAT);
    const bytes = files[BOOSTER_UBJ] ?? files[BOOSTER_JSON];
    if (bytes === undefined)
      throw new DcgridError(ErrorCodes.MODEL, `The ${XGB_EVENT} files have no booster.`);
    const model = new XgbEventForecaster();
    model.#booster = Booster.load(bytes);
    model.#config = config;
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    const params = parseXgbEventParams(options.params);
    checkHorizon(options.horizon);
    const { frame, target } = data;
    const y = checkEventTarget(frame, target, this.name);
    checkHourlyFrame(frame, params.pastColumns, 'training frame');
    const hours = frame.ts.length;
    if (!Number.isInteger(options.validationHours) || options.validationHours < 0) {
      throw new DcgridError(ErrorCodes.CONFIG_INVALID, 'validationHours must be a whole number >= 0.');
    }
    const validationStart = hours - options.validationHours;
    const needed = FIRST_ORIGIN + options.horizon + 168;
    if (validationStart < needed) {
      throw new DcgridError(
        ErrorCodes.TRAINING_DATA,
        `Too little history: ${Math.max(0, validationStart)} hours before the validation window; ` +
          `${this.name} needs at least ${needed}.`,
        { column: target },
      );
    }
    const spec: FeatureSpec = { target, pastColumns: params.pastColumns, yearLag: params.yearLag, scale: 1 };
    const builder = new FeatureBuilder(frame, spec);
    const usable = (origin: number, h: number) => !Number.isNaN(y[origin + h - 1]!);
    const window = { firstOrigin: FIRST_ORIGIN, horizon: options.horizon };
    const random = seededRandom(options.seed);
    const trainPairs = selectPairs(
      { ...window, targetFrom: 0, targetTo: validationStart },
      params.maxTrainingRows,
      random,
      usable,
    );
    if (trainPairs.origins.length < MIN_TRAINING_ROWS) {
      throw new DcgridError(
        ErrorCodes.TRAINING_DATA,
        `Only ${trainPairs.origins.length} training rows with a known ${target}; at least ${MIN_TRAINING_ROWS} are needed.`,
        { column: target },
      );
    }
    const validPairs =
      options.validationHours > 0
        ? selectPairs(
            { ...window, targetFrom: validationStart, targetTo: hours },
            params.maxValidationRows,
            random,
            usable,
          )
        : undefined;
    const trainRows = prepareRows(builder, y, trainPairs);
    const validRows =
      validPairs !== undefined && validPairs.origins.length > 0
        ? prepareRows(builder, y, validPairs)
        : undefined;
    let rate = 0;
    for (const label of trainRows.labels) rate += label;
    rate /= trainRows.labels.length;
    const curve: FitReport['curve'] = [];
    let booster: Booster | undefined;
    try {
      const result = await train({
        params: {
          objective: 'binary:logistic',
          eval_metric: 'logloss',
          tree_method: 'hist',
          max_depth: params.maxDepth,
          eta: params.learningRate,
          min_child_weight: params.minChildWeight,
          subsample: params.subsample,
          colsample_bytree: params.colsampleBytree,
          lambda: params.lambda,
          max_bin: params.maxBin,
          nthread: params.nthread,
          seed: options.seed,
          base_score: Math.min(0.99, Math.max(0.01, rate)),
          ...params.xgboost,
        },
        train: trainRows.matrix,
        rounds: params.rounds,
        evals: validRows !== undefined ? [{ name: 'valid', data: validRows.matrix }] : [],
        earlyStoppingRounds: validRows !== undefined ? params.earlyStoppingRounds : undefined,
        signal: options.signal,
        onRound: (round, metrics) => {
          const loss = metrics['valid-logloss'];
          curve.push({ step: round + 1, metrics: loss !== undefined ? { valid_logloss: loss } : {} });
          if ((round + 1) % PROGRESS_EVERY_ROUNDS === 0 && round + 1 < params.rounds) {
            options.onProgress?.({
              step: round + 1,
              totalSteps: params.rounds,
              metrics: { round: round + 1, ...(loss !== undefined ? { valid_logloss: loss } : {}) },
            });
          }
        },
      });
      booster = result.booster;
      options.onProgress?.({
        step: params.rounds,
        totalSteps: params.rounds,
        metrics: { round: result.history.length },
      });
      const metrics: Record<string, number> = {
        rounds: result.history.length,
        best_round: result.bestIteration + 1,
        training_rows: trainRows.labels.length,
        training_event_rate: rate,
      };
      let platt = { a: 1, b: 0 };
      if (validRows !== undefined) {
        const raw = booster.predict(validRows.matrix, {
          iterationRange: [0, result.bestIteration + 1],
        }).values;
        const z = Float64Array.from(raw, logit);
        if (params.calibration !== 'none') {
          platt = fitPlatt(z, validRows.labels, { slope: params.calibration === 'platt' });
        }
        let brier = 0;
        let calibrated = 0;
        for (let i = 0; i < raw.length; i++) {
          brier += (raw[i]! - validRows.labels[i]!) ** 2;
          calibrated += (sigmoid(platt.a * z[i]! + platt.b) - validRows.labels[i]!) ** 2;
        }
        metrics.valid_brier = brier / raw.length;
        metrics.valid_brier_calibrated = calibrated / raw.length;
        metrics.validation_rows = raw.length;
      }
      this.dispose();
      this.#booster = booster;
      this.#config = {
        format: FORMAT,
        target,
        region: data.region,
        horizon: options.horizon,
        pastColumns: [...params.pastColumns],
        yearLag: params.yearLag,
        features: featureNames(spec),
        bestIteration: result.bestIteration,
        platt,
        trainingRate: rate,
        params: { ...params, nthread: undefined },
        trainedFrom: frame.ts[0]!,
        trainedTo: frame.ts[hours - 1]!,
        xgboostVersion: xgbLibrary().version,
      };
      return {
        steps: result.history.length,
        bestStep: result.bestIteration + 1,
        metrics,
        curve,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (error) {
      booster?.dispose();
      throw error;
    } finally {
      trainRows.matrix.dispose();
      validRows?.matrix.dispose();
    }
  }

  #require(): { config: Config; booster: Booster } {
    if (this.#config === undefined || this.#booster === undefined) {
      throw new DcgridError(ErrorCodes.MODEL, `The ${this.name} model is not fitted (or was disposed).`);
    }
    return { config: this.#config, booster: this.#booster };
  }

  /** Calibrated P(event) of each hour 1..horizon after the history. */
  probabilities(history: HourlyFrame, horizon: number): Float64Array {
    const { config, booster } = this.#require();
    checkHorizon(horizon, config.horizon);
    checkHourlyFrame(history, [config.target, ...config.pastColumns], 'history');
    const hours = history.ts.length;
    if (hours === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
    const builder = new FeatureBuilder(
      history,
      { target: config.target, pastColumns: config.pastColumns, yearLag: config.yearLag, scale: 1 },
      horizon,
    );
    const origins = new Int32Array(horizon).fill(hours);
    const horizons = Int32Array.from({ length: horizon }, (_, i) => i + 1);
    const matrix = DMatrix.fromDense(builder.matrix(origins, horizons), horizon, builder.width, {
      featureNames: builder.names,
    });
    try {
      const raw = booster.predict(matrix, { iterationRange: [0, config.bestIteration + 1] }).values;
      const { a, b } = config.platt;
      return Float64Array.from(raw, (p) => sigmoid(a * logit(p) + b));
    } finally {
      matrix.dispose();
    }
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    return eventForecast(history, this.probabilities(history, options.horizon), options.quantiles);
  }

  async save(): Promise<ModelFiles> {
    const { config, booster } = this.#require();
    return {
      [CONFIG_FILE]: encodeJson(config),
      [BOOSTER_UBJ]: booster.save('ubj'),
      [BOOSTER_JSON]: booster.save('json'),
    };
  }

  describe(): ModelDescription {
    const { config, booster } = this.#require();
    return {
      model: this.name,
      target: config.target,
      region: config.region as Region,
      horizon: config.horizon,
      contextLength: LOOKBACK_HOURS,
      quantiles: [0.1, 0.5, 0.9],
      features: [...config.features],
      params: { ...config.params, pastColumns: config.pastColumns },
      trainedFrom: config.trainedFrom,
      trainedTo: config.trainedTo,
      details: {
        kind: 'event probability (binary:logistic)',
        calibration: config.platt,
        bestIteration: config.bestIteration,
        trainingEventRate: config.trainingRate,
        gainImportance: booster.featureScore('gain'),
        xgboostVersion: config.xgboostVersion,
      },
    };
  }

  dispose(): void {
    this.#booster?.dispose();
    this.#booster = undefined;
    this.#config = undefined;
  }
}

/**
 * The `xgb` forecaster: one gradient-boosted model per quantile level, each covering every horizon
 * 1..H (the horizon is a feature), trained with the pinball loss on (origin, horizon) pairs drawn
 * from the history. See docs/XGBOOST.md for the design and its reasons.
 */
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
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
import { FeatureBuilder, LOOKBACK_HOURS, featureNames, type FeatureSpec } from './features.js';
import { Booster, DMatrix, train, xgbLibrary } from './native/index.js';
import { boosterParams, parseXgbParams, type XgbParams } from './params.js';
import {
  CONFIG_FILE,
  boosterFileNames,
  decodeConfig,
  encodeConfig,
  quantileLabel,
  type SavedBooster,
  type SavedConfig,
} from './persist.js';
import { pinballLoss, pinballMetric, pinballObjective } from './pinball.js';
import { atLevels, empiricalQuantile, uncross } from '../quantiles.js';
import { fitShifts, shiftFor, type CalibrationMode } from '../calibration.js';
import { selectPairs, seededRandom, type Pairs } from './samples.js';

/** Origins need a week of history: the level and the weekly lags are read from it. */
const FIRST_ORIGIN = 168;
/** Fewer usable training rows than this cannot fit anything meaningful. */
const MIN_TRAINING_ROWS = 200;
const PROGRESS_EVERY_ROUNDS = 10;

type ModelConfig = Omit<SavedConfig, 'format' | 'version'>;

/** Per-feature SHAP contributions to one quantile forecast, in target units. */
export interface ForecastExplanation {
  origin: number;
  ts: Float64Array;
  quantile: number;
  features: string[];
  /** Level plus the model's bias: the forecast before any feature contributes. */
  baseline: Float64Array;
  /** contributions[feature][h]: what that feature adds to hour h + 1. */
  contributions: Record<string, Float64Array>;
  /** The validation-window calibration shift of each hour (zero when not calibrated). */
  calibration: Float64Array;
  /** baseline + calibration + all contributions: this quantile's forecast before uncrossing. */
  values: Float64Array;
}

interface Fitted {
  config: ModelConfig;
  boosters: Booster[];
}

interface PreparedRows {
  matrix: DMatrix;
  labels: Float32Array;
}

function checkFrame(frame: HourlyFrame, columns: readonly string[], role: string): void {
  const hours = frame.ts.length;
  for (const column of columns) {
    const values = frame.columns[column];
    if (values === undefined) {
      throw new DcgridError(
        role === 'training' ? ErrorCodes.TRAINING_DATA : ErrorCodes.VALUE_INVALID,
        `The ${role} frame has no column "${column}".`,
        { column },
      );
    }
    if (values.length !== hours) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `Column has ${values.length} values for ${hours} hours.`,
        {
          column,
        },
      );
    }
  }
  for (let i = 1; i < hours; i++) {
    if (frame.ts[i]! - frame.ts[i - 1]! !== HOUR_MS) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `The ${role} frame is not a contiguous hourly grid at row ${i + 1} (${new Date(frame.ts[i]!).toISOString()}).`,
        { row: i + 1 },
      );
    }
  }
}

function checkQuantiles(quantiles: readonly number[]): number[] {
  const sorted = [...new Set(quantiles)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((q) => !(q > 0 && q < 1))) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `Quantiles must be levels in (0, 1), got [${quantiles.join(', ')}].`,
    );
  }
  return sorted;
}

function checkHorizon(horizon: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > max) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Horizon must be a whole number of hours from 1 to ${max}, got ${horizon}.`,
    );
  }
}

/** Standard deviation of the finite values in [0, end); the target's unit of scale. */
function targetScale(values: Float64Array, end: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < end; i++) {
    if (!Number.isNaN(values[i]!)) {
      sum += values[i]!;
      count++;
    }
  }
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < end; i++) if (!Number.isNaN(values[i]!)) squares += (values[i]! - mean) ** 2;
  const std = Math.sqrt(squares / Math.max(1, count - 1));
  return std > 0 && Number.isFinite(std) ? std : Math.max(Math.abs(mean), 1);
}

/** Thread count is a property of the machine, not of the model: it is not saved. */
function withoutThreads(params: XgbParams): Record<string, unknown> {
  const { nthread: _nthread, ...rest } = params;
  return rest;
}

function prepareRows(
  builder: FeatureBuilder,
  target: Float64Array,
  pairs: Pairs,
  scale: number,
): PreparedRows {
  const labels = new Float32Array(pairs.origins.length);
  for (let r = 0; r < labels.length; r++) {
    const origin = pairs.origins[r]!;
    labels[r] = (target[origin + pairs.horizons[r]! - 1]! - builder.level(origin)) / scale;
  }
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

/** The distinct quantile levels of the boosters, ascending. */
function quantileLevels(entries: readonly SavedBooster[]): number[] {
  return [...new Set(entries.map((entry) => entry.quantile))].sort((a, b) => a - b);
}

const boosterLabel = (entry: SavedBooster) =>
  quantileLabel(entry.quantile) + (entry.member > 0 ? `_s${entry.member}` : '');

/** Per level, the mean of the predictions of its boosters (one per seed). */
function averagedPredictions(
  levels: readonly number[],
  entries: readonly SavedBooster[],
  predict: (entry: number) => ArrayLike<number>,
): Float64Array[] {
  const sums: Float64Array[] = [];
  const counts = levels.map(() => 0);
  for (const [i, entry] of entries.entries()) {
    const q = levels.indexOf(entry.quantile);
    const values = predict(i);
    sums[q] ??= new Float64Array(values.length);
    for (let r = 0; r < values.length; r++) sums[q][r]! += values[r]!;
    counts[q]!++;
  }
  return sums.map((sum, q) => sum.map((v) => v / counts[q]!));
}

export class XgbForecaster implements Forecaster {
  readonly name = 'xgb';
  #fitted: Fitted | undefined;

  /** Restores a forecaster from the files save() wrote. */
  static fromFiles(files: ModelFiles): XgbForecaster {
    const config = decodeConfig(files);
    const boosters: Booster[] = [];
    try {
      for (const entry of config.boosters)
        boosters.push(Booster.load((files[entry.ubj] ?? files[entry.json])!));
    } catch (error) {
      for (const booster of boosters) booster.dispose();
      throw error;
    }
    const model = new XgbForecaster();
    model.#fitted = { config, boosters };
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    const params = parseXgbParams(options.params);
    const quantiles = checkQuantiles(options.quantiles);
    checkHorizon(options.horizon);
    const { frame, target } = data;
    checkFrame(frame, [target, ...params.pastColumns], 'training');
    const y = frame.columns[target]!;
    const hours = frame.ts.length;
    if (!y.some((v) => !Number.isNaN(v))) {
      throw new DcgridError(ErrorCodes.TRAINING_DATA, `Target "${target}" has no values to learn from.`, {
        column: target,
      });
    }
    if (!Number.isInteger(options.validationHours) || options.validationHours < 0) {
      throw new DcgridError(ErrorCodes.CONFIG_INVALID, `validationHours must be a whole number >= 0.`);
    }
    const validationStart = hours - options.validationHours;
    const needed = FIRST_ORIGIN + options.horizon + 168;
    if (validationStart < needed) {
      throw new DcgridError(
        ErrorCodes.TRAINING_DATA,
        `Too little history: ${Math.max(0, validationStart)} hours before the validation window; ` +
          `the xgb model needs at least ${needed} (one week of lags, the horizon of ${options.horizon} h and ` +
          `one week of origins).`,
        { column: target },
      );
    }
    const spec: FeatureSpec = {
      target,
      pastColumns: params.pastColumns,
      yearLag: params.yearLag,
      scale: targetScale(y, validationStart),
    };
    const builder = new FeatureBuilder(frame, spec);
    const random = seededRandom(options.seed);
    const usable = (origin: number, h: number): boolean =>
      !Number.isNaN(y[origin + h - 1]!) && !Number.isNaN(builder.level(origin));
    const window = { firstOrigin: FIRST_ORIGIN, horizon: options.horizon };
    const trainPairs = selectPairs(
      { ...window, targetFrom: 0, targetTo: validationStart },
      params.maxTrainingRows,
      random,
      usable,
    );
    if (trainPairs.origins.length < MIN_TRAINING_ROWS) {
      throw new DcgridError(
        ErrorCodes.TRAINING_DATA,
        `Only ${trainPairs.origins.length} usable training rows (known target and a known level in the week before ` +
          `the origin); at least ${MIN_TRAINING_ROWS} are needed.`,
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

    // One draw of training rows per seed; the first is the draw above.
    const memberPairs = [trainPairs];
    for (let k = 1; k < params.seeds; k++) {
      memberPairs.push(
        selectPairs(
          { ...window, targetFrom: 0, targetTo: validationStart },
          params.maxTrainingRows,
          seededRandom(options.seed + k),
          usable,
        ),
      );
    }
    const memberRows: PreparedRows[] = [];
    const validRows =
      validPairs !== undefined && validPairs.origins.length > 0
        ? prepareRows(builder, y, validPairs, spec.scale)
        : undefined;
    const boosters: Booster[] = [];
    const entries: SavedBooster[] = [];
    const curve: FitReport['curve'] = [];
    const metrics: Record<string, number> = {};
    let completedRounds = 0;
    const report = (step: number, quantile: number, round: number, loss: number | undefined): void =>
      options.onProgress?.({
        step,
        totalSteps: quantiles.length * params.seeds * params.rounds,
        metrics: {
          quantile,
          round,
          ...(loss !== undefined && !Number.isNaN(loss) ? { valid_pinball: loss } : {}),
        },
      });
    try {
      for (const pairs of memberPairs) memberRows.push(prepareRows(builder, y, pairs, spec.scale));
      for (const [index, quantile] of quantiles.entries()) {
        const label = quantileLabel(quantile);
        for (const [member, rows] of memberRows.entries()) {
          const done = (index * params.seeds + member) * params.rounds;
          const result = await train({
            params: boosterParams(params, options.seed + member, empiricalQuantile(rows.labels, quantile)),
            train: rows.matrix,
            rounds: params.rounds,
            evals: validRows !== undefined ? [{ name: 'valid', data: validRows.matrix }] : [],
            objective: pinballObjective(quantile),
            metric: pinballMetric(quantile),
            earlyStoppingRounds: validRows !== undefined ? params.earlyStoppingRounds : undefined,
            signal: options.signal,
            onRound: (round, roundMetrics) => {
              const loss = roundMetrics['valid-pinball'];
              if (member === 0) {
                const entry = (curve[round] ??= { step: round + 1, metrics: {} });
                if (loss !== undefined) entry.metrics[`valid_pinball_${label}`] = loss;
              }
              if ((round + 1) % PROGRESS_EVERY_ROUNDS === 0 && round + 1 < params.rounds) {
                report(done + round + 1, quantile, round + 1, loss);
              }
            },
          });
          // A finished booster (early stopped or not) completes its share of the steps.
          report(done + params.rounds, quantile, result.history.length, result.bestScore);
          boosters.push(result.booster);
          completedRounds += result.history.length;
          entries.push({
            quantile,
            member,
            ...boosterFileNames(quantile, member),
            bestIteration: result.bestIteration,
            shifts: [],
          });
          const suffix = member > 0 ? `_s${member}` : '';
          metrics[`rounds_${label}${suffix}`] = result.history.length;
          metrics[`best_round_${label}${suffix}`] = result.bestIteration + 1;
        }
      }
      if (validRows !== undefined && validPairs !== undefined) {
        const validation = this.#validate(
          boosters,
          entries,
          validRows,
          validPairs.horizons,
          options.horizon,
          spec.scale,
          params.calibration,
        );
        Object.assign(metrics, validation);
      }
    } catch (error) {
      for (const booster of boosters) booster.dispose();
      throw error;
    } finally {
      for (const rows of memberRows) rows.matrix.dispose();
      validRows?.matrix.dispose();
    }

    this.#release();
    this.#fitted = {
      boosters,
      config: {
        target,
        region: data.region,
        horizon: options.horizon,
        lookbackHours: LOOKBACK_HOURS,
        scale: spec.scale,
        pastColumns: [...params.pastColumns],
        yearLag: spec.yearLag,
        features: featureNames(spec),
        boosters: entries,
        params: {
          ...withoutThreads(params),
          trainingRows: memberPairs.reduce((sum, pairs) => sum + pairs.origins.length, 0),
          validationRows: validPairs?.origins.length ?? 0,
        },
        trainedFrom: frame.ts[0]!,
        trainedTo: frame.ts[hours - 1]!,
        xgboostVersion: xgbLibrary().version,
      },
    };
    const median = entries.reduce((best, e) =>
      Math.abs(e.quantile - 0.5) < Math.abs(best.quantile - 0.5) ? e : best,
    );
    return {
      steps: completedRounds,
      bestStep: median.bestIteration + 1,
      metrics,
      curve,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /**
   * Validation predictions of each booster; when calibrating, the per-block shifts are fitted on
   * them and stored in `entries`. Metrics describe the boosters before calibration (the rows were
   * not used to fit the trees, only to stop boosting), i.e. honest out-of-sample figures.
   */
  #validate(
    boosters: Booster[],
    entries: SavedBooster[],
    rows: PreparedRows,
    horizons: Int32Array,
    horizon: number,
    scale: number,
    calibration: CalibrationMode,
  ): Record<string, number> {
    const levels = quantileLevels(entries);
    const predictions = averagedPredictions(
      levels,
      entries,
      (i) => boosters[i]!.predict(rows.matrix, { iterationRange: [0, entries[i]!.bestIteration + 1] }).values,
    );
    const shifts = fitShifts(calibration, levels, predictions, rows.labels, horizons, horizon);
    for (const entry of entries) entry.shifts = shifts[levels.indexOf(entry.quantile)]!;
    // uncross works per hour across levels; here an "hour" is a validation row.
    uncross(predictions);
    const metrics: Record<string, number> = {};
    let total = 0;
    for (const [i, quantile] of levels.entries()) {
      const label = quantileLabel(quantile);
      const loss = pinballLoss(predictions[i]!, rows.labels, quantile) * scale;
      total += loss;
      let below = 0;
      for (let r = 0; r < rows.labels.length; r++) if (rows.labels[r]! <= predictions[i]![r]!) below++;
      metrics[`valid_pinball_${label}`] = loss;
      metrics[`valid_coverage_${label}`] = below / rows.labels.length;
    }
    metrics.valid_mean_pinball = total / levels.length;
    return metrics;
  }

  #require(): Fitted {
    if (this.#fitted === undefined) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        'The xgb model is not fitted (or was disposed); call fit() or load it.',
      );
    }
    return this.#fitted;
  }

  /** Features of every forecast hour, and the level they are relative to. */
  #forecastRows(history: HourlyFrame, horizon: number): { matrix: DMatrix; level: number; origin: number } {
    const { config } = this.#require();
    checkHorizon(horizon, config.horizon);
    checkFrame(history, [config.target, ...config.pastColumns], 'history');
    const hours = history.ts.length;
    if (hours === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
    const builder = new FeatureBuilder(history, config, horizon);
    const level = builder.level(hours);
    if (Number.isNaN(level)) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `The history has no value of "${config.target}" in the 168 hours before the origin.`,
        { column: config.target },
      );
    }
    const origins = new Int32Array(horizon).fill(hours);
    const horizons = Int32Array.from({ length: horizon }, (_, i) => i + 1);
    const matrix = DMatrix.fromDense(builder.matrix(origins, horizons), horizon, builder.width, {
      featureNames: builder.names,
    });
    return { matrix, level, origin: history.ts[hours - 1]! + HOUR_MS };
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    const { config, boosters } = this.#require();
    const { matrix, level, origin } = this.#forecastRows(history, options.horizon);
    const trained = quantileLevels(config.boosters);
    let curves: Float64Array[];
    try {
      curves = averagedPredictions(
        trained,
        config.boosters,
        (i) =>
          boosters[i]!.predict(matrix, { iterationRange: [0, config.boosters[i]!.bestIteration + 1] }).values,
      ).map((raw, q) => {
        const { shifts } = config.boosters.find((entry) => entry.quantile === trained[q])!;
        return Float64Array.from(raw, (v, h) => level + config.scale * (v + shiftFor(shifts, h + 1)));
      });
    } finally {
      matrix.dispose();
    }
    uncross(curves);
    const quantiles = options.quantiles !== undefined ? [...options.quantiles] : trained;
    return {
      origin,
      ts: Float64Array.from({ length: options.horizon }, (_, i) => origin + i * HOUR_MS),
      quantiles,
      values: atLevels(trained, curves, quantiles),
    };
  }

  /** TreeSHAP contributions of each feature to one trained quantile's forecast. */
  explain(history: HourlyFrame, options: { horizon: number; quantile?: number }): ForecastExplanation {
    const { config, boosters } = this.#require();
    const quantile = options.quantile ?? 0.5;
    const members = config.boosters.flatMap((entry, i) => (entry.quantile === quantile ? [i] : []));
    const index = members[0] ?? -1;
    if (index < 0) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `No booster for quantile ${quantile}; trained: ${config.boosters.map((e) => e.quantile).join(', ')}.`,
      );
    }
    const { matrix, level, origin } = this.#forecastRows(history, options.horizon);
    // The boosters of this quantile are averaged, and so are their (additive) contributions.
    let contributions: Float64Array | undefined;
    try {
      for (const i of members) {
        const values = boosters[i]!.predict(matrix, {
          kind: 'contributions',
          iterationRange: [0, config.boosters[i]!.bestIteration + 1],
        }).values;
        contributions ??= new Float64Array(values.length);
        for (let j = 0; j < values.length; j++) contributions[j]! += values[j]! / members.length;
      }
    } finally {
      matrix.dispose();
    }
    if (contributions === undefined) throw new DcgridError(ErrorCodes.MODEL, 'No booster to explain.');
    const width = config.features.length + 1;
    const hours = options.horizon;
    const perFeature = config.features.map((_, f) =>
      Float64Array.from({ length: hours }, (_, h) => config.scale * contributions[h * width + f]!),
    );
    const { shifts } = config.boosters[index]!;
    const baseline = Float64Array.from(
      { length: hours },
      (_, h) => level + config.scale * contributions[h * width + width - 1]!,
    );
    const calibration = Float64Array.from(
      { length: hours },
      (_, h) => config.scale * shiftFor(shifts, h + 1),
    );
    const values = baseline.map((base, h) =>
      perFeature.reduce((sum, feature) => sum + feature[h]!, base + calibration[h]!),
    );
    return {
      origin,
      ts: Float64Array.from({ length: hours }, (_, i) => origin + i * HOUR_MS),
      quantile,
      features: [...config.features],
      baseline,
      contributions: Object.fromEntries(config.features.map((name, f) => [name, perFeature[f]!])),
      calibration,
      values,
    };
  }

  async save(): Promise<ModelFiles> {
    const { config, boosters } = this.#require();
    const files: ModelFiles = { [CONFIG_FILE]: encodeConfig(config) };
    for (const [i, entry] of config.boosters.entries()) {
      files[entry.ubj] = boosters[i]!.save('ubj');
      files[entry.json] = boosters[i]!.save('json');
    }
    return files;
  }

  describe(): ModelDescription {
    const { config, boosters } = this.#require();
    const importance = (type: 'gain' | 'total_gain'): Record<string, Record<string, number>> =>
      Object.fromEntries(
        config.boosters.map((entry, i) => [boosterLabel(entry), boosters[i]!.featureScore(type)]),
      );
    return {
      model: this.name,
      target: config.target,
      region: config.region as Region,
      horizon: config.horizon,
      contextLength: config.lookbackHours,
      quantiles: quantileLevels(config.boosters),
      features: [...config.features],
      params: { ...config.params },
      trainedFrom: config.trainedFrom,
      trainedTo: config.trainedTo,
      details: {
        quantileMethod: 'pinball-loss booster per quantile level',
        scale: config.scale,
        bestIterations: Object.fromEntries(config.boosters.map((e) => [boosterLabel(e), e.bestIteration])),
        gainImportance: importance('gain'),
        totalGainImportance: importance('total_gain'),
        xgboostVersion: config.xgboostVersion,
      },
    };
  }

  #release(): void {
    for (const booster of this.#fitted?.boosters ?? []) booster.dispose();
    this.#fitted = undefined;
  }

  dispose(): void {
    this.#release();
  }
}

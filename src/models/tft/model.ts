/**
 * The `tft` forecaster: a Temporal Fusion Transformer trained and run with TensorFlow.js on the
 * wasm backend. Quantile forecasts of one target for the next `horizon` hours from the last
 * `contextLength` hours and the Irish calendar.
 */
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
import { shiftFor } from '../calibration.js';
import { useWasmBackend } from './backend.js';
import { calibrateOnWindows } from './calibrate.js';
import { CONFIG_VERSION, parseConfig, parseHyperParams, type TftConfig } from './config.js';
import {
  checkHourlyGrid,
  columnStats,
  decoderVariables,
  encoderVariables,
  lagReach,
  prepareSeries,
  staticVariables,
  type FeatureSettings,
  type PreparedSeries,
} from './features.js';
import { explainOrigin, summarise, type ForecastExplanation } from './interpret.js';
import { TftNetwork } from './network.js';
import { ParameterStore } from './parameters.js';
import { Rng } from './random.js';
import { planWindows, trainNetwork } from './training.js';

interface Trained {
  config: TftConfig;
  store: ParameterStore;
  network: TftNetwork;
}

const QUANTILE_TOLERANCE = 1e-9;

function settingsOf(config: TftConfig): FeatureSettings {
  return {
    target: config.target,
    region: config.region,
    pastColumns: config.features.pastColumns,
    encoderLength: config.encoderLength,
    horizon: config.horizon,
    normalisation: config.normalisation,
    seasonalLags: config.hyperParams.seasonalLags,
    festive: config.hyperParams.festive,
    targetScaling: config.hyperParams.targetScaling,
    ...(config.hyperParams.levelHours !== undefined ? { levelHours: config.hyperParams.levelHours } : {}),
  };
}

function buildNetwork(config: TftConfig, initRng: Rng): { store: ParameterStore; network: TftNetwork } {
  const store = new ParameterStore(initRng);
  try {
    const network = new TftNetwork(store, {
      hiddenSize: config.hyperParams.hiddenSize,
      attentionHeads: config.hyperParams.attentionHeads,
      encoderLength: config.encoderLength,
      horizon: config.horizon,
      quantileCount: config.quantiles.length,
      staticVariables: config.features.static,
      encoderVariables: config.features.encoder,
      decoderVariables: config.features.decoder,
    });
    return { store, network };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

function checkFitOptions(options: FitOptions): void {
  const bad = (message: string) => new DcgridError(ErrorCodes.CONFIG_INVALID, `TFT: ${message}`);
  if (!Number.isInteger(options.horizon) || options.horizon < 1)
    throw bad(`horizon must be a positive integer, got ${options.horizon}`);
  if (!Number.isInteger(options.contextLength) || options.contextLength < 1) {
    throw bad(`contextLength must be a positive integer, got ${options.contextLength}`);
  }
  if (!Number.isInteger(options.validationHours) || options.validationHours < 0) {
    throw bad(`validationHours must be a non-negative integer, got ${options.validationHours}`);
  }
  if (!Number.isInteger(options.seed)) throw bad(`seed must be an integer, got ${options.seed}`);
  const q = options.quantiles;
  if (q.length === 0 || q.some((level, i) => !(level > 0 && level < 1) || (i > 0 && level <= q[i - 1]!))) {
    throw bad(`quantiles must be increasing levels in (0, 1), got [${q.join(', ')}]`);
  }
}

function hasFinite(values: Float64Array, end: number): boolean {
  for (let i = 0; i < end; i++) if (Number.isFinite(values[i]!)) return true;
  return false;
}

/** The frame's last `hours` rows (the frame itself when it is no longer). */
function lastHours(frame: HourlyFrame, hours: number): HourlyFrame {
  const from = frame.ts.length - hours;
  if (from <= 0) return frame;
  return {
    ts: frame.ts.slice(from),
    columns: Object.fromEntries(Object.entries(frame.columns).map(([name, v]) => [name, v.slice(from)])),
  };
}

export class TftForecaster implements Forecaster {
  readonly name = 'tft';
  private trained: Trained | undefined;

  /** Wraps an already trained network (used by the factory's load). */
  static fromTrained(config: TftConfig, store: ParameterStore, network: TftNetwork): TftForecaster {
    const model = new TftForecaster();
    model.trained = { config, store, network };
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    await useWasmBackend();
    checkFitOptions(options);
    const hyper = parseHyperParams(options.params);
    checkHourlyGrid(data.frame);
    const { target } = data;
    const frame = lastHours(data.frame, hyper.trainDays * 24);
    const targetValues = frame.columns[target];
    if (!targetValues)
      throw new DcgridError(ErrorCodes.HEADER_MISSING, `training frame has no column "${target}"`, {
        column: target,
      });
    const length = frame.ts.length;
    const validationFrom = length - options.validationHours;
    if (!hasFinite(targetValues, Math.max(0, validationFrom))) {
      throw new DcgridError(
        ErrorCodes.TRAINING_DATA,
        `target "${target}" has no observed value before the validation hours`,
        {
          column: target,
        },
      );
    }
    const pastColumns =
      hyper.pastColumns ??
      Object.keys(frame.columns).filter(
        (name) => name !== target && hasFinite(frame.columns[name]!, validationFrom),
      );
    for (const name of pastColumns) {
      if (!frame.columns[name])
        throw new DcgridError(ErrorCodes.HEADER_MISSING, `training frame has no past column "${name}"`, {
          column: name,
        });
    }
    const settings: FeatureSettings = {
      target,
      region: data.region,
      pastColumns,
      encoderLength: options.contextLength,
      horizon: options.horizon,
      normalisation: {
        target: columnStats(targetValues, validationFrom),
        past: Object.fromEntries(
          pastColumns.map((name) => [name, columnStats(frame.columns[name]!, validationFrom)]),
        ),
      },
      seasonalLags: hyper.seasonalLags,
      festive: hyper.festive,
      targetScaling: hyper.targetScaling,
      ...(hyper.levelHours !== undefined ? { levelHours: hyper.levelHours } : {}),
    };
    const series = prepareSeries(frame, settings);
    const plan = planWindows(
      series,
      settings,
      options.validationHours,
      hyper.windowStride,
      hyper.validationStride,
    );

    const root = new Rng(options.seed);
    const initRng = root.fork();
    const shuffleRng = root.fork();
    const dropoutRng = root.fork();
    const draft: TftConfig = {
      format: 'dcgrid-tft',
      version: CONFIG_VERSION,
      target,
      region: data.region,
      encoderLength: options.contextLength,
      horizon: options.horizon,
      quantiles: [...options.quantiles],
      seed: options.seed,
      hyperParams: { ...hyper, pastColumns },
      features: {
        pastColumns,
        static: staticVariables(),
        encoder: encoderVariables(pastColumns, settings),
        decoder: decoderVariables(settings),
      },
      normalisation: settings.normalisation,
      trainedFrom: frame.ts[0]!,
      trainedTo: frame.ts[length - 1]!,
      training: {
        epochs: 0,
        bestEpoch: 0,
        trainLoss: Number.NaN,
        validationLoss: null,
        seconds: 0,
        trainWindows: plan.trainOrigins.length,
        validationWindows: plan.validationOrigins.length,
        stoppedBy: 'maxEpochs',
      },
      calibration: null,
      interpretation: {
        windows: 0,
        staticWeights: {},
        encoderWeights: {},
        decoderWeights: {},
        attentionByPosition: [],
      },
      weights: {
        file: 'weights.bin',
        dtype: 'float32',
        byteOrder: 'little-endian',
        parameterCount: 0,
        tensors: [],
      },
    };
    const { store, network } = buildNetwork(draft, initRng);
    try {
      const outcome = await trainNetwork({
        network,
        store,
        series,
        settings,
        hyper,
        plan,
        quantiles: options.quantiles,
        shuffleRng,
        dropoutRng,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      const explained =
        plan.validationOrigins.length > 0
          ? plan.validationOrigins
          : plan.trainOrigins.slice(-hyper.batchSize);
      const calibration = calibrateOnWindows(
        { network, series, settings, batchSize: hyper.batchSize },
        plan.validationOrigins,
        plan.validationFrom,
        options.quantiles,
        hyper.calibration,
      );
      const seconds = (performance.now() - started) / 1000;
      const config: TftConfig = {
        ...draft,
        calibration,
        training: {
          ...draft.training,
          epochs: outcome.epochs,
          bestEpoch: outcome.bestEpoch,
          trainLoss: outcome.trainLoss,
          validationLoss: outcome.validationLoss,
          seconds,
          stoppedBy: outcome.stoppedBy,
        },
        interpretation: summarise(network, series, settings, explained, hyper.batchSize),
        weights: { ...draft.weights, parameterCount: store.count(), tensors: store.manifest() },
      };
      this.dispose();
      this.trained = { config, store, network };
      const metrics: Record<string, number> = { loss: outcome.trainLoss, epochs: outcome.epochs };
      if (outcome.validationLoss !== null) metrics.val_loss = outcome.validationLoss;
      return { steps: outcome.epochs, bestStep: outcome.bestEpoch, metrics, curve: outcome.curve, seconds };
    } catch (error) {
      store.dispose();
      throw error;
    }
  }

  private require(): Trained {
    if (!this.trained) throw new DcgridError(ErrorCodes.MODEL, 'the TFT model is not trained or loaded');
    return this.trained;
  }

  /**
   * Prepares `frame` for a forecast at row `origin` (history = rows before it). Rows at and after
   * the origin are never read; they may hold anything.
   */
  private prepareAt(
    frame: HourlyFrame,
    origin: number,
  ): { series: PreparedSeries; settings: FeatureSettings } {
    const { config } = this.require();
    const settings = settingsOf(config);
    checkHourlyGrid(frame);
    if (origin < 1 || origin > frame.ts.length) {
      throw new DcgridError(
        ErrorCodes.INPUT_EMPTY,
        `TFT forecast needs history before the origin (origin row ${origin + 1}, ${frame.ts.length} rows)`,
      );
    }
    const series = prepareSeries(frame, settings, {
      from: origin - config.encoderLength - lagReach(settings),
      to: origin + config.horizon,
    });
    let observed = false;
    for (let row = Math.max(0, origin - config.encoderLength); row < origin && !observed; row++) {
      observed = !Number.isNaN(series.target[row]!);
    }
    if (!observed) {
      throw new DcgridError(
        ErrorCodes.INPUT_EMPTY,
        `no observed "${config.target}" in the ${config.encoderLength} hours before the forecast origin`,
        { column: config.target },
      );
    }
    return { series, settings };
  }

  /** Forecast and explanation for the origin at row `origin` of `frame` (rows from it on are ignored). */
  explainAt(
    frame: HourlyFrame,
    origin: number,
    options: { horizon?: number; quantiles?: readonly number[] } = {},
  ): { forecast: Forecast; explanation: ForecastExplanation } {
    const { config, network } = this.require();
    const horizon = options.horizon ?? config.horizon;
    const quantileIndex = this.quantileIndex(options.quantiles);
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > config.horizon) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        `TFT was trained for horizons up to ${config.horizon} hours, asked for ${horizon}`,
      );
    }
    const { series, settings } = this.prepareAt(frame, origin);
    const { explanation, quantiles, offset } = explainOrigin(network, series, settings, origin);
    const originMs = series.start + origin * HOUR_MS;
    return {
      forecast: this.toForecast(quantiles, offset, originMs, horizon, quantileIndex),
      explanation: { origin: originMs, ...explanation },
    };
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    await useWasmBackend();
    return this.explainAt(history, history.ts.length, options).forecast;
  }

  /** The forecast plus the attention and variable-selection weights behind it. */
  async explain(
    history: HourlyFrame,
    options: { horizon?: number; quantiles?: readonly number[] } = {},
  ): Promise<{ forecast: Forecast; explanation: ForecastExplanation }> {
    await useWasmBackend();
    return this.explainAt(history, history.ts.length, options);
  }

  private quantileIndex(requested: readonly number[] | undefined): number[] {
    const { config } = this.require();
    if (!requested) return config.quantiles.map((_, i) => i);
    return requested.map((level) => {
      const index = config.quantiles.findIndex((q) => Math.abs(q - level) < QUANTILE_TOLERANCE);
      if (index < 0) {
        throw new DcgridError(
          ErrorCodes.MODEL,
          `TFT was trained for quantiles [${config.quantiles.join(', ')}], not ${level}`,
        );
      }
      return index;
    });
  }

  /**
   * Denormalises [horizon, Q] network outputs, relative to `offset` (the window's level with
   * window scaling). Quantile heads are trained independently and can cross; each hour's values
   * are sorted (monotone rearrangement, which never raises the pinball loss) so that
   * P10 ≤ P50 ≤ P90 always holds.
   */
  private toForecast(
    normalised: Float32Array,
    offset: number,
    origin: number,
    horizon: number,
    quantileIndex: number[],
  ): Forecast {
    const { config } = this.require();
    const q = config.quantiles.length;
    const { mean, std } = config.normalisation.target;
    const sorted = config.quantiles.map(() => new Float64Array(horizon));
    const hour = new Float64Array(q);
    const shifts = config.calibration?.shifts;
    for (let h = 0; h < horizon; h++) {
      for (let k = 0; k < q; k++) {
        const shift = shifts ? shiftFor(shifts[k]!, h + 1) : 0;
        hour[k] = (normalised[h * q + k]! + shift + offset) * std + mean;
      }
      hour.sort();
      for (let k = 0; k < q; k++) sorted[k]![h] = hour[k]!;
    }
    const ts = new Float64Array(horizon);
    for (let h = 0; h < horizon; h++) ts[h] = origin + h * HOUR_MS;
    return {
      origin,
      ts,
      quantiles: quantileIndex.map((i) => config.quantiles[i]!),
      values: quantileIndex.map((i) => sorted[i]!),
    };
  }

  async save(): Promise<ModelFiles> {
    const { config, store } = this.require();
    const saved: TftConfig = {
      ...config,
      weights: { ...config.weights, parameterCount: store.count(), tensors: store.manifest() },
    };
    return {
      'config.json': new TextEncoder().encode(JSON.stringify(saved, null, 2)),
      'weights.bin': store.toBytes(),
    };
  }

  describe(): ModelDescription {
    const { config, store } = this.require();
    return {
      model: this.name,
      target: config.target,
      region: config.region,
      horizon: config.horizon,
      contextLength: config.encoderLength,
      quantiles: [...config.quantiles],
      features: config.features.encoder.map((spec) => spec.name),
      params: { ...config.hyperParams, seed: config.seed },
      trainedFrom: config.trainedFrom,
      trainedTo: config.trainedTo,
      details: {
        parameterCount: store.count(),
        training: config.training,
        calibration: config.calibration,
        variableSelection: {
          windows: config.interpretation.windows,
          static: config.interpretation.staticWeights,
          encoder: config.interpretation.encoderWeights,
          decoder: config.interpretation.decoderWeights,
        },
        attention: {
          windows: config.interpretation.windows,
          description: `mean attention on each of the ${config.encoderLength + config.horizon} positions from origin - ${config.encoderLength} h, averaged over forecast hours`,
          byPosition: config.interpretation.attentionByPosition,
        },
        normalisation: config.normalisation,
      },
    };
  }

  dispose(): void {
    if (!this.trained) return;
    this.trained.store.dispose();
    this.trained = undefined;
  }
}

/** Rebuilds a forecaster from `config.json` + `weights.bin`. */
export async function loadTft(files: ModelFiles): Promise<TftForecaster> {
  await useWasmBackend();
  const configBytes = files['config.json'];
  const weights = files['weights.bin'];
  if (!configBytes)
    throw new DcgridError(ErrorCodes.ARTIFACT, 'TFT model files lack config.json', { file: 'config.json' });
  if (!weights)
    throw new DcgridError(ErrorCodes.ARTIFACT, 'TFT model files lack weights.bin', { file: 'weights.bin' });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.ARTIFACT,
      'config.json is not valid JSON',
      { file: 'config.json' },
      { cause: error },
    );
  }
  const config = parseConfig(json);
  const { store, network } = buildNetwork(config, new Rng(config.seed));
  try {
    store.fromBytes(weights, config.weights.tensors);
  } catch (error) {
    store.dispose();
    throw error;
  }
  return TftForecaster.fromTrained(config, store, network);
}

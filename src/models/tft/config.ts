/**
 * Hyper-parameters (FitOptions.params) and the persisted config.json of a trained TFT.
 */
import { z } from 'zod';
import { REGIONS } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

export const hyperParamsSchema = z
  .object({
    /** Width of every hidden layer, embedding and LSTM state. */
    hiddenSize: z.number().int().min(4).max(256).default(16),
    attentionHeads: z.number().int().min(1).max(16).default(2),
    dropout: z.number().min(0).max(0.9).default(0.1),
    learningRate: z.number().positive().max(1).default(0.003),
    batchSize: z.number().int().min(1).max(1024).default(64),
    maxEpochs: z.number().int().min(1).max(10_000).default(25),
    /** Epochs without a better validation loss before training stops. */
    patience: z.number().int().min(1).default(5),
    /** The learning rate is multiplied by this after `learningRatePatience` epochs without a better validation loss (1: constant). */
    learningRateDecay: z.number().gt(0).max(1).default(0.5),
    learningRatePatience: z.number().int().min(1).default(2),
    /** Hours between consecutive training window origins (1: a window starts at every hour). */
    windowStride: z.number().int().min(1).default(1),
    /** Training windows drawn afresh (without replacement, seeded) for each epoch; at most all of them. */
    windowsPerEpoch: z.number().int().min(1).default(704),
    /** Hours between validation window origins. */
    validationStride: z.number().int().min(1).default(12),
    gradientClipNorm: z.number().positive().default(1),
    /** Past-observed columns besides the target; default: every other column of the training frame. */
    pastColumns: z.array(z.string().min(1)).optional(),
    /**
     * Days of history the TFT trains on: the last this many days of its training frame. The frame
     * (TRAIN_DAYS) may be longer for models that gain from it (xgb); the TFT's epochs draw a fixed
     * number of windows, so more history would not make it better per second, only its windows older.
     */
    trainDays: z.number().int().min(1).max(3650).default(730),
    /** Optional wall-clock cap: training stops after the epoch that crosses it (not reproducible when it triggers). */
    maxTrainSeconds: z.number().positive().optional(),
    /** Periods (hours) of the seasonal target lags given as known inputs (see features.ts). */
    seasonalLags: z
      .array(z.number().int().min(1).max(8760))
      .max(4)
      .refine((periods) => new Set(periods).size === periods.length, 'seasonal lag periods must differ')
      .default([24, 168]),
    /** The 24 December - 1 January flag among the known inputs. */
    festive: z.boolean().default(true),
    /** 'window': target-valued inputs and outputs relative to the window's level (see levelHours); 'global': not. */
    targetScaling: z.enum(['global', 'window']).default('window'),
    /** With window scaling, the level is the mean of the observed target over this many hours before the origin (default: the encoder length). */
    levelHours: z.number().int().min(1).optional(),
    /** Loss weight of forecast hours 1-24 relative to the later hours (training and early stopping). */
    dayAheadWeight: z.number().positive().max(100).default(4),
    /**
     * Interval calibration on the validation windows (calibrate.ts): 'spread' widens or narrows the
     * bands around the median without moving it, 'full' also moves it, 'none' (default: it did not
     * bring coverage nearer 80 % on the tuning windows, docs/TFT.md) keeps the raw heads.
     */
    calibration: z.enum(['spread', 'full', 'none']).default('none'),
  })
  .strict();

export type TftHyperParams = z.output<typeof hyperParamsSchema>;

export function parseHyperParams(params: Record<string, unknown> | undefined): TftHyperParams {
  const parsed = hyperParamsSchema.safeParse(params ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`,
    );
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `invalid TFT parameters: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** config.json format version; files of formats 1 and 2 are upgraded on load. */
export const CONFIG_VERSION = 3;

const variableSpec = z.union([
  z.object({ name: z.string(), kind: z.literal('real') }).strict(),
  z
    .object({ name: z.string(), kind: z.literal('categorical'), cardinality: z.number().int().positive() })
    .strict(),
]);

const columnStats = z.object({ mean: z.number(), std: z.number().positive() }).strict();

const weightsByName = z.record(z.string(), z.number());

export const configSchema = z
  .object({
    format: z.literal('dcgrid-tft'),
    version: z.literal(CONFIG_VERSION),
    target: z.string(),
    region: z.enum(REGIONS),
    encoderLength: z.number().int().positive(),
    horizon: z.number().int().positive(),
    quantiles: z.array(z.number().gt(0).lt(1)).min(1),
    seed: z.number().int(),
    hyperParams: hyperParamsSchema,
    features: z
      .object({
        pastColumns: z.array(z.string()),
        static: z.array(variableSpec),
        encoder: z.array(variableSpec),
        decoder: z.array(variableSpec),
      })
      .strict(),
    normalisation: z.object({ target: columnStats, past: z.record(z.string(), columnStats) }).strict(),
    trainedFrom: z.number(),
    trainedTo: z.number(),
    training: z
      .object({
        epochs: z.number().int(),
        bestEpoch: z.number().int(),
        trainLoss: z.number(),
        validationLoss: z.number().nullable(),
        seconds: z.number(),
        trainWindows: z.number().int(),
        validationWindows: z.number().int(),
        stoppedBy: z.enum(['maxEpochs', 'patience', 'timeLimit']),
      })
      .strict(),
    /** Shifts added to the normalised quantile outputs (calibrate.ts); null: none. */
    calibration: z
      .object({
        mode: z.enum(['spread', 'full']),
        windows: z.number().int(),
        residuals: z.number().int(),
        shifts: z.array(z.array(z.number())),
      })
      .strict()
      .nullable(),
    interpretation: z
      .object({
        windows: z.number().int(),
        staticWeights: weightsByName,
        encoderWeights: weightsByName,
        decoderWeights: weightsByName,
        /** Mean attention on each position, index 0 = origin - encoderLength, averaged over queries and windows. */
        attentionByPosition: z.array(z.number()),
      })
      .strict(),
    weights: z
      .object({
        file: z.literal('weights.bin'),
        dtype: z.literal('float32'),
        byteOrder: z.literal('little-endian'),
        parameterCount: z.number().int(),
        tensors: z.array(
          z
            .object({
              name: z.string(),
              shape: z.array(z.number().int().nonnegative()),
              offset: z.number().int(),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict();

export type TftConfig = z.output<typeof configSchema>;

/**
 * Format 1 (before seasonal lags, the festive flag, window scaling, the day-ahead loss weight,
 * per-epoch window sampling and learning-rate cuts) had none of them: its hyper-parameters are
 * completed with the values that describe how it was built and trained (every window each epoch).
 */
function upgradeFormat1(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const config = json as Record<string, unknown>;
  if (config.version !== 1 || typeof config.hyperParams !== 'object' || config.hyperParams === null)
    return json;
  const training = config.training as { trainWindows?: unknown } | undefined;
  return {
    ...config,
    version: 2,
    hyperParams: {
      seasonalLags: [],
      festive: false,
      targetScaling: 'global',
      dayAheadWeight: 1,
      learningRateDecay: 1,
      ...(typeof training?.trainWindows === 'number' && training.trainWindows > 0
        ? { windowsPerEpoch: training.trainWindows }
        : {}),
      ...config.hyperParams,
    },
  };
}

/** Format 2 (before interval calibration) forecast with the raw quantile heads. */
function upgradeFormat2(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const config = json as Record<string, unknown>;
  if (config.version !== 2 || typeof config.hyperParams !== 'object' || config.hyperParams === null)
    return json;
  return {
    ...config,
    version: CONFIG_VERSION,
    hyperParams: { calibration: 'none', ...config.hyperParams },
    calibration: null,
  };
}

export function parseConfig(json: unknown): TftConfig {
  const parsed = configSchema.safeParse(upgradeFormat2(upgradeFormat1(json)));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new DcgridError(ErrorCodes.ARTIFACT, `invalid TFT config.json: ${issues.join('; ')}`, {
      file: 'config.json',
    });
  }
  return parsed.data;
}

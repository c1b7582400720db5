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
    /** Hours between consecutive training window origins. */
    windowStride: z.number().int().min(1).default(24),
    /** Hours between validation window origins. */
    validationStride: z.number().int().min(1).default(12),
    gradientClipNorm: z.number().positive().default(1),
    /** Past-observed columns besides the target; default: every other column of the training frame. */
    pastColumns: z.array(z.string().min(1)).optional(),
    /** Optional wall-clock cap: training stops after the epoch that crosses it (not reproducible when it triggers). */
    maxTrainSeconds: z.number().positive().optional(),
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
    version: z.literal(1),
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

export function parseConfig(json: unknown): TftConfig {
  const parsed = configSchema.safeParse(json);
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

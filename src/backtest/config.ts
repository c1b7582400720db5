/** A backtest's settings, validated with their defaults; stored with its results. */
import { z } from 'zod';
import { REGIONS } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';

const HOURS_PER_WEEK = 168;

const originsSchema = z.union([
  z
    .object({
      /** Origins over the last `weeks` weeks that have `horizon` hours of actuals after them. */
      weeks: z.number().int().min(1).max(520),
      /** UTC hour of day of the origins (with everyH a multiple of 24). */
      originHour: z.number().int().min(0).max(23),
      everyH: z
        .number()
        .int()
        .min(1)
        .max(24 * 28),
    })
    .strict(),
  z
    .object({
      /** First and last origin (UTC epoch ms, on the hour), both included. */
      from: z.number().int(),
      to: z.number().int(),
      everyH: z
        .number()
        .int()
        .min(1)
        .max(24 * 28),
    })
    .strict(),
]);

export type OriginSpec = z.infer<typeof originsSchema>;

export const backtestConfigSchema = z
  .object({
    region: z.enum(REGIONS),
    target: z.string().min(1),
    models: z.array(z.string().min(1)).min(1),
    horizon: z.number().int().min(1).max(HOURS_PER_WEEK).default(HOURS_PER_WEEK),
    origins: originsSchema.default({ weeks: 8, originHour: 0, everyH: 24 }),
    /** Hours of origins between refits; 0 fits once, before the first origin. */
    refitEveryH: z.number().int().min(0).default(HOURS_PER_WEEK),
    /** Length of the training window that ends at the (re)fit origin. */
    trainHours: z
      .number()
      .int()
      .min(2 * HOURS_PER_WEEK)
      .default(2 * 365 * 24),
    /** Hours at the end of each training window held out for early stopping (at most a fifth of it). */
    validationHours: z
      .number()
      .int()
      .min(0)
      .default(4 * HOURS_PER_WEEK),
    contextLength: z.number().int().min(1).default(HOURS_PER_WEEK),
    quantiles: z
      .array(z.number().gt(0).lt(1))
      .min(1)
      .default([0.1, 0.5, 0.9])
      .refine((levels) => levels.includes(0.5), 'the quantiles must include the median, 0.5'),
    seed: z.number().int().default(42),
    /** Event classifiers: the probability at or above which an hour is alerted (precision, recall). */
    alertProbability: z.number().gt(0).lt(1).default(0.3),
    /** Model parameters (FitOptions.params) by model name. */
    params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  })
  .strict();

export type BacktestConfigInput = z.input<typeof backtestConfigSchema>;
export type BacktestConfig = z.output<typeof backtestConfigSchema>;

export function resolveBacktestConfig(input: BacktestConfigInput): BacktestConfig {
  const parsed = backtestConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`,
    );
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Invalid backtest settings: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  config.quantiles = [...new Set(config.quantiles)].sort((a, b) => a - b);
  const duplicates = config.models.filter((model, i) => config.models.indexOf(model) !== i);
  if (duplicates.length > 0) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Model ${duplicates.join(', ')} is listed twice.`);
  }
  return config;
}

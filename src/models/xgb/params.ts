/** Hyper-parameters of the xgb forecaster (FitOptions.params), validated with their defaults. */
import { z } from 'zod';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { defaultThreadCount } from './native/library.js';

const rawXgboostParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const xgbParamsSchema = z
  .object({
    /** Maximum boosting rounds per quantile booster. */
    rounds: z.number().int().min(1).max(10_000).default(600),
    learningRate: z.number().gt(0).max(1).default(0.1),
    maxDepth: z.number().int().min(1).max(16).default(6),
    /** Minimum rows per leaf (the pinball hessian is 1 per row). */
    minChildWeight: z.number().min(0).default(10),
    subsample: z.number().gt(0).max(1).default(0.8),
    colsampleBytree: z.number().gt(0).max(1).default(0.9),
    lambda: z.number().min(0).default(1),
    maxBin: z.number().int().min(2).max(1024).default(256),
    /** Stop a booster when its validation pinball loss has not improved for this many rounds. */
    earlyStoppingRounds: z.number().int().min(1).default(40),
    /** (origin, horizon) pairs drawn for training; bounds time and memory. */
    maxTrainingRows: z.number().int().min(100).default(60_000),
    maxValidationRows: z.number().int().min(10).default(20_000),
    nthread: z.number().int().min(1).optional(),
    /**
     * Boosters averaged per quantile level, each fitted with its own seed (seed, seed + 1, ...) on
     * its own draw of training rows: averaging removes most of what one seed alone would decide.
     */
    seeds: z.number().int().min(1).max(16).default(3),
    /** Conformal shifts per quantile and block of 24 horizons, fitted on the validation window. */
    calibration: z.enum(['spread', 'full', 'none']).default('spread'),
    /** The same hour and weekday 52 weeks back as a feature (needs a year of history to help). */
    yearLag: z.boolean().default(true),
    /** Other frame columns used through their values before the origin. */
    pastColumns: z.array(z.string().min(1)).default([]),
    /** Extra XGBoost parameters passed as they are (checked by the library). */
    xgboost: rawXgboostParams.default({}),
  })
  .strict();

export type XgbParams = z.infer<typeof xgbParamsSchema> & { nthread: number };

export function parseXgbParams(input: Record<string, unknown> | undefined): XgbParams {
  const parsed = xgbParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`)
      .join('; ');
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Invalid xgb parameters: ${issues}`);
  }
  return { ...parsed.data, nthread: parsed.data.nthread ?? defaultThreadCount() };
}

/** The XGBoost booster parameters for one quantile booster. */
export function boosterParams(
  params: XgbParams,
  seed: number,
  baseScore: number,
): Record<string, string | number> {
  return {
    tree_method: 'hist',
    max_depth: params.maxDepth,
    eta: params.learningRate,
    min_child_weight: params.minChildWeight,
    subsample: params.subsample,
    colsample_bytree: params.colsampleBytree,
    lambda: params.lambda,
    max_bin: params.maxBin,
    nthread: params.nthread,
    seed,
    base_score: baseScore,
    disable_default_eval_metric: 1,
    ...params.xgboost,
  };
}

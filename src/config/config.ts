import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DcgridError, ErrorCodes } from '../lib/errors.js';

export const REGIONS = ['IE', 'NI', 'ALL'] as const;
export type Region = (typeof REGIONS)[number];

/** Numeric feature columns a model may forecast. */
export const FORECAST_TARGETS = [
  'dc_load_mw',
  'demand_mw',
  'wind_mw',
  'solar_mw',
  'net_load_mw',
  'price_eur_mwh',
  'co2_intensity',
  'stress_score',
] as const;
export type ForecastTarget = (typeof FORECAST_TARGETS)[number];

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0),
    )
    .pipe(z.array(item).min(1));

const positiveInt = z.coerce.number().int().positive();

/** An http:// or https:// URL, kept as written (a trailing '/' can matter: see the download settings). */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const stressWeights = z
  .string()
  .transform((text, ctx) => {
    const weights: Record<string, number> = {};
    for (const pair of text.split(',')) {
      const [key, raw] = pair.split('=').map((p) => p.trim());
      const value = Number(raw);
      if (!key || raw === undefined || !Number.isFinite(value)) {
        ctx.addIssue({ code: 'custom', message: `expected name=number pairs, got "${pair}"` });
        return z.NEVER;
      }
      weights[key] = value;
    }
    return weights;
  })
  .pipe(
    z
      .object({
        ramp: z.number(),
        renew_var: z.number(),
        price_spike: z.number(),
        net_load: z.number(),
        snsp: z.number(),
      })
      .strict(),
  );

/** Every setting, its default and its meaning live here; `.env.example` mirrors this list. */
const schema = z.object({
  DCGRID_HOME: z.string().default('./.dcgrid'),
  DCGRID_RAW_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  REGION: z.enum(REGIONS).default('IE'),
  TARGETS: csv(z.enum(FORECAST_TARGETS)).default(['dc_load_mw']),
  FORECAST_HORIZON_H: positiveInt.max(168).default(168),
  CONTEXT_LENGTH_H: positiveInt.max(24 * 28).default(168),
  ARTIFACT_URI: z
    .string()
    .regex(/^(file|s3):\/\//, 'must start with file:// or s3://')
    .optional(),
  S3_ENDPOINT: z.string().url().optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_REGION: z.string().default('us-east-1'),
  MLFLOW_TRACKING_URI: z.string().optional(),
  API_PORT: positiveInt.max(65535).default(8080),
  API_TOKEN: z.string().optional(),
  STRESS_WEIGHTS: stressWeights.default({
    ramp: 0.4,
    renew_var: 0.4,
    price_spike: 0.2,
    net_load: 0.2,
    snsp: 0.2,
  }),
  STRESS_ALERT_THRESHOLD: z.coerce.number().default(2),
  PROMOTION_METRIC: z.string().default('day_ahead_mase'),
  PIPELINE_MODELS: csv(
    z.string().regex(/^[a-z0-9]+$/, 'model names are lower-case letters and digits'),
  ).default(['snaive168', 'xgb', 'tft', 'ensemble']),
  TRAIN_DAYS: positiveInt.max(3650).default(730),
  VALIDATION_HOURS: z.coerce.number().int().min(0).default(1344),
  BACKTEST_WEEKS: positiveInt.max(104).default(4),
  SEED: z.coerce.number().int().default(42),
  DCGRID_GIT_COMMIT: z.string().optional(),
  SCHEDULE_CRON: z.string().default('15 6 * * *'),
  DOWNLOAD_TIMEOUT_MS: positiveInt.default(30_000),
  DOWNLOAD_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  // Where `ingest --download` fetches each source (a mirror or proxy); unset: the publisher.
  // What each accepts is the `baseUrl` of src/sources/<name>/download.ts (docs/DATA.md).
  DASHBOARD_BASE_URL: httpUrl.optional(),
  EIRGRID_WORKBOOK_URL: httpUrl.optional(),
  EMBER_URL: httpUrl.optional(),
  SEMOPX_BASE_URL: httpUrl.optional(),
  CSO_BASE_URL: httpUrl.optional(),
  XGBOOST_LIB: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.output<typeof schema>;

export interface Config extends RawConfig {
  /** Absolute DCGRID_HOME. */
  home: string;
  /** ARTIFACT_URI with its default (file:// under DCGRID_HOME) applied. */
  artifactUri: string;
  /** True when DATABASE_URL is unset: the embedded PGlite database under DCGRID_HOME. */
  embedded: boolean;
}

/**
 * Reads settings from the process environment, with a `.env` file in the working directory as a
 * fallback (the environment wins). Throws a DcgridError listing every invalid setting.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { cwd?: string; dotenv?: boolean } = {},
): Config {
  const cwd = options.cwd ?? process.cwd();
  const merged: Record<string, string | undefined> = {};
  const dotenvPath = resolve(cwd, '.env');
  if (options.dotenv !== false && existsSync(dotenvPath)) {
    Object.assign(merged, parseDotenv(readFileSync(dotenvPath)));
  }
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `invalid settings:\n  ${problems.join('\n  ')}`);
  }
  const raw = parsed.data;
  const home = resolve(cwd, raw.DCGRID_HOME);
  return {
    ...raw,
    home,
    artifactUri: raw.ARTIFACT_URI ?? `file://${resolve(home, 'artifacts')}`,
    embedded: raw.DATABASE_URL === undefined,
  };
}

import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DcgridError, ErrorCodes } from '../lib/errors.js';

import { FORECAST_TARGETS, REGIONS } from './names.js';

export { FORECAST_TARGETS, REGIONS, type ForecastTarget, type Region } from './names.js';

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

/**
 * A PostgreSQL connection URL. Checked here because the driver reads almost any text as a host
 * name ("ENOTFOUND base" for a URL it could not split) and would talk PostgreSQL to a MySQL URL.
 */
const postgresUrl = z.string().superRefine((text, ctx) => {
  const problem = postgresUrlProblem(text);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

export function postgresUrlProblem(text: string): string | null {
  const expected = 'expected postgres://user[:password]@host[:port]/database';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return `not a URL (${expected})`;
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    return `"${scheme}://" is not PostgreSQL: dcgrid stores its data in PostgreSQL 15+ (${expected}), or leave it unset for the embedded database`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not a valid URL (${expected}; a password with @, /, : or # must be percent-encoded)`;
  }
  const socketHost = url.searchParams.get('host');
  if (url.hostname === '' && (socketHost === null || socketHost === '')) {
    return `no host (${expected}, or ?host=/path/to/socket)`;
  }
  if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) {
    return `port ${url.port} is out of range`;
  }
  let database: string;
  try {
    database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    return `the database name is not valid percent-encoding (${expected})`;
  }
  if (database.includes('/')) return `"${database}" is not a database name (${expected})`;
  return null;
}

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
        net_load: z.number(),
        renewables: z.number(),
        price: z.number(),
        interconnector: z.number(),
        snsp: z.number(),
      })
      .strict(),
  );

/** Every setting, its default and its meaning live here; `.env.example` mirrors this list. */
const schema = z.object({
  DCGRID_HOME: z.string().default('./.dcgrid'),
  DCGRID_RAW_DIR: z.string().optional(),
  DATABASE_URL: postgresUrl.optional(),
  REGION: z.enum(REGIONS).default('IE'),
  // The first target is the main one: the pipeline trains every PIPELINE_MODELS model for it and
  // the PIPELINE_FAST_MODELS for the others (the REST API's scheduling advice reads their champions).
  TARGETS: csv(z.enum(FORECAST_TARGETS)).default([
    'dc_load_mw',
    'price_eur_mwh',
    'co2_intensity',
    'stress_score',
    'stress_event',
  ]),
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
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Origins allowed by CORS: '*', or a comma-separated list of origins; unset: no CORS headers.
  API_CORS_ORIGINS: csv(z.string()).optional(),
  API_SECURITY_HEADERS: z
    .enum(['on', 'off', 'true', 'false', '1', '0'])
    .transform((v) => v === 'on' || v === 'true' || v === '1')
    .default(true),
  // How often the API checks whether forecasts, champions or features changed (its cache).
  API_CACHE_CHECK_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  STRESS_WEIGHTS: stressWeights.default({
    net_load: 0.5,
    renewables: 0.25,
    price: 0.3,
    interconnector: 0.15,
    snsp: 0.1,
  }),
  STRESS_ALERT_THRESHOLD: z.coerce.number().finite().default(2),
  // Stress-event labels (docs/FEATURES.md, "Stress events"): net load at or above this quantile of
  // its seasonal reference, SNSP within this margin (fraction) of its limit, price at or above this
  // multiple of its 30-day median; and the event probability at which the classifier raises an alert.
  STRESS_EVENT_NET_LOAD_QUANTILE: z.coerce.number().gt(0).lt(1).default(0.99),
  STRESS_EVENT_SNSP_MARGIN: z.coerce.number().min(0).lt(1).default(0.05),
  STRESS_EVENT_PRICE_RATIO: z.coerce.number().gt(1).default(2),
  STRESS_EVENT_ALERT_PROBABILITY: z.coerce.number().gt(0).lt(1).default(0.3),
  PROMOTION_METRIC: z.string().default('day_ahead_mase'),
  PIPELINE_MODELS: csv(
    z.string().regex(/^[a-z0-9]+$/, 'model names are lower-case letters and digits'),
  ).default(['snaive168', 'xgb', 'tft', 'ensemble']),
  PIPELINE_FAST_MODELS: csv(
    z.string().regex(/^[a-z0-9]+$/, 'model names are lower-case letters and digits'),
  ).default(['snaive168', 'xgb']),
  // Models trained for the stress_event target (event classifiers; the first is the baseline).
  PIPELINE_EVENT_MODELS: csv(
    z.string().regex(/^[a-z0-9]+$/, 'model names are lower-case letters and digits'),
  ).default(['eventclim', 'xgbevent']),
  // Six years: xgb gains from them; the TFT trains on its own last `trainDays` (730) of them.
  TRAIN_DAYS: positiveInt.max(3650).default(2190),
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
  /** The settings given (environment or .env) rather than defaulted. */
  given: ReadonlySet<keyof RawConfig>;
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
    given: new Set(Object.keys(schema.shape).filter((key) => merged[key] !== undefined)) as ReadonlySet<
      keyof RawConfig
    >,
  };
}

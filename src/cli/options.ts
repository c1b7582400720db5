/** Parsers for command-line option values shared by the commands; each names the flag it reads. */
import type { Config } from '../config/config.js';
import { FORECAST_TARGETS, type ForecastTarget } from '../config/names.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';

const invalid = (message: string) => new DcgridError(ErrorCodes.CONFIG_INVALID, message);

export function integerOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw invalid(`${flag} must be a whole number, got "${value}".`);
  return Number.parseInt(value, 10);
}

export function instantOption(value: string, flag: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw invalid(`${flag} must be a date-time such as 2024-05-01T00:00Z, got "${value}".`);
  return ms;
}

export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A --target value, checked against the forecastable feature columns. */
export function checkTarget(target: string): ForecastTarget {
  if (!(FORECAST_TARGETS as readonly string[]).includes(target)) {
    throw invalid(`--target must be one of ${FORECAST_TARGETS.join(', ')}; got "${target}".`);
  }
  return target as ForecastTarget;
}

/** --target, or by default the first of TARGETS. */
export function targetOption(value: string | undefined, config: Pick<Config, 'TARGETS'>): ForecastTarget {
  return checkTarget(value ?? config.TARGETS[0]!);
}

/** --params: JSON mapping model names to their parameters, e.g. '{"xgb":{"rounds":300}}'. */
export function modelParamsOption(
  text: string | undefined,
): Record<string, Record<string, unknown>> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(`--params must be JSON such as '{"xgb":{"rounds":300}}'.`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed) || !Object.values(parsed).every(isObject)) {
    throw invalid('--params must map model names to objects of parameters.');
  }
  return parsed as Record<string, Record<string, unknown>>;
}

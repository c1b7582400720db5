/**
 * Fitting and forecasting at an origin T from a full hourly frame. This is the one place that
 * enforces "only what is known at T": a model gets copies of the hours that start before T, never
 * a view of the full frame (a subarray's `.buffer` would still reach the future), and its forecast
 * is checked against the origin convention of src/models/types.ts before anyone scores it.
 */
import type { Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { FitOptions, FitReport, Forecast, Forecaster, HourlyFrame } from './types.js';

/** Throws unless `frame` is a contiguous hourly grid whose columns (and `required`) have one value per hour. */
export function checkHourlyFrame(frame: HourlyFrame, required: readonly string[] = [], role = 'frame'): void {
  const hours = frame.ts.length;
  for (const column of required) {
    if (frame.columns[column] === undefined) {
      throw new DcgridError(ErrorCodes.VALUE_INVALID, `The ${role} has no column "${column}".`, { column });
    }
  }
  for (const [column, values] of Object.entries(frame.columns)) {
    if (values.length !== hours) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `The ${role} has ${values.length} values for ${hours} hours.`,
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
        `The ${role} is not a contiguous hourly grid at row ${i + 1} (${new Date(frame.ts[i]!).toISOString()}).`,
        { row: i + 1 },
      );
    }
  }
}

/** Throws unless `horizon` is a whole number of hours in 1..max. */
export function checkHorizon(horizon: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > max) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Horizon must be a whole number of hours from 1 to ${max}, got ${horizon}.`,
    );
  }
}

/** Distinct quantile levels in (0, 1), ascending; throws otherwise. */
export function checkQuantiles(quantiles: readonly number[]): number[] {
  const sorted = [...new Set(quantiles)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((q) => !(q > 0 && q < 1))) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Quantiles must be levels in (0, 1), got [${quantiles.join(', ')}].`,
    );
  }
  return sorted;
}

/** Index of the hour starting at `origin` (frame.ts.length when it is the hour after the last). */
function originIndex(frame: HourlyFrame, origin: number): number {
  const hours = frame.ts.length;
  if (hours === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The frame is empty.');
  const offset = (origin - frame.ts[0]!) / HOUR_MS;
  if (!Number.isInteger(offset) || offset < 0 || offset > hours) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Origin ${new Date(origin).toISOString()} is not an hour of the frame ` +
        `(${new Date(frame.ts[0]!).toISOString()} .. ${new Date(frame.ts[hours - 1]! + HOUR_MS).toISOString()}).`,
    );
  }
  return offset;
}

/** A copy of the hours [from, to) of a frame (indices), every column included. */
function copyRows(frame: HourlyFrame, from: number, to: number): HourlyFrame {
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(frame.columns)) columns[name] = values.slice(from, to);
  return { ts: frame.ts.slice(from, to), columns };
}

/** What a model may see at `origin`: a copy of every hour that starts before it. */
export function historyAt(frame: HourlyFrame, origin: number): HourlyFrame {
  return copyRows(frame, 0, originIndex(frame, origin));
}

/** The training window at `origin`: a copy of the (at most) `trainHours` hours before it. */
export function trainingWindowAt(frame: HourlyFrame, origin: number, trainHours: number): HourlyFrame {
  if (!Number.isInteger(trainHours) || trainHours < 1) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `trainHours must be a whole number >= 1, got ${trainHours}.`,
    );
  }
  const end = originIndex(frame, origin);
  return copyRows(frame, Math.max(0, end - trainHours), end);
}

export interface FitAtOptions extends Omit<FitOptions, 'validationHours'> {
  region: Region;
  target: string;
  /** Length of the training window that ends just before the origin. */
  trainHours: number;
  /** Hours held out at the end of the training window; capped at a fifth of the window. */
  validationHours: number;
}

/** Fits `model` on the training window before `origin` (nothing at or after `origin` is handed over). */
export async function fitAt(
  model: Forecaster,
  frame: HourlyFrame,
  origin: number,
  options: FitAtOptions,
): Promise<FitReport> {
  const { region, target, trainHours, ...fitOptions } = options;
  checkHourlyFrame(frame, [target]);
  const window = trainingWindowAt(frame, origin, trainHours);
  const validationHours = Math.min(options.validationHours, Math.floor(window.ts.length / 5));
  return model.fit({ region, target, frame: window }, { ...fitOptions, validationHours });
}

/**
 * The forecast `model` issues at `origin` from the hours before it, checked against the origin
 * convention: hour h (1..horizon) starts at origin + (h - 1) h, one row of `horizon` values per
 * requested quantile, ascending levels.
 */
export async function forecastAt(
  model: Forecaster,
  frame: HourlyFrame,
  origin: number,
  options: { horizon: number; quantiles: readonly number[] },
): Promise<Forecast> {
  checkHorizon(options.horizon);
  const quantiles = checkQuantiles(options.quantiles);
  const history = historyAt(frame, origin);
  if (history.ts.length === 0) {
    throw new DcgridError(
      ErrorCodes.INPUT_EMPTY,
      `No history before origin ${new Date(origin).toISOString()}: the frame starts there.`,
    );
  }
  const forecast = await model.forecast(history, { horizon: options.horizon, quantiles });
  checkForecast(model.name, forecast, origin, options.horizon, quantiles);
  return forecast;
}

function checkForecast(
  model: string,
  forecast: Forecast,
  origin: number,
  horizon: number,
  quantiles: readonly number[],
): void {
  const fail = (what: string) =>
    new DcgridError(
      ErrorCodes.MODEL,
      `Model ${model} broke the forecast contract at origin ${new Date(origin).toISOString()}: ${what}.`,
    );
  if (forecast.origin !== origin) throw fail(`origin ${new Date(forecast.origin).toISOString()}`);
  if (forecast.ts.length !== horizon) throw fail(`${forecast.ts.length} hours instead of ${horizon}`);
  for (let h = 0; h < horizon; h++) {
    if (forecast.ts[h] !== origin + h * HOUR_MS) throw fail(`hour ${h + 1} starts at ${forecast.ts[h]}`);
  }
  const missing = quantiles.filter((q) => !forecast.quantiles.some((level) => Math.abs(level - q) < 1e-9));
  if (missing.length > 0) throw fail(`no quantile ${missing.join(', ')}`);
  if (forecast.values.length !== forecast.quantiles.length) {
    throw fail(`${forecast.values.length} value rows for ${forecast.quantiles.length} quantiles`);
  }
  for (const row of forecast.values) if (row.length !== horizon) throw fail(`a row of ${row.length} values`);
  const p = forecast.probability;
  if (p !== undefined) {
    if (p.length !== horizon) throw fail(`${p.length} probabilities for ${horizon} hours`);
    if (p.some((v) => !(v >= 0 && v <= 1))) throw fail('a probability outside [0, 1]');
  }
}

/** The row of `forecast.values` for quantile level `q`. */
export function quantileRow(forecast: Forecast, q: number): Float64Array {
  const index = forecast.quantiles.findIndex((level) => Math.abs(level - q) < 1e-9);
  if (index < 0) {
    throw new DcgridError(
      ErrorCodes.MODEL,
      `The forecast has no quantile ${q} (it has ${forecast.quantiles.join(', ')}).`,
    );
  }
  return forecast.values[index]!;
}

/**
 * What the event classifiers share: the 0/1 target check, the Bernoulli quantiles they report
 * beside the probability, and their JSON config file.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
import { checkHorizon, checkHourlyFrame, checkQuantiles } from '../harness.js';
import { DEFAULT_QUANTILES, type Forecast, type HourlyFrame, type ModelFiles } from '../types.js';

/** The quantile q of a Bernoulli(p) variable: 1 where P(Y = 0) = 1 - p is below q, else 0. */
export function bernoulliQuantile(p: number, q: number): number {
  if (Number.isNaN(p)) return Number.NaN;
  return 1 - p < q ? 1 : 0;
}

/** A forecast carrying P(event) per hour and, as its quantiles, those of the Bernoulli variable. */
export function eventForecast(
  history: HourlyFrame,
  probability: Float64Array,
  quantiles: readonly number[] = DEFAULT_QUANTILES,
): Forecast {
  const levels = checkQuantiles(quantiles);
  const hours = history.ts.length;
  if (hours === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'The history frame is empty.');
  const origin = history.ts[hours - 1]! + HOUR_MS;
  return {
    origin,
    ts: Float64Array.from({ length: probability.length }, (_, i) => origin + i * HOUR_MS),
    quantiles: levels,
    values: levels.map((q) => probability.map((p) => bernoulliQuantile(p, q))),
    probability,
  };
}

/** The target as 0/1 (NaN unknown); anything else is refused, naming the first bad hour. */
export function checkEventTarget(frame: HourlyFrame, target: string, model: string): Float64Array {
  checkHourlyFrame(frame, [target], 'training');
  const y = frame.columns[target]!;
  const bad = y.findIndex((v) => !Number.isNaN(v) && v !== 0 && v !== 1);
  if (bad >= 0) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `${model} forecasts the probability of an event: its target must be 0/1 (such as stress_event), ` +
        `but "${target}" is ${y[bad]} at ${new Date(frame.ts[bad]!).toISOString()}.`,
      { column: target },
    );
  }
  if (!y.some((v) => !Number.isNaN(v))) {
    throw new DcgridError(ErrorCodes.TRAINING_DATA, `Target "${target}" has no values to learn from.`, {
      column: target,
    });
  }
  return y;
}

export { checkHorizon };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value, null, 2));
}

export function decodeJson<T>(files: ModelFiles, name: string, model: string, format: string): T {
  const bytes = files[name];
  if (bytes === undefined) {
    throw new DcgridError(ErrorCodes.MODEL, `The ${model} model files have no ${name}.`);
  }
  const parsed = JSON.parse(decoder.decode(bytes)) as { format?: string };
  if (parsed.format !== format) {
    throw new DcgridError(
      ErrorCodes.MODEL,
      `${name} is not a ${model} model (format ${String(parsed.format)}).`,
    );
  }
  return parsed as T;
}

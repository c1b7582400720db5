/**
 * Forecast origins of a backtest: every origin has `horizon` hours of actuals after it (within the
 * last known value of the target) and at least two weeks of history before it.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { HourlyFrame } from '../models/types.js';
import type { OriginSpec } from './config.js';

/** Less history than this before the first origin leaves nothing to fit. */
export const MIN_HISTORY_HOURS = 2 * 168;

const iso = (ms: number) => new Date(ms).toISOString();

/** Start of the hour after the last known value of `target` (NaN: nothing known). */
export function endOfActuals(frame: HourlyFrame, target: string): number {
  const y = frame.columns[target];
  if (y === undefined)
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `The frame has no column "${target}".`, {
      column: target,
    });
  for (let i = y.length - 1; i >= 0; i--) if (!Number.isNaN(y[i]!)) return frame.ts[i]! + HOUR_MS;
  return Number.NaN;
}

export function planOrigins(frame: HourlyFrame, target: string, horizon: number, spec: OriginSpec): number[] {
  const end = endOfActuals(frame, target);
  if (Number.isNaN(end)) {
    throw new DcgridError(ErrorCodes.TRAINING_DATA, `No value of "${target}" to backtest on.`, {
      column: target,
    });
  }
  const latest = end - horizon * HOUR_MS;
  const step = spec.everyH * HOUR_MS;
  let first: number;
  let last: number;
  if ('weeks' in spec) {
    // Origins sit on the grid originHour + k·everyH (UTC); the last one leaves `horizon` hours of actuals.
    const anchor = spec.originHour * HOUR_MS;
    last = anchor + Math.floor((latest - anchor) / step) * step;
    const windowStart = last - spec.weeks * 168 * HOUR_MS;
    first = last - Math.floor((last - windowStart - 1) / step) * step;
  } else {
    if (spec.from % HOUR_MS !== 0 || spec.to % HOUR_MS !== 0 || spec.to < spec.from) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `Origins must be whole hours with from <= to, got ${iso(spec.from)} .. ${iso(spec.to)}.`,
      );
    }
    first = spec.from;
    last = spec.from + Math.floor((spec.to - spec.from) / step) * step;
    if (last > latest) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `Origin ${iso(last)} has no ${horizon} hours of actuals after it: "${target}" is known until ${iso(end)}; ` +
          `the last possible origin is ${iso(latest)}.`,
      );
    }
  }
  const earliest = frame.ts[0]! + MIN_HISTORY_HOURS * HOUR_MS;
  if (first < earliest) {
    throw new DcgridError(
      ErrorCodes.TRAINING_DATA,
      `The first origin ${iso(first)} has less than ${MIN_HISTORY_HOURS} hours of history (data start at ` +
        `${iso(frame.ts[0]!)}); backtest fewer weeks or a later range.`,
    );
  }
  const origins: number[] = [];
  for (let origin = first; origin <= last; origin += step) origins.push(origin);
  return origins;
}

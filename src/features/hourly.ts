/**
 * Readings of any interval (15, 30, 60 min or longer) -> one value per UTC hour: the time-weighted
 * mean of the valid readings that overlap the hour, kept only when they cover at least 45 of its
 * 60 minutes (75 %). For equal intervals the time-weighted mean is the plain mean of the readings.
 */
import type { Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { SeriesName, SourceName } from '../sources/types.js';

/** One ingested series (one source, series and region), column-wise. */
export interface SeriesPoints {
  source: SourceName;
  series: SeriesName;
  region: Region;
  /** Interval start, UTC epoch ms. */
  ts: Float64Array;
  intervalMin: Int16Array | number[];
  /** NaN = published as missing. */
  values: Float64Array;
}

/** A contiguous run of UTC hours: hour i starts at start + i h. */
export interface HourGrid {
  start: number;
  hours: number;
}

export interface HourlySeries {
  /** NaN where the hour has no value. */
  values: Float64Array;
  /** 1 where the hour had readings but too few valid minutes (value NaN). */
  incomplete: Uint8Array;
}

/** Valid minutes an hour needs: 3 of 4 quarter-hours, 2 of 2 half-hours, the one hourly reading. */
export const MIN_VALID_MINUTES = 45;

const MINUTE_MS = 60_000;

export function describeSeries(points: Pick<SeriesPoints, 'source' | 'series' | 'region'>): string {
  return `${points.source}/${points.series}/${points.region}`;
}

function checkInterval(points: SeriesPoints, index: number, minutes: number | undefined): number {
  if (minutes === undefined || !Number.isInteger(minutes) || minutes <= 0) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `${describeSeries(points)}: reading ${index} has interval ${String(minutes)} min; expected a positive whole number of minutes`,
    );
  }
  return minutes;
}

export function aggregateHourly(points: SeriesPoints, grid: HourGrid): HourlySeries {
  const { hours, start: gridStart } = grid;
  const weightedSum = new Float64Array(hours);
  const validMinutes = new Float64Array(hours);
  const seen = new Uint8Array(hours);
  const { ts, values, intervalMin } = points;
  if (intervalMin.length !== ts.length || values.length !== ts.length) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `${describeSeries(points)}: ts, intervalMin and values differ in length (${ts.length}, ${intervalMin.length}, ${values.length})`,
    );
  }
  const gridEnd = gridStart + hours * HOUR_MS;
  for (let i = 0; i < ts.length; i++) {
    const minutes = checkInterval(points, i, intervalMin[i]);
    const from = ts[i]!;
    const to = from + minutes * MINUTE_MS;
    if (to <= gridStart || from >= gridEnd) continue;
    const value = values[i]!;
    const valid = Number.isFinite(value);
    let hour = Math.floor((from - gridStart) / HOUR_MS);
    let hourStart = gridStart + hour * HOUR_MS;
    if (to <= hourStart + HOUR_MS && hour >= 0) {
      // The common case: the reading lies inside one hour.
      seen[hour] = 1;
      if (valid) {
        weightedSum[hour]! += value * minutes;
        validMinutes[hour]! += minutes;
      }
      continue;
    }
    for (; hourStart < to && hour < hours; hour++, hourStart += HOUR_MS) {
      if (hour < 0) continue;
      const overlap = (Math.min(to, hourStart + HOUR_MS) - Math.max(from, hourStart)) / MINUTE_MS;
      seen[hour] = 1;
      if (valid) {
        weightedSum[hour]! += value * overlap;
        validMinutes[hour]! += overlap;
      }
    }
  }
  const result = new Float64Array(hours);
  const incomplete = new Uint8Array(hours);
  for (let h = 0; h < hours; h++) {
    if (validMinutes[h]! >= MIN_VALID_MINUTES) {
      result[h] = weightedSum[h]! / validMinutes[h]!;
    } else {
      result[h] = Number.NaN;
      incomplete[h] = seen[h]!;
    }
  }
  return { values: result, incomplete };
}

/** First and last hour (start, UTC ms) touched by a reading with a value; null when none has one. */
export function valueHourRange(points: SeriesPoints): { first: number; last: number } | null {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const { ts, values, intervalMin } = points;
  for (let i = 0; i < ts.length; i++) {
    if (!Number.isFinite(values[i]!)) continue;
    const from = ts[i]!;
    const to = from + checkInterval(points, i, intervalMin[i]) * MINUTE_MS;
    if (from < first) first = from;
    if (to > last) last = to;
  }
  if (first === Number.POSITIVE_INFINITY) return null;
  return {
    first: Math.floor(first / HOUR_MS) * HOUR_MS,
    last: Math.ceil(last / HOUR_MS) * HOUR_MS - HOUR_MS,
  };
}

/**
 * Feature rows for one (origin, horizon) pair. Origin index o means the forecast is issued at
 * ts[o]: only target values at indices < o are read. Horizon h targets index t = o + h - 1, whose
 * calendar fields (known in advance) are used. Target-valued features are expressed relative to
 * the level (mean of the last 168 h before the origin) and divided by a fixed scale, so one model
 * serves any load level and trends do not push features outside the training range.
 */
import { irishCalendar } from '../../features/calendar.js';
import { HOUR_MS } from '../../lib/time.js';
import type { HourlyFrame } from '../types.js';

export interface FeatureSpec {
  target: string;
  /** Other frame columns whose values before the origin are used (last value, 24 h mean). */
  pastColumns: readonly string[];
  /** Divisor that brings target values to unit scale (std of the training target). */
  scale: number;
  /** Adds the same hour and weekday 52 weeks back (sameHourLastYear). */
  yearLag: boolean;
}

/** Same hour and weekday a year back: 52 weeks. */
const YEAR_BACK_HOURS = 364 * 24;
/** Hours of history the features read: a year (the same weekday 52 weeks back) and a week. */
export const LOOKBACK_HOURS = YEAR_BACK_HOURS + 168;
/** The level is the mean over this window before the origin. */
const LEVEL_HOURS = 168;

const TARGET_FEATURES = [
  'horizon',
  'hour',
  'dow',
  'month',
  'holiday',
  'dst',
  'level',
  'last',
  'mean24h',
  'std24h',
  'std168h',
  'change24h',
  'change168h',
  'lag24h',
  'lag48h',
  'sameHourLastDay',
  'sameHourLastWeek',
  'sameHourTwoWeeksAgo',
  'sameHourMean7d',
] as const;

export function featureNames(spec: Pick<FeatureSpec, 'pastColumns' | 'yearLag'>): string[] {
  return [
    ...TARGET_FEATURES,
    ...(spec.yearLag ? ['sameHourLastYear'] : []),
    ...spec.pastColumns.flatMap((column) => [`${column}_last`, `${column}_mean24h`]),
  ];
}

interface OriginStats {
  level: number;
  last: number;
  mean24: number;
  std24: number;
  std168: number;
  change24: number;
  change168: number;
  past: number[];
}

function windowMean(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

function windowStd(values: Float64Array, from: number, to: number, mean: number): number {
  if (Number.isNaN(mean)) return Number.NaN;
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum += (v - mean) * (v - mean);
      count++;
    }
  }
  return count > 1 ? Math.sqrt(sum / (count - 1)) : Number.NaN;
}

function lastValue(values: Float64Array, before: number): number {
  return before > 0 && before <= values.length ? values[before - 1]! : Number.NaN;
}

/** Calendar fields of hours counted from ts[0], computed on first use (forecasts need only H). */
class CalendarTable {
  readonly #start: number;
  /** Per hour: [hour, dow, month, holiday, dst], or undefined until first asked. */
  readonly #rows: Array<readonly number[] | undefined>;

  constructor(start: number, hours: number) {
    this.#start = start;
    this.#rows = new Array<readonly number[] | undefined>(hours);
  }

  at(index: number): readonly number[] {
    let row = this.#rows[index];
    if (row === undefined) {
      const fields = irishCalendar(this.#start + index * HOUR_MS);
      row = [fields.hour, fields.dow, fields.month, fields.holiday ? 1 : 0, fields.dst ? 1 : 0];
      this.#rows[index] = row;
    }
    return row;
  }
}

export class FeatureBuilder {
  readonly names: string[];
  readonly width: number;
  readonly #target: Float64Array;
  readonly #past: Float64Array[];
  readonly #scale: number;
  readonly #yearLag: boolean;
  readonly #calendar: CalendarTable;
  readonly #stats = new Map<number, OriginStats>();

  /**
   * @param frame hourly data; origins may lie anywhere up to `frame.ts.length`
   * @param extraHours hours after the frame's end whose calendar fields may be requested (forecasts)
   */
  constructor(frame: HourlyFrame, spec: FeatureSpec, extraHours = 0) {
    this.names = featureNames(spec);
    this.width = this.names.length;
    this.#target = frame.columns[spec.target]!;
    this.#past = spec.pastColumns.map((column) => frame.columns[column]!);
    this.#scale = spec.scale;
    this.#yearLag = spec.yearLag;
    this.#calendar = new CalendarTable(frame.ts[0] ?? 0, frame.ts.length + extraHours);
  }

  /** Mean target over the 168 h before origin index o (NaN when none is known). */
  level(origin: number): number {
    return this.#originStats(origin).level;
  }

  #originStats(o: number): OriginStats {
    const cached = this.#stats.get(o);
    if (cached !== undefined) return cached;
    const y = this.#target;
    const level = windowMean(y, o - LEVEL_HOURS, o);
    const mean24 = windowMean(y, o - 24, o);
    const stats: OriginStats = {
      level,
      last: lastValue(y, o),
      mean24,
      std24: windowStd(y, o - 24, o, mean24),
      std168: windowStd(y, o - LEVEL_HOURS, o, level),
      change24: mean24 - windowMean(y, o - 48, o - 24),
      change168: level - windowMean(y, o - 2 * LEVEL_HOURS, o - LEVEL_HOURS),
      past: this.#past.flatMap((values) => [lastValue(values, o), windowMean(values, o - 24, o)]),
    };
    this.#stats.set(o, stats);
    return stats;
  }

  /** Target value at index i, only if it lies before the origin. */
  #before(i: number, origin: number): number {
    return i >= 0 && i < origin ? this.#target[i]! : Number.NaN;
  }

  /** Writes the feature row of (origin index o, horizon h) into out[offset .. offset + width). */
  fill(out: Float32Array, offset: number, o: number, h: number): void {
    const s = this.#originStats(o);
    const t = o + h - 1;
    const scale = this.#scale;
    const rel = (v: number): number => (v - s.level) / scale;
    const dayBack = 24 * Math.ceil(h / 24);
    const weekBack = 168 * Math.ceil(h / 168);
    let sameHourSum = 0;
    let sameHourCount = 0;
    for (let k = 0; k < 7; k++) {
      const v = this.#before(t - dayBack - 24 * k, o);
      if (!Number.isNaN(v)) {
        sameHourSum += v;
        sameHourCount++;
      }
    }
    const row = [
      h,
      ...this.#calendar.at(t),
      s.level / scale,
      rel(s.last),
      rel(s.mean24),
      s.std24 / scale,
      s.std168 / scale,
      s.change24 / scale,
      s.change168 / scale,
      rel(this.#before(t - 24, o)),
      rel(this.#before(t - 48, o)),
      rel(this.#before(t - dayBack, o)),
      rel(this.#before(t - weekBack, o)),
      rel(this.#before(t - weekBack - 168, o)),
      sameHourCount > 0 ? rel(sameHourSum / sameHourCount) : Number.NaN,
      ...(this.#yearLag ? [rel(this.#before(t - YEAR_BACK_HOURS, o))] : []),
      ...s.past,
    ];
    for (let j = 0; j < row.length; j++) out[offset + j] = row[j]!;
  }

  /** Feature rows of many pairs as one row-major matrix. */
  matrix(origins: ArrayLike<number>, horizons: ArrayLike<number>): Float32Array {
    const out = new Float32Array(origins.length * this.width);
    for (let r = 0; r < origins.length; r++) this.fill(out, r * this.width, origins[r]!, horizons[r]!);
    return out;
  }
}

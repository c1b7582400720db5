/**
 * From an hourly frame to the network's per-variable input matrices.
 *
 * Variables (one-hot widths in brackets):
 * - static: region [3], target_level, target_spread (mean and standard deviation of the observed,
 *   normalised target over the window's encoder part);
 * - encoder (past-observed + known): target, target_missing, one real per past column, then the
 *   known inputs;
 * - decoder (known-future): hour [24], dow [7], month [12], holiday [2] (Irish local calendar),
 *   `festive` (0/1, 24 December to 1 January) when enabled, dst (0/1), time_index
 *   ((t - origin) / horizon), then per seasonal lag L: `lag_<L>h`, the target at the latest hour
 *   before the origin in the same phase of an L-hour cycle (t - L for h <= L, t - 2L beyond, ...),
 *   and `lag_<L>h_off`, 1 when that lagged hour fell on a holiday or festive day.
 *
 * Target scaling: values are standardised with the training mean and standard deviation; with
 * `targetScaling: 'window'` every target-valued input (encoder target, lags) and the decoder
 * targets are also shifted by the window's level (mean of the observed encoder target), so the
 * network forecasts the deviation from the last week's mean and the level is added back.
 *
 * Missing values: the target and past columns are normalised with the training statistics, then
 * forward-filled (a gap before the first observation gets 0, the training mean); `target_missing`
 * flags the hours whose target was filled. Forward filling only looks back, the encoder reads rows
 * before the origin only and every lag reads a row before the origin, so nothing at or after the
 * origin reaches the inputs.
 */
import { REGIONS, type Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS, utcToIrishWallMs } from '../../lib/time.js';
import { irishCalendar } from '../../features/calendar.js';
import type { HourlyFrame } from '../types.js';
import { inputWidth, type VariableSpec } from './vsn.js';

export interface ColumnStats {
  mean: number;
  std: number;
}

export type TargetScaling = 'global' | 'window';

/** Which known inputs a model has besides the basic calendar; absent fields mean none (format 1 models). */
export interface KnownInputOptions {
  /** Periods (hours) of the seasonal target lags. */
  seasonalLags?: readonly number[];
  /** The 24 December - 1 January flag. */
  festive?: boolean;
}

export interface FeatureSettings extends KnownInputOptions {
  target: string;
  region: Region;
  pastColumns: string[];
  encoderLength: number;
  horizon: number;
  normalisation: { target: ColumnStats; past: Record<string, ColumnStats> };
  /** 'global' (default): training mean and std only; 'window': relative to the window's level too. */
  targetScaling?: TargetScaling;
  /** Hours before the origin whose observed target mean is the window's level (default: the encoder length). */
  levelHours?: number;
}

/** The basic calendar inputs every model has, in input order (format 1 models have exactly these). */
export const KNOWN_VARIABLES: readonly VariableSpec[] = [
  { name: 'hour', kind: 'categorical', cardinality: 24 },
  { name: 'dow', kind: 'categorical', cardinality: 7 },
  { name: 'month', kind: 'categorical', cardinality: 12 },
  { name: 'holiday', kind: 'categorical', cardinality: 2 },
  { name: 'dst', kind: 'real' },
  { name: 'time_index', kind: 'real' },
];

/** Known inputs in input order: hour, dow, month, holiday, [festive], dst, time_index, [lags]. */
export function knownVariables(options: KnownInputOptions = {}): VariableSpec[] {
  const [hour, dow, month, holiday, dst, timeIndex] = KNOWN_VARIABLES as [
    VariableSpec,
    VariableSpec,
    VariableSpec,
    VariableSpec,
    VariableSpec,
    VariableSpec,
  ];
  return [
    hour,
    dow,
    month,
    holiday,
    ...(options.festive ? [{ name: 'festive', kind: 'real' } as const] : []),
    dst,
    timeIndex,
    ...(options.seasonalLags ?? []).flatMap((period): VariableSpec[] => [
      { name: `lag_${period}h`, kind: 'real' },
      { name: `lag_${period}h_off`, kind: 'real' },
    ]),
  ];
}

/** Rows a lag reaches back before the encoder: the longest period. */
export function lagReach(options: KnownInputOptions): number {
  return Math.max(0, ...(options.seasonalLags ?? []));
}

/**
 * Row of the lag of `period` hours for row `row` of a window starting at `origin`: one period back
 * for encoder rows, and for decoder rows the latest row before the origin in the same phase.
 */
export function lagRow(row: number, origin: number, period: number): number {
  const periods = row < origin ? 1 : Math.floor((row - origin) / period) + 1;
  return row - periods * period;
}

export function staticVariables(): VariableSpec[] {
  return [
    { name: 'region', kind: 'categorical', cardinality: REGIONS.length },
    { name: 'target_level', kind: 'real' },
    { name: 'target_spread', kind: 'real' },
  ];
}

export function encoderVariables(
  pastColumns: readonly string[],
  options: KnownInputOptions = {},
): VariableSpec[] {
  return [
    { name: 'target', kind: 'real' },
    { name: 'target_missing', kind: 'real' },
    ...pastColumns.map((column): VariableSpec => ({ name: `past.${column}`, kind: 'real' })),
    ...knownVariables(options),
  ];
}

export function decoderVariables(options: KnownInputOptions = {}): VariableSpec[] {
  return knownVariables(options);
}

/** Mean and standard deviation of the finite values of `values[0, end)`; std 1 when degenerate. */
export function columnStats(values: Float64Array, end: number): ColumnStats {
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < end; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    count++;
    sum += v;
    sumSquares += v * v;
  }
  if (count === 0) return { mean: 0, std: 1 };
  const mean = sum / count;
  const variance = Math.max(0, sumSquares / count - mean * mean);
  const std = Math.sqrt(variance);
  return { mean, std: std > 1e-9 * Math.max(1, Math.abs(mean)) ? std : 1 };
}

interface CalendarColumns {
  /** Row index of the first entry (may be negative: hours before the frame). */
  first: number;
  hour: Uint8Array;
  dow: Uint8Array;
  month: Uint8Array;
  holiday: Uint8Array;
  /** 24 December - 1 January (local dates). */
  festive: Uint8Array;
  dst: Uint8Array;
}

/** A frame made ready for window building: normalised, imputed, with calendar columns. */
export interface PreparedSeries {
  /** UTC ms of row 0. */
  start: number;
  length: number;
  /** Normalised target, NaN where missing (for loss targets and the static level/spread). */
  target: Float32Array;
  /** Normalised target, forward-filled. */
  targetFilled: Float32Array;
  /** One forward-filled, normalised array per past column. */
  past: Float32Array[];
  calendar: CalendarColumns;
}

function normaliseFilled(
  values: Float64Array,
  stats: ColumnStats,
): { raw: Float32Array; filled: Float32Array } {
  const raw = new Float32Array(values.length);
  const filled = new Float32Array(values.length);
  let last = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      last = (v - stats.mean) / stats.std;
      raw[i] = last;
    } else {
      raw[i] = Number.NaN;
    }
    filled[i] = last;
  }
  return { raw, filled };
}

function calendarColumns(start: number, first: number, count: number): CalendarColumns {
  const columns: CalendarColumns = {
    first,
    hour: new Uint8Array(count),
    dow: new Uint8Array(count),
    month: new Uint8Array(count),
    holiday: new Uint8Array(count),
    festive: new Uint8Array(count),
    dst: new Uint8Array(count),
  };
  for (let i = 0; i < count; i++) {
    const utc = start + (first + i) * HOUR_MS;
    const fields = irishCalendar(utc);
    columns.hour[i] = fields.hour;
    columns.dow[i] = fields.dow;
    columns.month[i] = fields.month;
    columns.holiday[i] = fields.holiday ? 1 : 0;
    columns.festive[i] = isFestive(utc) ? 1 : 0;
    columns.dst[i] = fields.dst ? 1 : 0;
  }
  return columns;
}

/** 24 December to 1 January, Irish local dates: the Christmas shutdown, when demand drops 10-20 %. */
export function isFestive(utcMs: number): boolean {
  const wall = new Date(utcToIrishWallMs(utcMs));
  const month = wall.getUTCMonth();
  const day = wall.getUTCDate();
  return (month === 11 && day >= 24) || (month === 0 && day === 1);
}

export function checkHourlyGrid(frame: HourlyFrame): void {
  const n = frame.ts.length;
  if (n === 0) return;
  for (let i = 1; i < n; i++) {
    if (frame.ts[i]! - frame.ts[i - 1]! !== HOUR_MS) {
      throw new DcgridError(ErrorCodes.INPUT_CORRUPT, `hourly frame is not contiguous at row ${i + 1}`, {
        row: i + 1,
        column: 'ts',
      });
    }
  }
}

/**
 * Normalises and imputes the frame's columns and computes the calendar for rows
 * [calendarRows.from, calendarRows.to): by default every row a window may touch, `encoderLength`
 * plus the longest lag hours before row 0 to `horizon` hours after the last row.
 */
export function prepareSeries(
  frame: HourlyFrame,
  settings: FeatureSettings,
  calendarRows?: { from: number; to: number },
): PreparedSeries {
  const length = frame.ts.length;
  const column = (name: string) => {
    const values = frame.columns[name];
    if (!values)
      throw new DcgridError(ErrorCodes.HEADER_MISSING, `frame has no column "${name}"`, { column: name });
    if (values.length !== length) {
      throw new DcgridError(
        ErrorCodes.INPUT_CORRUPT,
        `column "${name}" has ${values.length} values for ${length} hours`,
        {
          column: name,
        },
      );
    }
    return values;
  };
  const target = normaliseFilled(column(settings.target), settings.normalisation.target);
  const past = settings.pastColumns.map((name) => {
    const stats = settings.normalisation.past[name];
    if (!stats)
      throw new DcgridError(ErrorCodes.MODEL, `no normalisation statistics for past column "${name}"`);
    return normaliseFilled(column(name), stats).filled;
  });
  const start = length > 0 ? frame.ts[0]! : 0;
  return {
    start,
    length,
    target: target.raw,
    targetFilled: target.filled,
    past,
    calendar: calendarRows
      ? calendarColumns(start, calendarRows.from, calendarRows.to - calendarRows.from)
      : calendarColumns(
          start,
          -(settings.encoderLength + lagReach(settings)),
          settings.encoderLength + lagReach(settings) + length + settings.horizon,
        ),
  };
}

/** One array per variable ([rows, width] row-major), plus targets when asked for. */
export interface BatchArrays {
  batch: number;
  static: Float32Array[];
  encoder: Float32Array[];
  decoder: Float32Array[];
  /**
   * Per window, what the network's outputs are relative to in normalised units: the window's level
   * with 'window' scaling, else 0. A forecast is (output + offset) · std + mean.
   */
  offsets: Float32Array;
  /** Normalised decoder targets [B, horizon] minus the window's offset, 0 where missing. */
  targets?: Float32Array;
  /** 1 where the target exists (and lies at or after `scoreFrom`), else 0. */
  mask?: Float32Array;
}

export interface BatchRequest {
  /** Origins as row indices: the encoder reads rows [o - Te, o), the decoder covers [o, o + H). */
  origins: readonly number[];
  withTargets: boolean;
  /** Targets at rows before this index are masked out (validation windows reaching back into training rows). */
  scoreFrom?: number;
}

function calendarIndex(series: PreparedSeries, row: number): number {
  const c = row - series.calendar.first;
  if (c < 0 || c >= series.calendar.hour.length) {
    throw new DcgridError(ErrorCodes.MODEL, `calendar row ${row} outside the prepared range`);
  }
  return c;
}

/**
 * Writes the known inputs of `rows` consecutive hours starting at row `from` into `out[k]` from
 * row `offset`; `level` is subtracted from the lagged target values.
 */
function writeKnown(
  series: PreparedSeries,
  settings: FeatureSettings,
  out: Float32Array[],
  window: { offset: number; from: number; rows: number; origin: number; level: number },
): void {
  const cal = series.calendar;
  let k = 0;
  const next = () => out[k++]!;
  const hour = next();
  const dow = next();
  const month = next();
  const holiday = next();
  const festive = settings.festive ? next() : undefined;
  const dst = next();
  const timeIndex = next();
  const lags = (settings.seasonalLags ?? []).map((period) => ({ period, value: next(), off: next() }));
  const { offset, from, rows, origin, level } = window;
  for (let s = 0; s < rows; s++) {
    const row = from + s;
    const c = calendarIndex(series, row);
    const r = offset + s;
    hour[r * 24 + cal.hour[c]!] = 1;
    dow[r * 7 + cal.dow[c]!] = 1;
    month[r * 12 + cal.month[c]!] = 1;
    holiday[r * 2 + cal.holiday[c]!] = 1;
    if (festive) festive[r] = cal.festive[c]!;
    dst[r] = cal.dst[c]!;
    timeIndex[r] = (row - origin) / settings.horizon;
    for (const lag of lags) {
      const source = lagRow(row, origin, lag.period);
      // Hours before the frame count as the window's level (0 after the shift).
      lag.value[r] = source >= 0 ? series.targetFilled[source]! - level : 0;
      const l = calendarIndex(series, source);
      lag.off[r] = cal.holiday[l]! | cal.festive[l]!;
    }
  }
}

/** Mean of the observed normalised target in [origin - hours, origin); `fallback` when there is none. */
function windowLevel(series: PreparedSeries, origin: number, hours: number, fallback: number): number {
  let sum = 0;
  let count = 0;
  for (let row = Math.max(0, origin - hours); row < Math.min(origin, series.length); row++) {
    const value = series.target[row]!;
    if (Number.isNaN(value)) continue;
    sum += value;
    count++;
  }
  return count > 0 ? sum / count : fallback;
}

export function buildBatch(
  series: PreparedSeries,
  settings: FeatureSettings,
  request: BatchRequest,
): BatchArrays {
  const { encoderLength: te, horizon: td } = settings;
  const batch = request.origins.length;
  const relative = settings.targetScaling === 'window';
  const regionIndex = REGIONS.indexOf(settings.region);
  const region = new Float32Array(batch * REGIONS.length);
  const level = new Float32Array(batch);
  const spread = new Float32Array(batch);
  const offsets = new Float32Array(batch);
  const target = new Float32Array(batch * te);
  const missing = new Float32Array(batch * te);
  const past = settings.pastColumns.map(() => new Float32Array(batch * te));
  const knownWidths = knownVariables(settings).map(inputWidth);
  const encoderKnown = knownWidths.map((w) => new Float32Array(w * batch * te));
  const decoderKnown = knownWidths.map((w) => new Float32Array(w * batch * td));
  const targets = request.withTargets ? new Float32Array(batch * td) : undefined;
  const mask = request.withTargets ? new Float32Array(batch * td) : undefined;

  request.origins.forEach((origin, b) => {
    region[b * REGIONS.length + regionIndex] = 1;
    let count = 0;
    let sum = 0;
    let sumSquares = 0;
    for (let s = 0; s < te; s++) {
      const row = origin - te + s;
      if (row < 0 || row >= series.length) continue;
      const observed = series.target[row]!;
      if (Number.isNaN(observed)) continue;
      count++;
      sum += observed;
      sumSquares += observed * observed;
    }
    if (count > 0) {
      const mean = sum / count;
      level[b] = mean;
      spread[b] = Math.sqrt(Math.max(0, sumSquares / count - mean * mean));
    }
    const shift = relative ? windowLevel(series, origin, settings.levelHours ?? te, level[b]!) : 0;
    offsets[b] = shift;
    for (let s = 0; s < te; s++) {
      const row = origin - te + s;
      const r = b * te + s;
      if (row < 0 || row >= series.length) {
        missing[r] = 1;
        continue;
      }
      target[r] = series.targetFilled[row]! - shift;
      if (Number.isNaN(series.target[row]!)) missing[r] = 1;
      for (let p = 0; p < past.length; p++) past[p]![r] = series.past[p]![row]!;
    }
    writeKnown(series, settings, encoderKnown, {
      offset: b * te,
      from: origin - te,
      rows: te,
      origin,
      level: shift,
    });
    writeKnown(series, settings, decoderKnown, {
      offset: b * td,
      from: origin,
      rows: td,
      origin,
      level: shift,
    });
    if (targets && mask) {
      const scoreFrom = request.scoreFrom ?? 0;
      for (let h = 0; h < td; h++) {
        const row = origin + h;
        if (row >= series.length || row < scoreFrom) continue;
        const y = series.target[row]!;
        if (Number.isNaN(y)) continue;
        targets[b * td + h] = y - shift;
        mask[b * td + h] = 1;
      }
    }
  });

  return {
    batch,
    static: [region, level, spread],
    encoder: [target, missing, ...past, ...encoderKnown],
    decoder: decoderKnown,
    offsets,
    ...(targets && mask ? { targets, mask } : {}),
  };
}

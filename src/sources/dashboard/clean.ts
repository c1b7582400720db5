/**
 * Turns dashboard rows into observations: Irish wall time -> UTC (spring-gap rows dropped, the
 * autumn hour that is published once read as its first occurrence), month-boundary repeats and
 * rows outside the file's period dropped, conflicting repeats rejected.
 */
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes, type ErrorLocation } from '../../lib/errors.js';
import { isPhysical, physicalError } from '../bounds.js';
import {
  HOUR_MS,
  classifyIrishWall,
  formatDashboardDate,
  irishClockChangeDays,
  irishSummerTimeUtc,
  irishWallToUtcMs,
  isoDate,
  parseDashboardWall,
} from '../../lib/time.js';
import { emptyQuality, type Observation, type ParseQuality } from '../types.js';
import { FIELDS, REGION_OF_CODE, type FieldSpec, shiftDecimal } from './fields.js';
import type { FilePeriod } from './period.js';

interface DayInfo {
  key: string;
  /** Midnight of the day, wall clock. */
  wall: number;
  date: string;
  kind: 'normal' | 'spring' | 'autumn';
  /** Wall minus UTC on a normal day. */
  offsetMs: number;
  /** Spring: the wall hour that never happens starts here. */
  gapFrom: number;
}

interface SeriesState {
  field: string;
  regionCode: string;
  spec: FieldSpec;
  region: Region;
  /** Records in strictly increasing time, with the source row of each (for error messages). */
  sorted: Observation[];
  /** Off-heap, so the young-generation collector does not copy it as it grows. */
  sortedRows: Int32Array;
  /** Records that arrived out of order, by UTC minute. */
  extra: Map<number, { record: Observation; row: number }>;
  /** Autumn: how often each ambiguous wall time was seen (1 = only the first occurrence). */
  ambiguousSeen: Map<number, number>;
}

const DIGIT_0 = 48;
const MINUTE_MS = 60_000;

/** The number written by two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - DIGIT_0;
  const ones = text.charCodeAt(at + 1) - DIGIT_0;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

export class DashboardCleaner {
  private readonly quality: ParseQuality = emptyQuality();
  private readonly states = new Map<string, SeriesState>();
  private readonly dstDays = new Set<string>();
  private day: DayInfo | undefined;
  /** Each day's facts, worked out once (month-boundary repeats revisit days). */
  private readonly days = new Map<string, DayInfo>();
  private state: SeriesState | undefined;
  private shiftedGapRows = 0;
  private filledRepeats = 0;
  private emptiedRepeats = 0;

  /**
   * `positions` says what the row numbers given to `add` are: physical lines of a CSV file, or
   * 1-based entries of a JSON `Rows` array (named `Rows[index]`, 0-based, in messages).
   */
  constructor(
    private readonly file: string,
    private readonly period: FilePeriod | undefined,
    private readonly positions: 'lines' | 'json-rows' = 'lines',
  ) {}

  /** Where row `row` is, for an error: its line, or its `Rows[...]` entry. */
  private at(row: number, column?: string): ErrorLocation {
    const place: ErrorLocation =
      this.positions === 'lines'
        ? { file: this.file, line: row }
        : { file: this.file, entry: `Rows[${row - 1}]` };
    return column === undefined ? place : { ...place, column };
  }

  private label(row: number): string {
    return this.positions === 'lines' ? `line ${row}` : `Rows[${row - 1}]`;
  }

  /** One row (`row` 1-based as the file shows it). Throws a DcgridError naming the cell. */
  add(row: number, time: string, field: string, regionCode: string, raw: string | number | null): void {
    this.quality.rowsRead++;
    const wall = this.wallTime(row, time);
    const state = this.seriesState(row, field, regionCode);
    const read = this.number(row, raw);
    const value = read !== null && state.spec.percent ? shiftDecimal(read, -2) : read;
    if (value !== null && !isPhysical(state.spec.series, value)) {
      throw physicalError(state.spec.series, value, this.at(row, 'Value'), `Value "${String(raw)}"`);
    }
    const day = this.day!;

    if (this.period !== undefined && (wall < this.period.fromWall || wall >= this.period.toWall)) {
      this.quality.outOfPeriodDropped++;
      return;
    }
    let utc: number;
    if (day.kind === 'normal') utc = wall - day.offsetMs;
    else {
      const kind = classifyIrishWall(wall);
      if (kind === 'gap') {
        if (value !== null) {
          throw new DcgridError(
            ErrorCodes.VALUE_INVALID,
            `EffectiveTime "${time}" never happened (the hour skipped when the clocks go forward) ` +
              `but carries the value ${String(raw)}`,
            this.at(row, 'EffectiveTime'),
          );
        }
        this.quality.dstGapRowsDropped++;
        return;
      }
      let second = false;
      if (kind === 'ambiguous') {
        const seen = (state.ambiguousSeen.get(wall) ?? 0) + 1;
        state.ambiguousSeen.set(wall, seen);
        second = seen === 2;
      }
      utc = irishWallToUtcMs(wall, second)!;
    }
    this.store(state, row, time, wall, utc, value);
  }

  /**
   * Rows mostly arrive in time order, so records are appended to a sorted list and a repeat is
   * found by binary search; the rare row that goes back in time without repeating one lands in
   * `extra` (merged at the end).
   */
  private store(
    state: SeriesState,
    row: number,
    time: string,
    wall: number,
    utc: number,
    value: number | null,
  ) {
    const sorted = state.sorted;
    const count = sorted.length;
    if (count === 0 || utc > sorted[count - 1]!.tsUtc) {
      if (count === state.sortedRows.length) {
        const grown = new Int32Array(count * 2);
        grown.set(state.sortedRows);
        state.sortedRows = grown;
      }
      state.sortedRows[count] = row;
      sorted.push(this.observation(state, utc, value));
      return;
    }
    const index = findTime(sorted, utc);
    if (index >= 0) {
      if (this.repeat(state, sorted[index]!, state.sortedRows[index]!, row, time, wall, value)) {
        state.sortedRows[index] = row;
      }
      return;
    }
    const minute = utc / MINUTE_MS;
    const earlier = state.extra.get(minute);
    if (earlier === undefined) {
      state.extra.set(minute, { record: this.observation(state, utc, value), row });
    } else if (this.repeat(state, earlier.record, earlier.row, row, time, wall, value)) {
      earlier.row = row;
    }
  }

  private observation(state: SeriesState, utc: number, value: number | null): Observation {
    return {
      series: state.spec.series,
      region: state.region,
      tsUtc: utc,
      intervalMin: state.spec.intervalMin,
      value,
    };
  }

  /** A second row for a time already stored; returns true when the later row replaced the earlier one. */
  private repeat(
    state: SeriesState,
    record: Observation,
    firstRow: number,
    row: number,
    time: string,
    wall: number,
    value: number | null,
  ): boolean {
    this.quality.duplicatesDropped++;
    if (record.value === value) return false;
    if (value === null) {
      this.emptiedRepeats++;
      return false;
    }
    if (record.value === null) {
      record.value = value;
      this.filledRepeats++;
      return true;
    }
    const day = this.day!;
    if (day.kind === 'spring' && wall >= day.gapFrom + HOUR_MS && wall < day.gapFrom + 2 * HOUR_MS) {
      // The skipped hour's slots published under the next hour's label (seen in SNSP 2021):
      // the later row is the one that belongs there.
      this.quality.duplicatesDropped--;
      this.quality.dstGapRowsDropped++;
      this.shiftedGapRows++;
      record.value = value;
      return true;
    }
    throw new DcgridError(
      ErrorCodes.DUPLICATE_CONFLICT,
      `${this.label(firstRow)} and ${this.label(row)} both give ${state.field} ${state.regionCode} at ${time} ` +
        `(${new Date(record.tsUtc).toISOString()}) with different values (${record.value} and ${value})`,
      this.at(row, 'Value'),
    );
  }

  private wallTime(row: number, time: string): number {
    if (this.day === undefined || !time.startsWith(this.day.key))
      this.day = this.dayInfo(row, time, time.slice(0, 11));
    // HH:MM or HH:MM:SS after "dd-Mon-yyyy ".
    const length = time.length;
    const withSeconds = length === 20;
    if ((length !== 17 && !withSeconds) || time.charCodeAt(11) !== 32 || time.charCodeAt(14) !== 58) {
      throw this.badTime(row, time);
    }
    const hours = twoDigits(time, 12);
    const minutes = twoDigits(time, 15);
    const seconds = withSeconds && time.charCodeAt(17) === 58 ? twoDigits(time, 18) : withSeconds ? -1 : 0;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
      throw this.badTime(row, time);
    }
    return this.day.wall + ((hours * 60 + minutes) * 60 + seconds) * 1000;
  }

  private dayInfo(row: number, time: string, key: string): DayInfo {
    const wall = parseDashboardWall(`${key} 00:00:00`);
    if (Number.isNaN(wall) || formatDashboardDate(wall).toLowerCase() !== key.toLowerCase()) {
      throw this.badTime(row, time);
    }
    const date = isoDate(wall);
    const year = new Date(wall).getUTCFullYear();
    const changes = irishClockChangeDays(year);
    const kind = date === changes.spring ? 'spring' : date === changes.autumn ? 'autumn' : 'normal';
    if (kind !== 'normal') this.dstDays.add(date);
    const noon = wall + 12 * HOUR_MS;
    const info: DayInfo = {
      key,
      wall,
      date,
      kind,
      offsetMs: noon - irishWallToUtcMs(noon)!,
      gapFrom: irishSummerTimeUtc(year)[0],
    };
    this.days.set(key, info);
    return info;
  }

  private badTime(row: number, time: string): DcgridError {
    return new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `EffectiveTime "${time}" is not a dd-Mon-yyyy HH:MM:SS time`,
      this.at(row, 'EffectiveTime'),
    );
  }

  private seriesState(row: number, field: string, regionCode: string): SeriesState {
    const cached = this.state;
    if (cached !== undefined && cached.field === field && cached.regionCode === regionCode) return cached;
    const key = `${field}|${regionCode}`;
    let state = this.states.get(key);
    if (state === undefined) {
      const spec = FIELDS[field];
      if (spec === undefined) {
        throw new DcgridError(
          ErrorCodes.VALUE_INVALID,
          `unknown FieldName "${field}" (known: ${Object.keys(FIELDS).join(', ')})`,
          this.at(row, 'FieldName'),
        );
      }
      const region = REGION_OF_CODE[regionCode];
      if (region === undefined) {
        throw new DcgridError(
          ErrorCodes.REGION_UNKNOWN,
          `unknown Region "${regionCode}" (known: ${Object.keys(REGION_OF_CODE).join(', ')})`,
          this.at(row, 'Region'),
        );
      }
      state = {
        field,
        regionCode,
        spec,
        region,
        sorted: [],
        sortedRows: new Int32Array(1024),
        extra: new Map(),
        ambiguousSeen: new Map(),
      };
      this.states.set(key, state);
    }
    this.state = state;
    return state;
  }

  private number(row: number, raw: string | number | null): number | null {
    if (raw === null) return null;
    if (typeof raw === 'number') {
      if (Number.isFinite(raw)) return raw;
    } else {
      if (raw.length === 0) return null;
      const value = Number(raw);
      if (value === 0 && raw.trim() === '') return null;
      if (Number.isFinite(value)) return value;
    }
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `Value "${String(raw)}" is not a number`,
      this.at(row, 'Value'),
    );
  }

  /** The observations, grouped by series and sorted by time, and what was noticed on the way. */
  finish(): { records: Observation[]; quality: ParseQuality } {
    const quality = this.quality;
    let records: Observation[] = [];
    const autumnMissing = new Map<string, string[]>();
    for (const state of this.states.values()) {
      let series = state.sorted;
      if (state.extra.size > 0) {
        series = [...series, ...[...state.extra.values()].map((entry) => entry.record)];
        series.sort((a, b) => a.tsUtc - b.tsUtc);
      }
      const intervalMin = detectInterval(series) ?? state.spec.intervalMin;
      if (intervalMin !== state.spec.intervalMin) {
        quality.notes.push(
          `${state.field} ${state.regionCode}: rows are ${intervalMin} minutes apart (usually ${state.spec.intervalMin})`,
        );
      }
      const retag = intervalMin !== state.spec.intervalMin;
      for (const record of series) {
        if (retag) record.intervalMin = intervalMin;
        if (record.value === null) quality.emptyValues++;
      }
      // Most files hold one series: hand its list over rather than copy it.
      if (records.length === 0) records = series;
      else for (const record of series) records.push(record);
      for (const [wall, seen] of state.ambiguousSeen) {
        if (seen !== 1) continue;
        const date = isoDate(wall);
        const list = autumnMissing.get(date) ?? [];
        const label = `${state.field} ${state.regionCode}`;
        if (!list.includes(label)) list.push(label);
        autumnMissing.set(date, list);
      }
    }
    for (const [date, labels] of autumnMissing) {
      quality.notes.push(
        `${date}: the repeated hour 01:00-01:59 local is published once (${labels.join(', ')}); ` +
          'read as its first (IST) occurrence, 00:00-00:59Z, so 01:00-01:59Z (the GMT occurrence) is missing',
      );
    }
    if (this.shiftedGapRows > 0) {
      quality.notes.push(
        `${this.shiftedGapRows} row(s) just after the spring gap were repeated with another value ` +
          '(the skipped hour published under the next label); kept the later row',
      );
    }
    if (this.filledRepeats > 0) {
      quality.notes.push(
        `${this.filledRepeats} empty value(s) were filled by a later repeat of the same time`,
      );
    }
    if (this.emptiedRepeats > 0) {
      quality.notes.push(
        `${this.emptiedRepeats} repeat(s) were empty where an earlier row had a value (kept the value)`,
      );
    }
    quality.dstDays = [...this.dstDays].sort();
    return { records, quality };
  }
}

/** Index of the record at `utc` in a list sorted by time, or -1. */
function findTime(sorted: readonly Observation[], utc: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle]!.tsUtc;
    if (at === utc) return middle;
    if (at < utc) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The most common step between consecutive records, in minutes (undefined with fewer than 2). */
function detectInterval(records: readonly Observation[]): number | undefined {
  const counts = new Map<number, number>();
  // Steps come in long runs of one value: count runs, not single steps, in the map.
  let runStep = Number.NaN;
  let runLength = 0;
  for (let i = 1; i <= records.length; i++) {
    const step = i < records.length ? records[i]!.tsUtc - records[i - 1]!.tsUtc : Number.NaN;
    if (step === runStep) {
      runLength++;
      continue;
    }
    if (runLength > 0) counts.set(runStep, (counts.get(runStep) ?? 0) + runLength);
    runStep = step;
    runLength = 1;
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) [best, bestCount] = [step, count];
  }
  return best === undefined ? undefined : best / 60_000;
}

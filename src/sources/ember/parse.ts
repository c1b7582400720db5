/**
 * Ember's hourly wholesale price file for Ireland (`Ireland.csv`, one member of Ember's
 * `european_wholesale_electricity_price_data_hourly.zip`).
 *
 * Three corrections turn it into true SEM day-ahead prices:
 * - every Irish timestamp is 24 h late (see docs/sources/markets-and-cso.md for the evidence),
 *   so 24 h are subtracted;
 * - runs of 24 or more identical hourly values are flat fills of missing data and become missing;
 * - `Datetime (Local)` is checked against `Datetime (UTC)` and disagreements are reported.
 */
import { readTextFile } from '../text-file.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS, clockChangeDaysBetween, isoHour, utcToIrishWallMs } from '../../lib/time.js';
import {
  parseDateTimeCell,
  parseNumberCell,
  readCsvRecords,
  resolveColumns,
  utcMsOf,
  type ColumnSpec,
} from '../csv-lines.js';
import { checkPhysical } from '../bounds.js';
import { emptyQuality, type Observation, type ParseOptions, type ParseResult } from '../types.js';
import { findConstantRuns } from './flat-fills.js';

/** How late Ember's Irish timestamps are. */
export const EMBER_TIMESTAMP_LAG_MS = 24 * HOUR_MS;
/** Shortest run of identical hourly prices treated as a flat fill. */
export const FLAT_FILL_MIN_HOURS = 24;
/** Shorter identical runs from this length up are kept but mentioned in the notes. */
export const NOTICEABLE_RUN_HOURS = 12;
/** Start of SEM trading day 1 Oct 2025 (23:00 IST on 30 Sep): the day-ahead market turns half-hourly. */
export const SEM_HALF_HOURLY_FROM_UTC = Date.UTC(2025, 8, 30, 22);

export const EMBER_COLUMNS = {
  country: { name: 'Country' },
  iso3: { name: 'ISO3 Code' },
  utc: { name: 'Datetime (UTC)' },
  local: { name: 'Datetime (Local)' },
  price: { name: 'Price (EUR/MWhe)', aliases: ['Price (EUR/MWh)'] },
} satisfies Record<string, ColumnSpec>;

interface EmberRow {
  /** Ember's own UTC timestamp (24 h late). */
  emberUtc: number;
  value: number | null;
  row: number;
}

export async function parseEmberFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  return parseEmberCsv(await readTextFile(path, options.displayName ?? path), options.displayName ?? path);
}

export function parseEmberCsv(text: string, file: string): ParseResult {
  const { rows, localMismatches } = readRows(text, file);
  const sorted = dropDuplicates(rows, file);
  const quality = emptyQuality();
  quality.rowsRead = rows.length;
  quality.duplicatesDropped = rows.length - sorted.length;

  const tsUtc = sorted.map((r) => r.emberUtc - EMBER_TIMESTAMP_LAG_MS);
  const values = sorted.map((r) => r.value);
  quality.emptyValues = values.filter((v) => v === null).length;

  const runs = findConstantRuns(tsUtc, values, HOUR_MS, NOTICEABLE_RUN_HOURS);
  for (const run of runs) {
    const hours = run.end - run.start;
    const from = tsUtc[run.start] as number;
    if (hours >= FLAT_FILL_MIN_HOURS) {
      values.fill(null, run.start, run.end);
      quality.flatFills.push({
        series: 'price_eur_mwh',
        from,
        to: from + hours * HOUR_MS,
        value: run.value,
        hours,
      });
    } else {
      quality.notes.push(
        `kept a run of ${hours} identical hourly prices (${run.value} EUR/MWh from ${isoHour(from)}): shorter than ${FLAT_FILL_MIN_HOURS} h`,
      );
    }
  }

  const records: Observation[] = tsUtc.map((ts, i) => ({
    series: 'price_eur_mwh',
    region: 'IE',
    tsUtc: ts,
    intervalMin: 60,
    value: values[i] ?? null,
  }));
  addNotes(quality, tsUtc, localMismatches);
  return { source: 'ember', file, records, quality };
}

function readRows(text: string, file: string): { rows: EmberRow[]; localMismatches: number[] } {
  const records = readCsvRecords(text, { file });
  const first = records.next();
  if (first.done) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  const header = first.value.fields;
  const col = resolveColumns(header, EMBER_COLUMNS, { file, line: first.value.row });
  const rows: EmberRow[] = [];
  const localMismatches: number[] = [];
  for (const { fields, row } of records) {
    const cell = (index: number) => fields[index] ?? '';
    const country = cell(col.country).trim();
    const iso3 = cell(col.iso3).trim();
    if (country !== 'Ireland' || iso3 !== 'IRL') {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `this row is for "${country}" (${iso3}); only Ember's Ireland file (IRL) is read here`,
        { file, line: row, column: EMBER_COLUMNS.country.name },
      );
    }
    const utc = parseDateTimeCell(cell(col.utc), { file, line: row, column: EMBER_COLUMNS.utc.name });
    const emberUtc = utcMsOf(utc);
    const local = parseDateTimeCell(cell(col.local), { file, line: row, column: EMBER_COLUMNS.local.name });
    if (local.wallMs !== utcToIrishWallMs(emberUtc)) localMismatches.push(row);
    const value = parseNumberCell(cell(col.price), { file, line: row, column: EMBER_COLUMNS.price.name });
    checkPhysical('price_eur_mwh', value, () => ({ file, line: row, column: EMBER_COLUMNS.price.name }));
    rows.push({ emberUtc, value, row });
  }
  if (rows.length === 0) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file has a header but no data rows', {
      file,
      line: first.value.row + 1,
    });
  }
  return { rows, localMismatches };
}

/** Sorts by time; drops exact repeats and fails on a timestamp given twice with different prices. */
function dropDuplicates(rows: EmberRow[], file: string): EmberRow[] {
  const sorted = isSorted(rows) ? rows : [...rows].sort((a, b) => a.emberUtc - b.emberUtc || a.row - b.row);
  const kept: EmberRow[] = [];
  for (const row of sorted) {
    const previous = kept[kept.length - 1];
    if (previous === undefined || previous.emberUtc !== row.emberUtc) {
      kept.push(row);
      continue;
    }
    if (previous.value !== row.value) {
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `lines ${previous.row} and ${row.row} both give ${isoHour(row.emberUtc)} with different prices (${previous.value} and ${row.value})`,
        { file, line: row.row, column: EMBER_COLUMNS.utc.name },
      );
    }
  }
  return kept;
}

function isSorted(rows: readonly EmberRow[]): boolean {
  for (let i = 1; i < rows.length; i++)
    if ((rows[i] as EmberRow).emberUtc < (rows[i - 1] as EmberRow).emberUtc) return false;
  return true;
}

function addNotes(
  quality: ParseResult['quality'],
  tsUtc: readonly number[],
  localMismatches: readonly number[],
): void {
  const first = tsUtc[0] as number;
  const last = tsUtc[tsUtc.length - 1] as number;
  quality.notes.unshift(
    `timestamps shifted by -24 h: Ember's Irish hours are one day late (first corrected hour ${isoHour(first)})`,
  );
  if (localMismatches.length > 0) {
    const shown = localMismatches.slice(0, 10).join(', ');
    quality.notes.push(
      `"Datetime (Local)" disagrees with "Datetime (UTC)" plus the Irish offset on ${localMismatches.length} row(s): ${shown}${localMismatches.length > 10 ? ', ...' : ''}`,
    );
  }
  if (last >= SEM_HALF_HOURLY_FROM_UTC) {
    quality.notes.push(
      `from ${isoHour(SEM_HALF_HOURLY_FROM_UTC)} (trading day 1 Oct 2025) the SEM day-ahead market is half-hourly; Ember's hourly value is the first half-hour's price, not the hour's mean`,
    );
  }
  for (let i = 1; i < tsUtc.length; i++) {
    const gap = (tsUtc[i] as number) - (tsUtc[i - 1] as number);
    if (gap > HOUR_MS) {
      quality.notes.push(
        `no rows for ${gap / HOUR_MS - 1} h from ${isoHour((tsUtc[i - 1] as number) + HOUR_MS)}`,
      );
    }
  }
  if (quality.flatFills.length > 0) {
    const hours = quality.flatFills.reduce((sum, f) => sum + f.hours, 0);
    quality.notes.push(
      `${quality.flatFills.length} flat fill(s) of ${FLAT_FILL_MIN_HOURS}+ identical hours (${hours} h in all) set to missing`,
    );
  }
  quality.dstDays = clockChangeDaysBetween(first, last);
}

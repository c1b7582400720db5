import { clockChangeDaysBetween } from '../../lib/time.js';
/**
 * A user's own metered data-centre load: a CSV with a timestamp and a load in MW per row, and
 * optionally the site and the region. Header names are matched without regard to case:
 *   timestamp (or ts)   ISO 8601 with an offset or Z; without one, Irish local time (timestamps.ts)
 *   mw (or load_mw)     metered load in MW, not negative; empty = missing
 *   site                optional; readings of several sites at one timestamp are summed
 *   region              optional: IE (or ROI), NI or ALL; IE when absent or empty
 * The step (5, 15, 30, 60 min...) is read from the spacing of the timestamps.
 */
import { readTextFile } from '../text-file.js';
import { REGIONS, type Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { checkPhysical } from '../bounds.js';
import { parseDateTimeCell, parseNumberCell, readCsvRecords, resolveColumns } from '../csv-lines.js';
import { emptyQuality, type ParseOptions, type ParseResult } from '../types.js';
import { sumSites, type SiteSeries } from './aggregate.js';
import { TelemetryClock } from './timestamps.js';

export const TELEMETRY_COLUMNS = {
  timestamp: { name: 'timestamp', aliases: ['ts'] },
  mw: { name: 'mw', aliases: ['load_mw'] },
  site: { name: 'site', optional: true },
  region: { name: 'region', optional: true },
};

const REGION_ALIASES: Readonly<Record<string, Region>> = { ROI: 'IE' };

export async function parseTelemetryFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  return parseTelemetryCsv(
    await readTextFile(path, options.displayName ?? path),
    options.displayName ?? path,
  );
}

export function parseTelemetryCsv(text: string, file: string): ParseResult {
  const records = readCsvRecords(text, { file });
  const first = records.next();
  if (first.done) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  const header = first.value.fields;
  const col = resolveColumns(header, TELEMETRY_COLUMNS, { file, line: first.value.row });
  const columnName = (index: number) => (header[index] ?? '').trim();
  const [tsColumn, mwColumn, regionColumn] = [
    columnName(col.timestamp),
    columnName(col.mw),
    columnName(col.region),
  ];
  const quality = emptyQuality();
  const clock = new TelemetryClock();
  const series = new SeriesIndex();
  for (const { fields, row } of records) {
    quality.rowsRead++;
    const cell = (index: number) => (index < 0 ? '' : (fields[index] ?? '').trim());
    const site = cell(col.site);
    const region = regionOf(cell(col.region), { file, line: row, column: regionColumn });
    const stamp = parseDateTimeCell(cell(col.timestamp), { file, line: row, column: tsColumn });
    const mw = parseNumberCell(cell(col.mw), { file, line: row, column: mwColumn });
    if (mw !== null && mw < 0) {
      throw new DcgridError(ErrorCodes.VALUE_INVALID, `a metered load cannot be negative (${mw} MW)`, {
        file,
        line: row,
        column: mwColumn,
      });
    }
    checkPhysical('dc_load_mw', mw, () => ({ file, line: row, column: mwColumn }));
    const tsUtc = clock.toUtc(stamp, site, row);
    if (tsUtc === null) {
      if (mw === null) continue;
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `"${cell(col.timestamp)}" is a local time that never happened (the hour skipped when the clocks ` +
          `go forward), yet it carries ${mw} MW; give the time with its offset or drop the line`,
        { file, line: row, column: tsColumn },
      );
    }
    if (mw === null) quality.emptyValues++;
    const readings = series.of(region, site).readings;
    const previous = readings.get(tsUtc);
    if (previous === undefined) readings.set(tsUtc, { tsUtc, mw, row });
    else if (previous.mw === mw) quality.duplicatesDropped++;
    else {
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `lines ${previous.row} and ${row} give ${site === '' ? 'the load' : `site "${site}"`} at ` +
          `${new Date(tsUtc).toISOString()} differently (${previous.mw} and ${mw} MW)`,
        { file, line: row, column: mwColumn },
      );
    }
  }
  if (quality.rowsRead === 0) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file has a header but no data rows', {
      file,
      line: first.value.row + 1,
    });
  }
  const summed = sumSites(series.all(), file);
  addClockNotes(quality, clock);
  quality.notes.push(...summed.notes);
  if (summed.records.length > 0) {
    let firstTs = Infinity;
    let lastTs = -Infinity;
    for (const { tsUtc } of summed.records)
      [firstTs, lastTs] = [Math.min(firstTs, tsUtc), Math.max(lastTs, tsUtc)];
    quality.dstDays = clockChangeDaysBetween(firstTs, lastTs);
  }
  return { source: 'telemetry', file, records: summed.records, quality };
}

/** The readings of each (region, site), found fast for runs of rows from the same site. */
class SeriesIndex {
  private readonly byKey = new Map<string, SiteSeries>();
  private last: SiteSeries | undefined;

  of(region: Region, site: string): SiteSeries {
    if (this.last !== undefined && this.last.site === site && this.last.region === region) return this.last;
    const key = `${region}\u0000${site}`;
    let found = this.byKey.get(key);
    if (found === undefined) {
      found = { region, site, readings: new Map() };
      this.byKey.set(key, found);
    }
    this.last = found;
    return found;
  }

  all(): SiteSeries[] {
    return [...this.byKey.values()];
  }
}

function regionOf(text: string, where: { file: string; line: number; column: string }): Region {
  if (text === '') return 'IE';
  const upper = text.toUpperCase();
  const region = REGION_ALIASES[upper] ?? (REGIONS as readonly string[]).find((r) => r === upper);
  if (region === undefined) {
    throw new DcgridError(ErrorCodes.REGION_UNKNOWN, `"${text}" is not a region (IE, NI or ALL)`, where);
  }
  return region as Region;
}

function addClockNotes(quality: ParseResult['quality'], clock: TelemetryClock): void {
  if (clock.naiveRows > 0) {
    quality.notes.push(`${clock.naiveRows} timestamp(s) without an offset read as Irish local time`);
  }
  quality.dstGapRowsDropped = clock.gapRows.length;
  if (clock.gapRows.length > 0) {
    quality.notes.push(
      `dropped ${clock.gapRows.length} empty row(s) whose local time never happened (spring clock change): lines ${clock.gapRows.slice(0, 10).join(', ')}`,
    );
  }
  if (clock.secondOccurrences > 0) {
    quality.notes.push(
      `${clock.secondOccurrences} timestamp(s) in the repeated autumn hour read as its second (GMT) occurrence`,
    );
  }
}

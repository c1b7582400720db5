/**
 * The CSO's PxStat table MEC02 ("Data Centres Metered Electricity Consumption") as the PxStat
 * API exports it to CSV: one quoted row per statistic, quarter and consumer category, every
 * classification as a code column and a label column.
 *
 *   "STATISTIC","Statistic Label","TLIST(Q1)","Quarter","C03907V04659","Electricity Consumption","UNIT","VALUE"
 *   "MEC02","...","20151","2015Q1","10","Data centres","GWh","290"
 *
 * Rows are chosen by label, never by position: the category by its label ("Data centres", "All
 * metered electricity consumption", "Customers other than data centres"), the quarter by the
 * TLIST(Q1) code or the Quarter label. Whole years with all four quarters are summed into annual
 * figures and the annual data-centre share is worked out from those sums.
 */
import { DcgridError, ErrorCodes, type ErrorLocation } from '../../lib/errors.js';
import { normalizeHeaderName, parseNumberCell, resolveColumns, type CsvRecord } from '../csv-lines.js';
import { figureKey, MEC02_CSV_URL, type CsoFigureEntry, type CsoMetric } from './figures.js';
import type { CsoRead } from './transcribed.js';

export const MEC02_COLUMNS = {
  statistic: { name: 'STATISTIC', optional: true },
  statisticLabel: { name: 'Statistic Label', optional: true },
  periodCode: { name: 'TLIST(Q1)', optional: true },
  periodLabel: { name: 'Quarter', optional: true },
  category: { name: 'Electricity Consumption', optional: true },
  unit: { name: 'UNIT', optional: true },
  value: { name: 'VALUE' },
};

/** Category labels (compared in lower case) and what they hold. */
const CATEGORY_METRICS: Readonly<Record<string, CsoMetric | 'other'>> = {
  'data centres': 'data_centre_consumption',
  'all metered electricity consumption': 'total_metered_electricity_consumption',
  'customers other than data centres': 'other',
};

const DATA_CENTRES = 'data centres';

/**
 * True when a header row looks like a PxStat CSV export with a quarterly time dimension (the
 * transcribed table also has "value" and "quarter", but names its figures in a "metric" column).
 */
export function isPxStatHeader(header: readonly string[]): boolean {
  const names = new Set(header.map(normalizeHeaderName));
  return names.has('value') && (names.has('tlist(q1)') || names.has('quarter')) && !names.has('metric');
}

interface QuarterValue {
  year: number;
  quarter: number;
  value: number;
  row: number;
}

export function readMec02(header: CsvRecord, rows: Iterable<CsvRecord>, file: string): CsoRead {
  const allRows = [...rows];
  const col = resolveColumns(header.fields, MEC02_COLUMNS, { file, line: header.row });
  if (col.periodCode < 0 && col.periodLabel < 0) {
    throw new DcgridError(ErrorCodes.HEADER_MISSING, 'missing column "TLIST(Q1)" or "Quarter"', {
      file,
      line: header.row,
      column: 'TLIST(Q1), Quarter',
    });
  }
  const categoryColumn = col.category >= 0 ? col.category : findCategoryColumn(header, allRows, file);
  const read: CsoRead = {
    figures: [],
    rowsRead: allRows.length,
    duplicatesDropped: 0,
    emptyValues: 0,
    notes: [],
  };
  if (allRows.length === 0)
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file has a header but no data rows', {
      file,
      line: header.row + 1,
    });

  const byMetric = new Map<CsoMetric | 'other', Map<string, QuarterValue>>();
  const skipped = new Map<string, number>();
  for (const { fields, row } of allRows) {
    const cell = (index: number) => (index < 0 ? '' : (fields[index] ?? '').trim());
    const where = (column: string): ErrorLocation => ({ file, line: row, column });
    const label = cell(categoryColumn);
    const metric = CATEGORY_METRICS[label.toLowerCase()];
    const unit = cell(col.unit);
    if (metric === undefined || (unit !== '' && unit.toLowerCase() !== 'gwh')) {
      const reason = metric === undefined ? `category "${label}"` : `unit "${unit}"`;
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      continue;
    }
    const { year, quarter } = periodOf(
      cell(col.periodCode),
      cell(col.periodLabel),
      where(header.fields[col.periodCode >= 0 ? col.periodCode : col.periodLabel] ?? 'Quarter'),
    );
    const valueText = cell(col.value);
    // PxStat writes an empty VALUE (or "..") for a figure it does not publish.
    const value = valueText === '..' ? null : parseNumberCell(valueText, where('VALUE'));
    if (value === null) {
      read.emptyValues++;
      continue;
    }
    const series = byMetric.get(metric) ?? new Map<string, QuarterValue>();
    byMetric.set(metric, series);
    const key = `${year}Q${quarter}`;
    const previous = series.get(key);
    if (previous === undefined) series.set(key, { year, quarter, value, row });
    else if (previous.value === value) read.duplicatesDropped++;
    else {
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `lines ${previous.row} and ${row} give "${label}" for ${key} differently (${previous.value} and ${value})`,
        where('VALUE'),
      );
    }
  }
  for (const [reason, count] of skipped) read.notes.push(`skipped ${count} row(s) with ${reason}`);
  read.figures = toFigures(byMetric, read.notes);
  if (!byMetric.has('data_centre_consumption')) {
    read.notes.push('no "Data centres" rows: this MEC02 file holds no data-centre figures');
  }
  return read;
}

/** Without an "Electricity Consumption" column, the category column is the one that says "Data centres". */
function findCategoryColumn(header: CsvRecord, rows: readonly CsvRecord[], file: string): number {
  for (let c = 0; c < header.fields.length; c++) {
    if (rows.some((r) => (r.fields[c] ?? '').trim().toLowerCase() === DATA_CENTRES)) return c;
  }
  throw new DcgridError(
    ErrorCodes.HEADER_MISSING,
    'missing column "Electricity Consumption" (no column holds the category "Data centres")',
    { file, line: header.row, column: 'Electricity Consumption' },
  );
}

/** "20151" (TLIST(Q1) code) or "2015Q1" (Quarter label) -> 2015, 1. */
function periodOf(code: string, label: string, where: ErrorLocation): { year: number; quarter: number } {
  const match = /^(\d{4})Q?([1-4])$/i.exec(code) ?? /^(\d{4})\s*Q([1-4])$/i.exec(label);
  if (match === null) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `"${code || label}" is not a quarter such as 2015Q1`,
      where,
    );
  }
  return { year: Number(match[1]), quarter: Number(match[2]) };
}

function toFigures(
  byMetric: Map<CsoMetric | 'other', Map<string, QuarterValue>>,
  notes: string[],
): CsoFigureEntry[] {
  const figures: CsoFigureEntry[] = [];
  const annual = new Map<string, number>();
  for (const metric of ['data_centre_consumption', 'total_metered_electricity_consumption'] as const) {
    const quarters = [...(byMetric.get(metric)?.values() ?? [])].sort(
      (a, b) => a.year - b.year || a.quarter - b.quarter,
    );
    for (const q of quarters) {
      figures.push(mec02Figure(metric, q.year, q.quarter, q.value, 'CSO PxStat MEC02'));
    }
    const years = new Map<number, QuarterValue[]>();
    for (const q of quarters) years.set(q.year, [...(years.get(q.year) ?? []), q]);
    for (const [year, list] of years) {
      if (list.length !== 4) continue;
      const sum = list.reduce((total, q) => total + q.value, 0);
      annual.set(`${year}|${metric}`, sum);
      figures.push(mec02Figure(metric, year, null, sum, 'sum of the four quarters of CSO PxStat MEC02'));
    }
  }
  for (const key of annual.keys()) {
    const [yearText, metric] = key.split('|');
    if (metric !== 'data_centre_consumption') continue;
    const total = annual.get(`${yearText}|total_metered_electricity_consumption`);
    const dc = annual.get(key) as number;
    if (total === undefined || total <= 0) continue;
    const share = Math.round((10_000 * dc) / total) / 100;
    figures.push(
      mec02Figure(
        'data_centre_share_of_total_metered_electricity',
        Number(yearText),
        null,
        share,
        'data centres / all metered electricity, annual sums of CSO PxStat MEC02',
      ),
    );
  }
  checkParts(byMetric, notes);
  return figures.sort((a, b) => figureKey(a).localeCompare(figureKey(b)));
}

function mec02Figure(
  metric: CsoMetric,
  year: number,
  quarter: number | null,
  value: number,
  note: string,
): CsoFigureEntry {
  const unit = metric === 'data_centre_share_of_total_metered_electricity' ? 'percent' : 'GWh';
  return { year, quarter, metric, value, unit, status: 'pxstat', sourceUrl: MEC02_CSV_URL, note };
}

/** Data centres plus everyone else should make all metered consumption (up to rounding). */
function checkParts(byMetric: Map<CsoMetric | 'other', Map<string, QuarterValue>>, notes: string[]): void {
  const dc = byMetric.get('data_centre_consumption');
  const other = byMetric.get('other');
  const all = byMetric.get('total_metered_electricity_consumption');
  if (dc === undefined || other === undefined || all === undefined) return;
  const off: string[] = [];
  for (const [key, total] of all) {
    const a = dc.get(key);
    const b = other.get(key);
    if (a !== undefined && b !== undefined && Math.abs(a.value + b.value - total.value) > 1) off.push(key);
  }
  if (off.length > 0) {
    notes.push(
      `data centres + other customers differ from all metered consumption by more than 1 GWh in ${off.join(', ')}`,
    );
  }
}

/**
 * The hand-transcribed CSO figures CSV:
 *   year,quarter,metric,value,unit,status,source_url,note
 *   2022,Q4,data_centre_consumption,1450,GWh,published,https://www.cso.ie/...,
 * `quarter` is Q1..Q4, or empty for an annual figure.
 */
import { DcgridError, ErrorCodes, type ErrorLocation } from '../../lib/errors.js';
import { parseNumberCell, resolveColumns, type CsvRecord } from '../csv-lines.js';
import type { CsoFigure } from '../types.js';
import { CSO_METRIC_UNITS, CSO_STATUSES, figureKey, type CsoFigureEntry, type CsoMetric } from './figures.js';

export const TRANSCRIBED_COLUMNS = {
  year: { name: 'year' },
  quarter: { name: 'quarter' },
  metric: { name: 'metric' },
  value: { name: 'value' },
  unit: { name: 'unit' },
  status: { name: 'status' },
  sourceUrl: { name: 'source_url' },
  note: { name: 'note', optional: true },
};

export interface CsoRead {
  figures: CsoFigureEntry[];
  rowsRead: number;
  duplicatesDropped: number;
  emptyValues: number;
  notes: string[];
}

export function readTranscribedFigures(header: CsvRecord, rows: Iterable<CsvRecord>, file: string): CsoRead {
  const col = resolveColumns(header.fields, TRANSCRIBED_COLUMNS, { file, line: header.row });
  const byKey = new Map<string, { figure: CsoFigureEntry; row: number }>();
  let rowsRead = 0;
  let duplicatesDropped = 0;
  for (const { fields, row } of rows) {
    rowsRead++;
    const cell = (index: number) => (fields[index] ?? '').trim();
    const where = (column: string): ErrorLocation => ({ file, line: row, column });
    const metric = oneOf(cell(col.metric), Object.keys(CSO_METRIC_UNITS), where('metric')) as CsoMetric;
    const unit = cell(col.unit);
    if (unit !== CSO_METRIC_UNITS[metric]) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `unit "${unit}" does not fit ${metric}, which is in ${CSO_METRIC_UNITS[metric]}`,
        where('unit'),
      );
    }
    const value = parseNumberCell(cell(col.value), where('value'));
    if (value === null) throw new DcgridError(ErrorCodes.VALUE_INVALID, 'the value is empty', where('value'));
    const figure: CsoFigureEntry = {
      year: yearOf(cell(col.year), where('year')),
      quarter: quarterOf(cell(col.quarter), where('quarter')),
      metric,
      value,
      unit: CSO_METRIC_UNITS[metric],
      status: oneOf(cell(col.status), CSO_STATUSES, where('status')),
      sourceUrl: cell(col.sourceUrl),
      note: col.note < 0 ? '' : cell(col.note),
    };
    const key = figureKey(figure);
    const previous = byKey.get(key);
    if (previous === undefined) byKey.set(key, { figure, row });
    else if (previous.figure.value === figure.value) duplicatesDropped++;
    else {
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `lines ${previous.row} and ${row} give ${describe(figure)} differently (${previous.figure.value} and ${figure.value})`,
        where('value'),
      );
    }
  }
  if (rowsRead === 0)
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file has a header but no data rows', {
      file,
      line: header.row + 1,
    });
  return {
    figures: [...byKey.values()].map((v) => v.figure),
    rowsRead,
    duplicatesDropped,
    emptyValues: 0,
    notes: [],
  };
}

export function describe(figure: Pick<CsoFigure, 'year' | 'quarter' | 'metric'>): string {
  return `${figure.metric} for ${figure.year}${figure.quarter === null ? '' : ` Q${figure.quarter}`}`;
}

function oneOf<T extends string>(text: string, allowed: readonly T[], where: ErrorLocation): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `"${text}" is not one of ${allowed.join(', ')}`, where);
  }
  return text as T;
}

function yearOf(text: string, where: ErrorLocation): number {
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `"${text}" is not a year`, where);
  }
  return year;
}

function quarterOf(text: string, where: ErrorLocation): number | null {
  if (text === '') return null;
  const match = /^Q?([1-4])$/i.exec(text);
  if (match === null)
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `"${text}" is not a quarter (Q1 to Q4)`, where);
  return Number(match[1]);
}

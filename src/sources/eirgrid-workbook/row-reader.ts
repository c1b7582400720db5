/**
 * Turns one data row of the `System Data` sheet into a UTC timestamp and numbers, with errors
 * that point at the cell.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS, classifyIrishWall } from '../../lib/time.js';
import { type Cell, type SheetRow, columnLetters, serialToWallMs } from '../xlsx/cells.js';
import { DATETIME_HEADER, GMT_OFFSET_HEADER } from './columns.js';
import type { HeaderLayout } from './header.js';

export interface WorkbookRow {
  rowNumber: number;
  /** Irish wall clock as a fake-UTC epoch. */
  wallMs: number;
  gmtOffset: 0 | 1;
  /** Interval start: DateTime minus GMT Offset hours. */
  utcMs: number;
  /** One value per layout.data column; null where the cell is empty. */
  values: Array<number | null>;
}

export interface RowContext {
  file: string;
  layout: HeaderLayout;
  date1904: boolean;
  /** Counts cells holding an Excel error value (#N/A...), read as missing. */
  onErrorCell: () => void;
}

function isBlank(cell: Cell | undefined): boolean {
  return cell === undefined || (cell.type === 'string' && cell.value.trim() === '');
}

/** Reads a data row; undefined for a row with nothing in it. */
export function readDataRow(row: SheetRow, context: RowContext): WorkbookRow | undefined {
  const { layout } = context;
  if (row.cells.every(isBlank)) return undefined;
  const wallMs = readWallTime(row, layout.dateTime, context);
  if (classifyIrishWall(wallMs) === 'gap') {
    throw invalid(
      row,
      layout.dateTime,
      DATETIME_HEADER,
      context,
      `${new Date(wallMs).toISOString().slice(0, 16).replace('T', ' ')} never happened in Ireland ` +
        '(the hour skipped when the clocks go forward)',
    );
  }
  const gmtOffset = readGmtOffset(row, layout.gmtOffset, context);
  const values = new Array<number | null>(layout.data.length);
  for (let i = 0; i < layout.data.length; i++) {
    const { index, header } = layout.data[i]!;
    values[i] = readValue(row, index, header, context);
  }
  return { rowNumber: row.rowNumber, wallMs, gmtOffset, utcMs: wallMs - gmtOffset * HOUR_MS, values };
}

/** An error about the cell at (row, column index), named by its header and its reference. */
function invalid(
  row: SheetRow,
  index: number,
  header: string,
  context: RowContext,
  message: string,
): DcgridError {
  return new DcgridError(
    ErrorCodes.VALUE_INVALID,
    `cell ${columnLetters(index)}${row.rowNumber}: ${message}`,
    {
      file: context.file,
      row: row.rowNumber,
      column: header,
    },
  );
}

function describe(cell: Cell): string {
  return cell.type === 'string' ? `text "${cell.value}"` : `${cell.type} ${String(cell.value)}`;
}

const ISO_WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const DMY_WALL = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** DateTime as an Irish wall clock: an Excel serial, an ISO date cell, or dd/mm/yyyy hh:mm text. */
function readWallTime(row: SheetRow, index: number, context: RowContext): number {
  const cell = row.cells[index];
  if (cell === undefined || isBlank(cell))
    throw invalid(row, index, DATETIME_HEADER, context, 'DateTime is empty');
  if (cell.type === 'number') return serialToWallMs(cell.value, context.date1904);
  if (cell.type === 'date' || cell.type === 'string') {
    const text = cell.value.trim();
    const iso = ISO_WALL.exec(text);
    if (iso) return Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +(iso[6] ?? 0));
    const dmy = DMY_WALL.exec(text);
    if (dmy) return Date.UTC(+dmy[3]!, +dmy[2]! - 1, +dmy[1]!, +dmy[4]!, +dmy[5]!, +(dmy[6] ?? 0));
  }
  throw invalid(row, index, DATETIME_HEADER, context, `${describe(cell)} is not a date-time`);
}

function readGmtOffset(row: SheetRow, index: number, context: RowContext): 0 | 1 {
  const cell = row.cells[index];
  if (cell === undefined || isBlank(cell)) {
    throw invalid(row, index, GMT_OFFSET_HEADER, context, 'GMT Offset is empty (expected 0 or 1)');
  }
  const value =
    cell.type === 'number' ? cell.value : cell.type === 'string' ? Number(cell.value.trim()) : NaN;
  if (value === 0 || value === 1) return value;
  throw invalid(
    row,
    index,
    GMT_OFFSET_HEADER,
    context,
    `GMT Offset must be 0 (GMT) or 1 (IST), found ${describe(cell)}`,
  );
}

/** A data cell: numbers (and numbers stored as text) pass; other text is an error. */
function readValue(row: SheetRow, index: number, header: string, context: RowContext): number | null {
  const cell = row.cells[index];
  if (cell === undefined) return null;
  switch (cell.type) {
    case 'number':
      return cell.value;
    case 'error':
      context.onErrorCell();
      return null;
    case 'string': {
      const text = cell.value.trim();
      if (text === '') return null;
      const value = Number(text);
      if (Number.isFinite(value)) return value;
      break;
    }
  }
  throw invalid(row, index, header, context, `${describe(cell)} where a number is expected`);
}

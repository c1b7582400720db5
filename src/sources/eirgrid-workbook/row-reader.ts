/**
 * Turns one data row of the `System Data` sheet into a UTC timestamp and numbers, with errors
 * that point at the cell.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { HOUR_MS } from '../../lib/time.js';
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
  const { file, layout } = context;
  if (row.cells.every(isBlank)) return undefined;
  const where = (index: number, header: string) => ({
    file,
    row: row.rowNumber,
    column: header,
    ref: `${columnLetters(index)}${row.rowNumber}`,
  });

  const wallMs = readWallTime(row.cells[layout.dateTime], where(layout.dateTime, DATETIME_HEADER), context);
  const gmtOffset = readGmtOffset(row.cells[layout.gmtOffset], where(layout.gmtOffset, GMT_OFFSET_HEADER));
  const values = layout.data.map(({ index, header }) =>
    readValue(row.cells[index], where(index, header), context),
  );
  return { rowNumber: row.rowNumber, wallMs, gmtOffset, utcMs: wallMs - gmtOffset * HOUR_MS, values };
}

interface CellPlace {
  file: string;
  row: number;
  column: string;
  ref: string;
}

function invalid(place: CellPlace, message: string): DcgridError {
  return new DcgridError(ErrorCodes.VALUE_INVALID, `cell ${place.ref}: ${message}`, {
    file: place.file,
    row: place.row,
    column: place.column,
  });
}

function describe(cell: Cell): string {
  return cell.type === 'string' ? `text "${cell.value}"` : `${cell.type} ${String(cell.value)}`;
}

const ISO_WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const DMY_WALL = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** DateTime as an Irish wall clock: an Excel serial, an ISO date cell, or dd/mm/yyyy hh:mm text. */
function readWallTime(cell: Cell | undefined, place: CellPlace, context: RowContext): number {
  if (cell === undefined || isBlank(cell)) throw invalid(place, 'DateTime is empty');
  if (cell.type === 'number') return serialToWallMs(cell.value, context.date1904);
  if (cell.type === 'date' || cell.type === 'string') {
    const text = cell.value.trim();
    const iso = ISO_WALL.exec(text);
    if (iso) return Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +(iso[6] ?? 0));
    const dmy = DMY_WALL.exec(text);
    if (dmy) return Date.UTC(+dmy[3]!, +dmy[2]! - 1, +dmy[1]!, +dmy[4]!, +dmy[5]!, +(dmy[6] ?? 0));
  }
  throw invalid(place, `${describe(cell)} is not a date-time`);
}

function readGmtOffset(cell: Cell | undefined, place: CellPlace): 0 | 1 {
  if (cell === undefined || isBlank(cell)) throw invalid(place, 'GMT Offset is empty (expected 0 or 1)');
  const value =
    cell.type === 'number' ? cell.value : cell.type === 'string' ? Number(cell.value.trim()) : NaN;
  if (value === 0 || value === 1) return value;
  throw invalid(place, `GMT Offset must be 0 (GMT) or 1 (IST), found ${describe(cell)}`);
}

/** A data cell: numbers (and numbers stored as text) pass; other text is an error. */
function readValue(cell: Cell | undefined, place: CellPlace, context: RowContext): number | null {
  if (cell === undefined || isBlank(cell)) return null;
  switch (cell.type) {
    case 'number':
      return cell.value;
    case 'error':
      context.onErrorCell();
      return null;
    case 'string': {
      const value = Number(cell.value.trim());
      if (Number.isFinite(value)) return value;
      throw invalid(place, `${describe(cell)} where a number is expected`);
    }
    default:
      throw invalid(place, `${describe(cell)} where a number is expected`);
  }
}

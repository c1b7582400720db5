/**
 * Reads the header row of the `System Data` sheet: which column holds DateTime, GMT Offset and
 * each known data series.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { type SheetRow, columnLetters } from '../xlsx/cells.js';
import {
  DATETIME_HEADER,
  GMT_OFFSET_HEADER,
  type DataColumn,
  matchHeader,
  resemblingHeader,
} from './columns.js';

export interface LocatedColumn {
  /** 0-based column index in the sheet. */
  index: number;
  /** The header text as written. */
  header: string;
  column: DataColumn;
}

export interface HeaderLayout {
  rowNumber: number;
  dateTime: number;
  gmtOffset: number;
  data: LocatedColumn[];
  /** Non-empty headers that match no known column ("Foo" in K1). */
  unknown: string[];
}

export function readHeader(row: SheetRow, file: string): HeaderLayout {
  const found: string[] = [];
  const seen = new Map<string, string>();
  let dateTime = -1;
  let gmtOffset = -1;
  const data: LocatedColumn[] = [];
  const unknown: string[] = [];

  row.cells.forEach((cell, index) => {
    if (cell === undefined) return;
    const header = cell.type === 'string' ? cell.value.trim() : '';
    const ref = `${columnLetters(index)}${row.rowNumber}`;
    if (header === '') {
      if (cell.type !== 'string') found.push(`${ref}: ${String(cell.value)}`);
      return;
    }
    found.push(header);
    const match = matchHeader(header);
    const key =
      match.kind === 'data'
        ? `${match.column.series}/${match.column.region}`
        : match.kind === 'unknown'
          ? ''
          : match.kind;
    if (key !== '') {
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw new DcgridError(
          ErrorCodes.INPUT_CORRUPT,
          `the header names the same column twice: "${earlier}" and "${header}" (${ref})`,
          { file, row: row.rowNumber, column: header },
        );
      }
      seen.set(key, `${header}`);
    }
    if (match.kind === 'datetime') dateTime = index;
    else if (match.kind === 'gmtOffset') gmtOffset = index;
    else if (match.kind === 'data') data.push({ index, header, column: match.column });
    else {
      const resembles = resemblingHeader(header);
      if (resembles !== undefined) {
        throw new DcgridError(
          ErrorCodes.HEADER_MISSING,
          `cell ${ref}: header "${header}" is not a known column; did you mean "${resembles}"? ` +
            '(a misspelt or renamed column is refused rather than ignored: docs/sources/eirgrid.md)',
          { file, row: row.rowNumber, column: header },
        );
      }
      unknown.push(`"${header}" (${ref})`);
    }
  });

  const foundText = found.length > 0 ? found.map((h) => `"${h}"`).join(', ') : 'nothing';
  const missing = (name: string): DcgridError =>
    new DcgridError(
      ErrorCodes.HEADER_MISSING,
      `required column "${name}" is not in the header row (found ${foundText})`,
      { file, row: row.rowNumber, column: name },
    );
  if (dateTime < 0) throw missing(DATETIME_HEADER);
  if (gmtOffset < 0) throw missing(GMT_OFFSET_HEADER);
  if (data.length === 0) {
    throw new DcgridError(
      ErrorCodes.HEADER_MISSING,
      `no known data column in the header row (found ${foundText}); expected e.g. "IE Demand", "NI Wind Generation", "SNSP"`,
      { file, row: row.rowNumber },
    );
  }
  return { rowNumber: row.rowNumber, dateTime, gmtOffset, data, unknown };
}

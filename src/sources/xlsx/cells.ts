/**
 * Cell values, cell references and date serials of SpreadsheetML (.xlsx) worksheets.
 */

/** A cell as read from a worksheet. Number cells carry whether their style is a date format. */
export type Cell =
  | { type: 'number'; value: number; isDate: boolean }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  /** An Excel error value such as `#N/A` or `#DIV/0!`. */
  | { type: 'error'; value: string }
  /** An ISO 8601 date-time stored as `t="d"` (no time zone). */
  | { type: 'date'; value: string };

/** One worksheet row: `cells[i]` is column i (0 = A); missing cells are `undefined`. */
export interface SheetRow {
  /** 1-based row number as a spreadsheet shows it. */
  rowNumber: number;
  cells: Array<Cell | undefined>;
}

/** 0-based column index of column letters: A -> 0, Z -> 25, AA -> 26. */
export function columnIndex(letters: string): number {
  let index = 0;
  for (let i = 0; i < letters.length; i++) {
    const code = letters.charCodeAt(i) & ~32; // upper-case
    if (code < 65 || code > 90) return -1;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

/** Column letters of a 0-based index: 0 -> A, 26 -> AA. */
export function columnLetters(index: number): string {
  let letters = '';
  let n = index + 1;
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Splits a cell reference such as "AB12" into its 0-based column and 1-based row (NaN when absent). */
export function parseCellRef(ref: string): { column: number; row: number } {
  let split = 0;
  while (split < ref.length && ref.charCodeAt(split) >= 65) split++;
  const column = split > 0 ? columnIndex(ref.slice(0, split)) : -1;
  const row = split < ref.length ? Number(ref.slice(split)) : Number.NaN;
  return { column, row };
}

/** Days from the 1900 date system's day 0 to 1970-01-01 (Excel's fictitious 29 Feb 1900 included). */
const EPOCH_1900_DAYS = 25_569;
/** The 1904 date system starts 1,462 days later. */
const EPOCH_1904_DAYS = 24_107;
const DAY_MS = 86_400_000;

/**
 * Epoch ms of an Excel date serial read as a wall clock ("fake UTC": getUTCHours() gives the
 * wall hour). Rounded to the second, since serials such as 45292.01041666666 carry float noise.
 */
export function serialToWallMs(serial: number, date1904 = false): number {
  const days = serial - (date1904 ? EPOCH_1904_DAYS : EPOCH_1900_DAYS);
  return Math.round((days * DAY_MS) / 1000) * 1000;
}

/** The Excel date serial of a wall-clock epoch (inverse of serialToWallMs). */
export function wallMsToSerial(wallMs: number, date1904 = false): number {
  return wallMs / DAY_MS + (date1904 ? EPOCH_1904_DAYS : EPOCH_1900_DAYS);
}

/** Built-in number formats that display dates or times (ECMA-376 18.8.30 plus the CJK locale ids). */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** Whether a number format (built-in id, or custom format code) shows a date or a time. */
export function isDateFormat(numFmtId: number, formatCode: string | undefined): boolean {
  if (formatCode === undefined) return BUILTIN_DATE_FORMATS.has(numFmtId);
  // Drop quoted literals, escaped characters and bracketed colours/locales before looking for
  // date tokens; [h], [m] and [s] (elapsed time) count as time.
  const bare = formatCode
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  if (/^general$/i.test(bare.trim())) return false;
  return /[dmyhs]/i.test(bare);
}

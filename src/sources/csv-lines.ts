/**
 * The small CSV toolkit the price, CSO and telemetry adapters share: a fast record reader
 * (RFC 4180 quoting, CRLF or LF, a leading byte-order mark, any one-character delimiter), column
 * lookup by header name, and typed cells (numbers, ISO 8601 date-times) that fail with the file,
 * row and column of the offending cell.
 */
import { DcgridError, ErrorCodes, type ErrorLocation } from '../lib/errors.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line number where the record starts, as a text editor shows it. */
  row: number;
}

/**
 * Yields the records of a CSV text in order. Blank lines are skipped (they still count for row
 * numbers). Lines without a quote character take a plain split, which keeps large files fast.
 */
export function* readCsvRecords(
  text: string,
  options: { delimiter?: string; file?: string } = {},
): Generator<CsvRecord> {
  const delimiter = options.delimiter ?? ',';
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const length = text.length;
  while (pos < length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = length;
    let content = text.slice(pos, end);
    if (content.endsWith('\r')) content = content.slice(0, -1);
    if (!content.includes('"')) {
      if (content.length > 0) yield { fields: content.split(delimiter), row: line };
      pos = end + 1;
      line += 1;
      continue;
    }
    const parsed = parseQuotedRecord(text, pos, delimiter, { file: options.file, line });
    yield { fields: parsed.fields, row: line };
    line += parsed.lineBreaks + 1;
    pos = parsed.next;
  }
}

function parseQuotedRecord(
  text: string,
  start: number,
  delimiter: string,
  where: ErrorLocation,
): { fields: string[]; next: number; lineBreaks: number } {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let lineBreaks = 0;
  let i = start;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') lineBreaks++;
        field += ch;
      }
    } else if (ch === '"') inQuotes = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n') break;
    else if (ch !== '\r') field += ch;
  }
  if (inQuotes) {
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, 'a quoted field is never closed', where);
  }
  fields.push(field);
  return { fields, next: i + 1, lineBreaks };
}

export interface ColumnSpec {
  /** The name shown in error messages. */
  name: string;
  /** Other accepted header names. Matching ignores case and surrounding spaces. */
  aliases?: readonly string[];
  optional?: boolean;
}

export function normalizeHeaderName(name: string): string {
  return name
    .replace(/^\ufeff/, '')
    .trim()
    .toLowerCase();
}

/**
 * Finds each wanted column in a header row by name. Missing optional columns come back as -1; any
 * missing required column fails with E_HEADER_MISSING naming all of them and the header found.
 */
export function resolveColumns<K extends string>(
  header: readonly string[],
  spec: Record<K, ColumnSpec>,
  where: { file: string; line: number },
): Record<K, number> {
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const key = normalizeHeaderName(name);
    if (!positions.has(key)) positions.set(key, index);
  });
  const result = {} as Record<K, number>;
  const missing: string[] = [];
  for (const key of Object.keys(spec) as K[]) {
    const column = spec[key];
    const candidates = [column.name, ...(column.aliases ?? [])].map(normalizeHeaderName);
    const found = candidates.map((c) => positions.get(c)).find((p) => p !== undefined);
    if (found !== undefined) result[key] = found;
    else if (column.optional) result[key] = -1;
    else missing.push(column.name);
  }
  if (missing.length > 0) {
    throw new DcgridError(
      ErrorCodes.HEADER_MISSING,
      `missing column(s) ${missing.map((m) => `"${m}"`).join(', ')}; the header is: ${header.join(', ')}`,
      { file: where.file, line: where.line, column: missing.join(', ') },
    );
  }
  return result;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A numeric cell: empty (or only spaces) is a missing value (null); anything that is not a plain
 * decimal number fails with E_VALUE_INVALID at the cell's location. `decimalComma` reads "275,94".
 */
export function parseNumberCell(text: string, where: ErrorLocation, decimalComma = false): number | null {
  let cell = text.trim();
  if (cell.length === 0) return null;
  if (decimalComma) cell = cell.replace(',', '.');
  if (!DECIMAL.test(cell)) {
    throw new DcgridError(ErrorCodes.VALUE_INVALID, `"${text}" is not a number`, where);
  }
  return Number(cell);
}

export interface IsoDateTime {
  /** The written wall-clock time as a fake-UTC epoch (offset not applied). */
  wallMs: number;
  /** Offset from UTC in minutes when the text carries one ("Z" = 0), otherwise null. */
  offsetMin: number | null;
}

/**
 * Parses "2025-01-01T00:00:00Z", "2025-01-01 00:00:00+01:00", "2025-01-01 00:00" etc. (seconds,
 * fractions and the offset are optional). Returns null when the text is not such a date-time or
 * names an impossible date or time. Hand-written rather than a regular expression: the adapters
 * call it for every row of files with millions of rows.
 */
export function parseIsoDateTime(raw: string): IsoDateTime | null {
  const text = raw.charCodeAt(0) === 32 || raw.charCodeAt(raw.length - 1) === 32 ? raw.trim() : raw;
  if (text.length < 16) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const sep = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(13) !== 58 ||
    (sep !== 84 && sep !== 116 && sep !== 32)
  ) {
    return null;
  }
  let pos = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(pos) === 58) {
    second = digits(text, pos + 1, 2);
    if (second < 0 || second > 59) return null;
    pos += 3;
    if (text.charCodeAt(pos) === 46) {
      let fractionEnd = pos + 1;
      while (fractionEnd < text.length && isDigit(text.charCodeAt(fractionEnd))) fractionEnd++;
      if (fractionEnd === pos + 1 || fractionEnd - pos - 1 > 9) return null;
      millis = Math.floor(Number(`0.${text.slice(pos + 1, fractionEnd)}`) * 1000);
      pos = fractionEnd;
    }
  }
  while (text.charCodeAt(pos) === 32) pos++;
  const offsetMin = readOffset(text, pos);
  if (offsetMin === undefined) return null;
  if (day > daysInMonth(year, month)) return null;
  return { wallMs: Date.UTC(year, month - 1, day, hour, minute, second, millis), offsetMin };
}

/** The offset at `pos` to the end of the text: null when there is none, undefined when malformed. */
function readOffset(text: string, pos: number): number | null | undefined {
  if (pos === text.length) return null;
  const sign = text.charCodeAt(pos);
  if (sign === 90 || sign === 122) return pos + 1 === text.length ? 0 : undefined;
  if (sign !== 43 && sign !== 45) return undefined;
  const hours = digits(text, pos + 1, 2);
  let next = pos + 3;
  if (text.charCodeAt(next) === 58) next++;
  let minutes = 0;
  if (next < text.length) {
    minutes = digits(text, next, 2);
    next += 2;
  }
  if (hours < 0 || minutes < 0 || minutes > 59 || next !== text.length) return undefined;
  const size = hours * 60 + minutes;
  if (size > 18 * 60) return undefined;
  return sign === 45 ? -size : size;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The non-negative integer written by `count` digits at `start`, or -1. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** UTC epoch ms of a date-time cell that carries its offset, or that is written in UTC without one. */
export function utcMsOf(parsed: IsoDateTime): number {
  return parsed.wallMs - (parsed.offsetMin ?? 0) * 60_000;
}

/** Reads a date-time cell, failing with E_VALUE_INVALID at the cell's location. */
export function parseDateTimeCell(text: string, where: ErrorLocation): IsoDateTime {
  const parsed = parseIsoDateTime(text);
  if (parsed === null) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `"${text}" is not a date-time (YYYY-MM-DD HH:MM[:SS])`,
      where,
    );
  }
  return parsed;
}

/** Quotes a field for writing when it holds the delimiter, a quote or a line break. */
export function csvField(value: string, delimiter = ','): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

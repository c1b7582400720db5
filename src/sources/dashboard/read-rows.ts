/**
 * Reads the three shapes the dashboard's rows come in and hands each row to a sink:
 * the header-less CSV export (`EffectiveTime,FieldName,Region,Value`), the old
 * `DashboardService.svc/data` JSON envelope and the new `/api/chart/` JSON (`{"Rows":[...]}`).
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

export type DashboardShape = 'csv' | 'legacy-json' | 'api-json';

/** Value is the CSV text ('' = empty) or the JSON value. `row` is 1-based (CSV line, or JSON Rows entry). */
export type RowSink = (
  row: number,
  time: string,
  field: string,
  region: string,
  value: string | number | null,
) => void;

const COMMA = 44;
const QUOTE = 34;

/** Whether the text is JSON (starts with `{` or `[` after white space) or CSV. */
export function isJsonText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfeff || code === 32 || code === 9 || code === 10 || code === 13) continue;
    return code === 123 || code === 91;
  }
  return false;
}

/**
 * Splits header-less CSV lines by hand (the folder holds about a million rows; a general CSV
 * library is several times slower). A quoted field takes a slower path; a header line is skipped.
 */
export function readCsvRows(text: string, sink: RowSink, file: string): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  // Position of the next double quote anywhere ahead, found once rather than once per line.
  let nextQuote = -1;
  let field = '';
  let region = '';
  while (start < text.length) {
    if (nextQuote !== Infinity && nextQuote < start) {
      nextQuote = text.indexOf('"', start);
      if (nextQuote < 0) nextQuote = Infinity;
    }
    line++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start) {
      const c1 = text.indexOf(',', start);
      const c2 = c1 < 0 || c1 >= end ? -1 : text.indexOf(',', c1 + 1);
      const c3 = c2 < 0 || c2 >= end ? -1 : text.indexOf(',', c2 + 1);
      if (nextQuote < end) {
        splitQuotedLine(text.slice(start, end), line, sink, file);
      } else if (c3 < 0 || c3 >= end || hasCommaBetween(text, c3 + 1, end)) {
        throw fieldCountError(text.slice(start, end), line, file);
      } else if (!(line === 1 && text.startsWith('EffectiveTime', start))) {
        // FieldName and Region repeat on every line: reuse the previous strings when unchanged.
        if (c2 - c1 - 1 !== field.length || !text.startsWith(field, c1 + 1)) field = text.slice(c1 + 1, c2);
        if (c3 - c2 - 1 !== region.length || !text.startsWith(region, c2 + 1))
          region = text.slice(c2 + 1, c3);
        sink(line, text.slice(start, c1), field, region, text.slice(c3 + 1, end));
      }
    }
    start = next;
  }
}

function hasCommaBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === COMMA) return true;
  return false;
}

function fieldCountError(lineText: string, line: number, file: string): DcgridError {
  const shown = lineText.length > 80 ? `${lineText.slice(0, 80)}...` : lineText;
  return new DcgridError(
    ErrorCodes.INPUT_CORRUPT,
    `expected 4 fields EffectiveTime,FieldName,Region,Value, found "${shown}"`,
    { file, line },
  );
}

/** RFC 4180 splitting for the rare line with quotes. */
function splitQuotedLine(lineText: string, line: number, sink: RowSink, file: string): void {
  const fields: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < lineText.length; i++) {
    const code = lineText.charCodeAt(i);
    if (inQuotes) {
      if (code === QUOTE && lineText.charCodeAt(i + 1) === QUOTE) {
        current += '"';
        i++;
      } else if (code === QUOTE) inQuotes = false;
      else current += lineText[i];
    } else if (code === QUOTE) inQuotes = true;
    else if (code === COMMA) {
      fields.push(current);
      current = '';
    } else current += lineText[i];
  }
  fields.push(current);
  if (inQuotes || fields.length !== 4) throw fieldCountError(lineText, line, file);
  if (line === 1 && fields[0] === 'EffectiveTime') return;
  sink(line, fields[0]!, fields[1]!, fields[2]!, fields[3]!);
}

/** Reads either JSON envelope; returns which one it was. */
export function readJsonRows(text: string, sink: RowSink, file: string): DashboardShape {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `not valid JSON: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, 'expected a JSON object with "Rows"', { file });
  }
  const envelope = body as Record<string, unknown>;
  const legacy = 'Status' in envelope || 'ErrorMessage' in envelope;
  if (legacy && envelope.Status !== 'Success') {
    const message =
      typeof envelope.ErrorMessage === 'string' ? envelope.ErrorMessage : 'no ErrorMessage given';
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `the dashboard answered Status "${String(envelope.Status)}": ${message}`,
      { file },
    );
  }
  const rows = envelope.Rows;
  if (!Array.isArray(rows)) {
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, 'the JSON has no "Rows" array', { file });
  }
  rows.forEach((item: unknown, index) => {
    const row = index + 1;
    const entry = `Rows[${index}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new DcgridError(ErrorCodes.INPUT_CORRUPT, `${entry} is not an object`, { file, entry });
    }
    const record = item as Record<string, unknown>;
    const text = (key: string): string => {
      const value = record[key];
      if (typeof value !== 'string') {
        throw new DcgridError(ErrorCodes.VALUE_INVALID, `${entry} has no text "${key}"`, {
          file,
          entry,
          column: key,
        });
      }
      return value;
    };
    const value = record.Value;
    if (value !== null && value !== undefined && typeof value !== 'number' && typeof value !== 'string') {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${entry}: Value ${JSON.stringify(value)} is not a number`,
        { file, entry, column: 'Value' },
      );
    }
    sink(row, text('EffectiveTime'), text('FieldName'), text('Region'), value ?? null);
  });
  return legacy ? 'legacy-json' : 'api-json';
}

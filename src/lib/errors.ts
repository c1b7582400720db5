/**
 * Typed errors. Every failure a user can cause carries a stable code and, where it applies,
 * the file, row and column that caused it, so a message can point at the exact cell.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'E_CONFIG_INVALID',
  INPUT_EMPTY: 'E_INPUT_EMPTY',
  INPUT_CORRUPT: 'E_INPUT_CORRUPT',
  HEADER_MISSING: 'E_HEADER_MISSING',
  VALUE_INVALID: 'E_VALUE_INVALID',
  DUPLICATE_CONFLICT: 'E_DUPLICATE_CONFLICT',
  REGION_UNKNOWN: 'E_REGION_UNKNOWN',
  DOWNLOAD_FAILED: 'E_DOWNLOAD_FAILED',
  DATABASE_LOCKED: 'E_DATABASE_LOCKED',
  DATABASE: 'E_DATABASE',
  NOT_FOUND: 'E_NOT_FOUND',
  INPUT_ENCODING: 'E_INPUT_ENCODING',
  TRAINING_DATA: 'E_TRAINING_DATA',
  MODEL: 'E_MODEL',
  XGBOOST: 'E_XGBOOST',
  ARTIFACT: 'E_ARTIFACT',
  TRACKING: 'E_TRACKING',
  REGISTRY: 'E_REGISTRY',
  INTERRUPTED: 'E_INTERRUPTED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorLocation {
  file?: string;
  /** 1-based physical line of a text file (CSV, JSON): the header is line 1. */
  line?: number;
  /** 1-based row of a spreadsheet, as Excel shows it. */
  row?: number;
  /** A position inside a JSON document as the format indexes it, e.g. `Rows[11]` or `rows[0][3][5]`. */
  entry?: string;
  column?: string;
}

export class DcgridError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatMessage(message, location), options);
    this.name = 'DcgridError';
    this.code = code;
    this.location = location;
  }
}

function formatMessage(message: string, { file, line, row, entry, column }: ErrorLocation): string {
  const where = [
    file !== undefined ? file : undefined,
    line !== undefined ? `line ${line}` : undefined,
    row !== undefined ? `row ${row}` : undefined,
    entry !== undefined ? `JSON ${entry}` : undefined,
    column !== undefined ? `column "${column}"` : undefined,
  ].filter((part): part is string => part !== undefined);
  return where.length > 0 ? `${where.join(', ')}: ${oneLine(message)}` : message;
}

const MAX_MESSAGE = 500;

/**
 * A message about a place in an input file echoes what the file holds, which can be anything: it
 * is kept to one line (control characters shown as escapes) and cut short, so a binary or
 * megabyte-long line never floods the terminal.
 */
function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/[\u0000-\u001f\u007f]/g, (ch) => JSON.stringify(ch).slice(1, -1));
  return flat.length <= MAX_MESSAGE
    ? flat
    : `${flat.slice(0, MAX_MESSAGE)}... (${flat.length - MAX_MESSAGE} more characters)`;
}

export function isDcgridError(error: unknown, code?: ErrorCode): error is DcgridError {
  return error instanceof DcgridError && (code === undefined || error.code === code);
}

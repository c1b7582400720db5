/** Encoding of values for PostgreSQL's text COPY format. */

export type CopyValue = string | number | boolean | Date | null | undefined | readonly string[];

function escapeText(text: string): string {
  // Backslash, tab, newline and carriage return are the characters the text format reserves.
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  return escapeText(value as string);
}

/** Joins rows into COPY text chunks of about `chunkRows` rows each. */
export function* copyChunks(rows: Iterable<readonly CopyValue[]>, chunkRows = 20_000): Generator<string> {
  let lines: string[] = [];
  for (const row of rows) {
    lines.push(row.map(copyField).join('\t'));
    if (lines.length >= chunkRows) {
      yield lines.join('\n') + '\n';
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n';
}

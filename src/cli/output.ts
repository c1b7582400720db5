/** What a command prints: a table for people, or one JSON document with --json for scripts. */

export type Cell = string | number | boolean | null | undefined | Date;

function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '-';
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 100 ? value.toFixed(1) : String(Number(value.toPrecision(4)));
  }
  return String(value);
}

/** Renders rows as an aligned text table (numbers right-aligned). */
export function renderTable(rows: ReadonlyArray<Record<string, Cell>>, columns?: readonly string[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = columns ?? Object.keys(rows[0]!);
  const cells = rows.map((row) => cols.map((c) => formatCell(row[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line([...cols]), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export interface Output {
  readonly json: boolean;
  /** Human-readable text (suppressed with --json). */
  info(text: string): void;
  table(rows: ReadonlyArray<Record<string, Cell>>, columns?: readonly string[]): void;
  /** The command's result: printed as JSON with --json, or by `human` otherwise. */
  result<T>(value: T, human?: (value: T) => void): void;
}

export function createOutput(
  json: boolean,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Output {
  return {
    json,
    info: (text) => {
      if (!json) write(`${text}\n`);
    },
    table: (rows, columns) => {
      if (!json) write(`${renderTable(rows, columns)}\n`);
    },
    result: (value, human) => {
      if (json) write(`${JSON.stringify(value, null, 2)}\n`);
      else human?.(value);
    },
  };
}

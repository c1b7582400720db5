/** CSV (RFC 4180) of what a chart or table shows, and the browser download of it. */

export type CsvCell = string | number | boolean | null | undefined;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(cell).join(',')];
  for (const row of rows) {
    if (row.length !== header.length)
      throw new Error(`CSV row has ${row.length} cells, header ${header.length}`);
    lines.push(row.map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Column-wise series on one time axis (epoch ms) as rows with an ISO time first. */
export function seriesCsv(
  ts: ArrayLike<number>,
  columns: ReadonlyArray<{ name: string; values: ArrayLike<number> }>,
): string {
  const rows: CsvCell[][] = [];
  for (let i = 0; i < ts.length; i++) {
    rows.push([new Date(ts[i]!).toISOString(), ...columns.map((c) => c.values[i])]);
  }
  return toCsv(['ts_utc', ...columns.map((c) => c.name)], rows);
}

export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

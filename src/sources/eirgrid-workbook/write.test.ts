import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DcgridError } from '../../lib/errors.js';
import { QUARTER_HOUR_MS } from '../../lib/time.js';
import type { Observation } from '../types.js';
import { openWorkbook } from '../xlsx/workbook-reader.js';
import { DATA_COLUMNS, FRACTION_SERIES } from './columns.js';
import { clockChangeObservations } from './fixtures/clock-changes.js';
import { parseSystemDataWorkbook } from './parse.js';
import { buildSystemDataWorkbook, writeSystemDataWorkbook } from './write.js';

const sortKey = (o: Observation) => `${o.tsUtc} ${o.region} ${o.series}`;
const sorted = (list: readonly Observation[]) =>
  [...list].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

/** Every column of the full 2026 layout, over a day that includes the spring clock change. */
function fullLayoutObservations(): Observation[] {
  const observations: Observation[] = [];
  const start = Date.UTC(2026, 2, 28, 20);
  for (let i = 0; i < 24; i++) {
    const tsUtc = start + i * QUARTER_HOUR_MS;
    DATA_COLUMNS.forEach((column, c) => {
      const fraction = FRACTION_SERIES.has(column.series);
      const value = i === 5 && c === 3 ? null : fraction ? (c + i) / 100 : 100 * c + i + 0.25;
      observations.push({ series: column.series, region: column.region, tsUtc, intervalMin: 15, value });
    });
  }
  return observations;
}

describe('buildSystemDataWorkbook', () => {
  it('round-trips every column of the 2026 layout through the parser', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-wbw-'));
    const observations = fullLayoutObservations();
    for (const sharedStrings of [false, true]) {
      const path = join(dir, `full-${sharedStrings}.xlsx`);
      await writeSystemDataWorkbook(path, observations, { sharedStrings });
      const result = await parseSystemDataWorkbook(path);
      expect(sorted(result.records)).toEqual(sorted(observations));
      expect(result.quality.notes).toEqual([]);
      expect(result.quality.emptyValues).toBe(1);
      expect(result.quality.dstDays).toEqual(['2026-03-29']);
    }
  });

  it('writes the real header names, DateTime in local time, and a Metadata sheet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-wbw-'));
    const path = join(dir, 'layout.xlsx');
    await writeSystemDataWorkbook(path, fullLayoutObservations());
    const book = await openWorkbook(path);
    expect(book.sheetNames).toEqual(['System Data', 'Metadata']);
    const header: unknown[] = [];
    let firstDate: unknown;
    await book.readSheet('System Data', (row) => {
      if (row.rowNumber === 1) header.push(...row.cells.map((cell) => cell?.value));
      if (row.rowNumber === 2) firstDate = row.cells[0];
    });
    const metadata: unknown[] = [];
    await book.readSheet('Metadata', (row) => metadata.push(row.cells[0]?.value));
    book.close();
    expect(header.slice(0, 4)).toEqual(['DateTime', 'GMT Offset', 'NI Generation', 'NI Demand']);
    expect(header).toContain('Moyle I/C');
    expect(header).toContain('Inter-Jurisdictional Flow');
    expect(header[header.length - 1]).toBe('SNSP');
    expect(header).toHaveLength(2 + DATA_COLUMNS.length);
    // 20:00 UTC on 28 Mar 2026 is 20:00 GMT: serial 46109 + 20/24, with a date format.
    expect(firstDate).toMatchObject({ type: 'number', isDate: true });
    expect((firstDate as { value: number }).value).toBeCloseTo(46109 + 20 / 24, 9);
    expect(metadata.join(' ')).toContain('not EirGrid data');
  });

  it('writes fractions as percents on request, and the parser converts them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-wbw-'));
    const path = join(dir, 'percent.xlsx');
    const observations = clockChangeObservations();
    await writeSystemDataWorkbook(path, observations, { percent: true });
    const result = await parseSystemDataWorkbook(path);
    const snsp = result.records.filter((o) => o.series === 'snsp');
    expect(snsp[0]!.value).toBeCloseTo(0.4, 12);
    expect(result.quality.notes.some((note) => note.startsWith('"SNSP" holds percents'))).toBe(true);
  });

  it('refuses a series the workbook has no column for', () => {
    const price: Observation = {
      series: 'price_eur_mwh',
      region: 'ALL',
      tsUtc: 0,
      intervalMin: 60,
      value: 1,
    };
    expect(() => buildSystemDataWorkbook([price])).toThrow(DcgridError);
  });

  it('still produces the committed fixture byte for byte (regenerate with fixtures/generate.ts)', async () => {
    const committed = await readFile(
      fileURLToPath(new URL('./fixtures/clock-changes-2024.xlsx', import.meta.url)),
    );
    expect(buildSystemDataWorkbook(clockChangeObservations()).equals(committed)).toBe(true);
  });
});

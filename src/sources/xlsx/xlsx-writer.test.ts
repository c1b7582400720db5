import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openWorkbook } from './workbook-reader.js';
import { buildXlsx, escapeXml } from './xlsx-writer.js';
import { openZip } from '../../lib/zip-reader.js';

const sheets = [
  {
    name: 'System Data',
    headerRow: true,
    columnWidths: [17, 7],
    rows: [
      ['DateTime', 'Value', 'Note'],
      [{ serial: 45292 }, 1.5, 'line one\nline two'],
      [{ serial: 45292.25 }, -2, ''],
    ],
  },
  { name: 'Metadata & notes', rows: [['<free text>']] },
];

describe('buildXlsx', () => {
  it('writes the parts of an .xlsx package', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-xlsxw-'));
    const path = join(dir, 'parts.xlsx');
    await writeFile(path, buildXlsx(sheets, { sharedStrings: true }));
    const zip = await openZip(path);
    try {
      expect([...zip.names].sort()).toEqual(
        [
          '[Content_Types].xml',
          '_rels/.rels',
          'docProps/app.xml',
          'docProps/core.xml',
          'xl/_rels/workbook.xml.rels',
          'xl/sharedStrings.xml',
          'xl/styles.xml',
          'xl/workbook.xml',
          'xl/worksheets/sheet1.xml',
          'xl/worksheets/sheet2.xml',
        ].sort(),
      );
      const types = await text(await zip.open('[Content_Types].xml'));
      expect(types).toContain('/xl/worksheets/sheet2.xml');
      expect(types).toContain('sharedStrings+xml');
      expect(await text(await zip.open('xl/workbook.xml'))).toContain('name="Metadata &amp; notes"');
      const sheet = await text(await zip.open('xl/worksheets/sheet1.xml'));
      expect(sheet).toContain('<dimension ref="A1:C3"/>');
      expect(sheet).toContain('state="frozen"');
    } finally {
      zip.close();
    }
  });

  it('round-trips through the reader, with inline or shared strings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-xlsxw-'));
    for (const sharedStrings of [false, true]) {
      const path = join(dir, `round-${sharedStrings}.xlsx`);
      await writeFile(path, buildXlsx(sheets, { sharedStrings }));
      const workbook = await openWorkbook(path);
      const values: unknown[][] = [];
      await workbook.readSheet('System Data', (row) =>
        values.push(row.cells.map((cell) => (cell === undefined ? undefined : cell.value))),
      );
      const metadata: unknown[] = [];
      await workbook.readSheet('Metadata & notes', (row) => metadata.push(row.cells[0]?.value));
      workbook.close();
      expect(values).toEqual([
        ['DateTime', 'Value', 'Note'],
        [45292, 1.5, 'line one\nline two'],
        [45292.25, -2, ''],
      ]);
      expect(metadata).toEqual(['<free text>']);
    }
  });

  it('is deterministic', () => {
    expect(buildXlsx(sheets).equals(buildXlsx(sheets))).toBe(true);
  });

  it('refuses values a workbook cannot hold', () => {
    expect(() => buildXlsx([{ name: 'S', rows: [[Number.NaN]] }])).toThrow(/cannot be stored/);
    expect(() => buildXlsx([])).toThrow(/at least one sheet/);
  });

  it('escapes XML and drops characters XML 1.0 forbids', () => {
    expect(escapeXml('a<b>&"c"\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });

  // Optional (DCGRID_LIBREOFFICE_CHECK=1 with LibreOffice installed; about 10-30 s): LibreOffice
  // must read what we write, and our reader must read what LibreOffice writes.
  const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((candidate) => existsSync(candidate));
  const checkLibreOffice = process.env.DCGRID_LIBREOFFICE_CHECK === '1' && soffice !== undefined;
  it.skipIf(!checkLibreOffice)('opens in LibreOffice, and reads what LibreOffice saves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-xlsxw-lo-'));
    const path = join(dir, 'lo.xlsx');
    await writeFile(path, buildXlsx(sheets));
    const run = (args: string[]) =>
      promisify(execFile)(soffice!, ['--headless', ...args], {
        timeout: 120_000,
        env: { ...process.env, HOME: dir },
      });
    await run(['--convert-to', 'csv', '--outdir', dir, path]);
    expect((await readFile(join(dir, 'lo.csv'), 'utf8')).trim().split(/\r?\n/)).toEqual([
      'DateTime,Value,Note',
      '01/01/2024 00:00:00,1.5,"line one',
      'line two"',
      '01/01/2024 06:00:00,-2,',
    ]);
    const resaved = join(dir, 'resaved');
    await run(['--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', resaved, path]);
    const workbook = await openWorkbook(join(resaved, 'lo.xlsx'));
    const rows: unknown[][] = [];
    await workbook.readSheet('System Data', (row) => rows.push(row.cells.map((cell) => cell?.value)));
    workbook.close();
    expect(rows).toEqual([
      ['DateTime', 'Value', 'Note'],
      [45292, 1.5, 'line one\nline two'],
      [45292.25, -2],
    ]);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DcgridError, isDcgridError } from '../../lib/errors.js';
import type { SheetRow } from './cells.js';
import { openWorkbook } from './workbook-reader.js';
import { buildXlsx } from './xlsx-writer.js';
import { buildZip } from './zip-writer.js';
import { failure } from '../../lib/test-support/errors.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dcgrid-xlsx-'));
});

async function save(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function readRows(path: string, sheet: string): Promise<SheetRow[]> {
  const workbook = await openWorkbook(path);
  try {
    const rows: SheetRow[] = [];
    await workbook.readSheet(sheet, (row) => rows.push(row));
    return rows;
  } finally {
    workbook.close();
  }
}

describe('openWorkbook / readSheet', () => {
  it('reads every cell type of a workbook with shared strings, finding sheets by name', async () => {
    const path = await save(
      'types.xlsx',
      buildXlsx(
        [
          { name: 'Notes', rows: [['first sheet']] },
          {
            name: 'Data',
            rows: [
              ['When', 'Count', 'Flag', 'Label'],
              [{ serial: 45292.5 }, 12.25, true, 'a & <b>'],
              [{ serial: 45293 }, null, false, { error: '#N/A' }],
              [],
              [null, null, null, '  padded  '],
            ],
          },
        ],
        { sharedStrings: true },
      ),
    );
    const workbook = await openWorkbook(path, 'types.xlsx');
    expect(workbook.sheetNames).toEqual(['Notes', 'Data']);
    expect(workbook.date1904).toBe(false);
    workbook.close();

    const rows = await readRows(path, 'Data');
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 5]);
    expect(rows[0]!.cells).toEqual(
      ['When', 'Count', 'Flag', 'Label'].map((value) => ({ type: 'string', value })),
    );
    expect(rows[1]!.cells).toEqual([
      { type: 'number', value: 45292.5, isDate: true },
      { type: 'number', value: 12.25, isDate: false },
      { type: 'boolean', value: true },
      { type: 'string', value: 'a & <b>' },
    ]);
    expect(rows[2]!.cells[1]).toBeUndefined();
    expect(rows[2]!.cells[2]).toEqual({ type: 'boolean', value: false });
    expect(rows[2]!.cells[3]).toEqual({ type: 'error', value: '#N/A' });
    expect(rows[3]!.cells[0]).toBeUndefined();
    expect(rows[3]!.cells[3]).toEqual({ type: 'string', value: '  padded  ' });
  });

  it('follows absolute relationship targets, namespace prefixes, rich text and cells without references', async () => {
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const pkg = 'http://schemas.openxmlformats.org/package/2006/relationships';
    const path = await save(
      'handmade.xlsx',
      buildZip([
        {
          name: '_rels/.rels',
          data: `<Relationships xmlns="${pkg}"><Relationship Id="r1" Type="${rel}/officeDocument" Target="/book/main.xml"/></Relationships>`,
        },
        {
          name: 'book/main.xml',
          data:
            `<x:workbook xmlns:x="${main}" xmlns:rr="${rel}"><x:workbookPr date1904="1"/><x:sheets>` +
            `<x:sheet name="Other" sheetId="1" rr:id="s2"/><x:sheet name="System Data" sheetId="2" rr:id="s1"/></x:sheets></x:workbook>`,
        },
        {
          name: 'book/_rels/main.xml.rels',
          data:
            `<Relationships xmlns="${pkg}">` +
            `<Relationship Id="s1" Type="${rel}/worksheet" Target="/book/sheets/data.xml"/>` +
            `<Relationship Id="s2" Type="${rel}/worksheet" Target="sheets/other.xml"/>` +
            `<Relationship Id="ss" Type="${rel}/sharedStrings" Target="strings.xml"/>` +
            `<Relationship Id="st" Type="${rel}/styles" Target="../book/styles.xml"/></Relationships>`,
        },
        {
          name: 'book/strings.xml',
          data:
            `<sst xmlns="${main}"><si><r><t>Date</t></r><r><t xml:space="preserve">Time</t></r><rPh><t>ignored</t></rPh></si>` +
            `<si><t>IE Demand</t></si></sst>`,
        },
        {
          name: 'book/styles.xml',
          data:
            `<styleSheet xmlns="${main}"><numFmts count="1"><numFmt numFmtId="170" formatCode="yyyy-mm-dd hh:mm"/></numFmts>` +
            `<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="170"/></cellXfs></styleSheet>`,
        },
        {
          name: 'book/sheets/data.xml',
          data:
            `<x:worksheet xmlns:x="${main}"><x:sheetData>` +
            `<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>` +
            `<x:row><x:c s="1"><x:v>43830</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>4.5e3</x:v></x:c>` +
            `<x:c r="E2" t="d"><x:v>2024-01-01T00:15:00</x:v></x:c></x:row>` +
            `<x:row r="7"><x:c r="B7"><x:v>-1.5</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
        },
        { name: 'book/sheets/other.xml', data: `<worksheet xmlns="${main}"><sheetData/></worksheet>` },
      ]),
    );
    const workbook = await openWorkbook(path);
    expect(workbook.sheetNames).toEqual(['Other', 'System Data']);
    expect(workbook.date1904).toBe(true);
    workbook.close();
    const rows = await readRows(path, 'System Data');
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 7]);
    expect(rows[0]!.cells).toEqual([
      { type: 'string', value: 'DateTime' },
      { type: 'string', value: 'IE Demand' },
    ]);
    expect(rows[1]!.cells[0]).toEqual({ type: 'number', value: 43830, isDate: true });
    expect(rows[1]!.cells[1]).toEqual({ type: 'string', value: '4.5e3' });
    expect(rows[1]!.cells[4]).toEqual({ type: 'date', value: '2024-01-01T00:15:00' });
    expect(rows[2]!.cells[1]).toEqual({ type: 'number', value: -1.5, isDate: false });
    expect(await readRows(path, 'Other')).toEqual([]);
  });

  it('streams a large sheet and stops as soon as the row handler throws', async () => {
    const rows = Array.from({ length: 8_000 }, (_, i) => [i, i * 0.5, `r${i % 7}`]);
    const path = await save('large.xlsx', buildXlsx([{ name: 'Big', rows }]));
    let count = 0;
    let sum = 0;
    const workbook = await openWorkbook(path);
    await workbook.readSheet('Big', (row) => {
      count++;
      sum += (row.cells[0] as { value: number }).value;
    });
    expect(count).toBe(8_000);
    expect(sum).toBe((7_999 * 8_000) / 2);

    let seen = 0;
    const stop = new DcgridError('E_VALUE_INVALID', 'stop here', { row: 10 });
    const error = await failure(
      workbook.readSheet('Big', (row) => {
        seen++;
        if (row.rowNumber === 10) throw stop;
      }),
    );
    expect(error).toBe(stop);
    expect(seen).toBe(10);
    workbook.close();
  });
});

describe('openWorkbook errors', () => {
  it('rejects a file that is not a zip', async () => {
    const path = await save('text.xlsx', 'DateTime,GMT Offset\n2024-01-01,0\n');
    const error = await failure(openWorkbook(path, 'text.xlsx'));
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.message).toMatch(/^text\.xlsx: not a readable \.xlsx workbook/);
  });

  it('rejects an empty and a missing file', async () => {
    expect((await failure(openWorkbook(await save('empty.xlsx', '')))).code).toBe('E_INPUT_EMPTY');
    expect((await failure(openWorkbook(join(dir, 'nope.xlsx')))).code).toBe('E_NOT_FOUND');
  });

  it('rejects a truncated archive', async () => {
    const bytes = buildXlsx([{ name: 'S', rows: [[1, 2, 3]] }]);
    const error = await failure(openWorkbook(await save('cut.xlsx', bytes.subarray(0, bytes.length - 40))));
    expect(error.code).toBe('E_INPUT_CORRUPT');
  });

  it('rejects a zip without a workbook part', async () => {
    const error = await failure(
      openWorkbook(await save('nobook.xlsx', buildZip([{ name: 'readme.txt', data: 'x' }]))),
    );
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.message).toContain('xl/workbook.xml');
  });

  it('names the part when compressed data are damaged', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => [i, `text ${i}`]);
    const bytes = Buffer.from(buildXlsx([{ name: 'S', rows }]));
    // Damage the middle of the worksheet's deflate stream (the largest entry, written last).
    const sheetStart = bytes.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    for (let i = sheetStart + 200; i < sheetStart + 260; i++) bytes[i] = bytes[i]! ^ 0x5a;
    const path = await save('damaged.xlsx', bytes);
    const error = await failure(readRows(path, 'S'));
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.message).toContain('xl/worksheets/sheet1.xml');
  });

  it('names the part holding malformed XML', async () => {
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const path = await save(
      'badxml.xlsx',
      buildZip([
        {
          name: 'xl/workbook.xml',
          data: `<workbook xmlns="${main}" xmlns:r="r"><sheets><sheet name="S" r:id="a"/></sheets></workbook>`,
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          data: '<Relationships><Relationship Id="a" Type="x/worksheet" Target="worksheets/s.xml"/></Relationships>',
        },
        { name: 'xl/worksheets/s.xml', data: `<worksheet xmlns="${main}"><sheetData><row><c><v>1</v></row>` },
      ]),
    );
    const error = await failure(readRows(path, 'S'));
    expect(isDcgridError(error, 'E_INPUT_CORRUPT')).toBe(true);
    expect(error.message).toContain('xl/worksheets/s.xml');
  });

  it('points at the cell whose shared string does not exist', async () => {
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const path = await save(
      'badsst.xlsx',
      buildZip([
        {
          name: 'xl/workbook.xml',
          data: `<workbook xmlns="${main}" xmlns:r="r"><sheets><sheet name="S" r:id="a"/></sheets></workbook>`,
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          data:
            '<Relationships><Relationship Id="a" Type="x/worksheet" Target="worksheets/s.xml"/>' +
            '<Relationship Id="b" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        },
        { name: 'xl/sharedStrings.xml', data: `<sst xmlns="${main}"><si><t>only</t></si></sst>` },
        {
          name: 'xl/worksheets/s.xml',
          data: `<worksheet xmlns="${main}"><sheetData><row r="3"><c r="C3" t="s"><v>5</v></c></row></sheetData></worksheet>`,
        },
      ]),
    );
    const error = await failure(readRows(path, 'S'));
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.location).toEqual({ file: path, row: 3, column: 'C' });
  });
});

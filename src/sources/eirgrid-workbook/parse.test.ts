import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUARTER_HOUR_MS } from '../../lib/time.js';
import { parseDashboardFile } from '../dashboard/parse.js';
import type { Observation, ParseResult } from '../types.js';
import { wallMsToSerial } from '../xlsx/cells.js';
import { openWorkbook } from '../xlsx/workbook-reader.js';
import { buildXlsx, type WriteCell } from '../xlsx/xlsx-writer.js';
import { parseSystemDataWorkbook } from './parse.js';
import { failure } from '../../lib/test-support/errors.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));
const REAL_WORKBOOK = join(RAW, 'eirgrid-system-data-qtr-hourly', 'System-Data-Qtr-Hourly-2024-JanFeb.xlsx');
const CLOCK_FIXTURE = fileURLToPath(new URL('./fixtures/clock-changes-2024.xlsx', import.meta.url));

const iso = (ms: number) => new Date(ms).toISOString();
const valueAt = (result: ParseResult, series: string, region: string, utc: string) =>
  result.records.find((o) => o.series === series && o.region === region && iso(o.tsUtc) === utc)?.value;

function timestamps(records: readonly Observation[], series: string, region: string): number[] {
  return records.filter((o) => o.series === series && o.region === region).map((o) => o.tsUtc);
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dcgrid-wb-'));
});

/** A workbook with a `System Data` sheet holding `rows` (header first) and a Metadata sheet. */
async function workbook(name: string, rows: WriteCell[][], sheetName = 'System Data'): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    buildXlsx([
      { name: sheetName, rows },
      { name: 'Metadata', rows: [['test workbook']] },
    ]),
  );
  return path;
}

/** DateTime cell of an Irish wall-clock time given as 'YYYY-MM-DD HH:MM'. */
const local = (text: string): WriteCell => ({
  serial: wallMsToSerial(Date.parse(`${text.replace(' ', 'T')}:00Z`)),
});

describe('the real 2024 Jan-Feb workbook', () => {
  let result: ParseResult;
  beforeAll(async () => {
    result = await parseSystemDataWorkbook(REAL_WORKBOOK);
  });

  it('reads 4,800 rows of 8 columns on a continuous UTC grid', () => {
    expect(result.source).toBe('eirgrid-workbook');
    expect(result.quality.rowsRead).toBe(4_800);
    expect(result.records).toHaveLength(4_800 * 8);
    expect(result.quality.duplicatesDropped).toBe(0);
    expect(result.quality.emptyValues).toBe(0);
    expect(result.quality.dstDays).toEqual([]);
    expect(result.quality.notes).toEqual([]);
    expect(new Set(result.records.map((o) => o.intervalMin))).toEqual(new Set([15]));
    const times = timestamps(result.records, 'demand_mw', 'IE');
    expect(times).toHaveLength(4_800);
    expect(iso(times[0]!)).toBe('2024-01-01T00:00:00.000Z');
    expect(iso(times[times.length - 1]!)).toBe('2024-02-19T23:45:00.000Z');
    expect(times.every((t, i) => i === 0 || t - times[i - 1]! === QUARTER_HOUR_MS)).toBe(true);
  });

  it('maps both regions and the four measures', () => {
    const keys = new Set(result.records.map((o) => `${o.region} ${o.series}`));
    expect([...keys].sort()).toEqual(
      [
        'IE demand_mw',
        'IE generation_mw',
        'IE solar_mw',
        'IE wind_mw',
        'NI demand_mw',
        'NI generation_mw',
        'NI solar_mw',
        'NI wind_mw',
      ].sort(),
    );
  });

  it('holds the values of known cells', () => {
    // Row 2 (A2 = 45292, GMT Offset 0).
    expect(valueAt(result, 'demand_mw', 'IE', '2024-01-01T00:00:00.000Z')).toBe(3462.62);
    expect(valueAt(result, 'demand_mw', 'NI', '2024-01-01T00:00:00.000Z')).toBe(584.635);
    expect(valueAt(result, 'wind_mw', 'IE', '2024-01-01T00:00:00.000Z')).toBe(2244.6);
    expect(valueAt(result, 'generation_mw', 'NI', '2024-01-01T00:00:00.000Z')).toBe(715.6130000000001);
    // Row 1000 (A1000 = 45302.39583333334: 11 Jan 2024 09:30 GMT).
    expect(valueAt(result, 'demand_mw', 'IE', '2024-01-11T09:30:00.000Z')).toBe(4830.18);
    expect(valueAt(result, 'solar_mw', 'IE', '2024-01-11T09:30:00.000Z')).toBe(11.02);
    expect(valueAt(result, 'solar_mw', 'NI', '2024-01-11T09:30:00.000Z')).toBe(0.747);
    // Row 4801, the last.
    expect(valueAt(result, 'demand_mw', 'IE', '2024-02-19T23:45:00.000Z')).toBe(3594.91);
    expect(valueAt(result, 'wind_mw', 'NI', '2024-02-19T23:45:00.000Z')).toBe(617.355);
  });

  it('agrees with the dashboard export of IE demand at the same UTC times', async () => {
    const dashboard = await parseDashboardFile(
      join(RAW, 'eirgrid-smartgriddashboard', 'ROI_demandactual_24_Eirgrid.csv'),
    );
    const published = new Map(
      dashboard.records.filter((o) => o.value !== null).map((o) => [o.tsUtc, o.value as number]),
    );
    const differences: number[] = [];
    for (const o of result.records) {
      const other = published.get(o.tsUtc);
      if (o.series === 'demand_mw' && o.region === 'IE' && other !== undefined)
        differences.push(other - o.value!);
    }
    expect(differences.length).toBeGreaterThan(4_700);
    const mean = differences.reduce((a, b) => a + b, 0) / differences.length;
    const meanAbs = differences.reduce((a, b) => a + Math.abs(b), 0) / differences.length;
    // SOURCES.md: mean difference -2 MW, mean absolute difference 22 MW.
    expect(Math.abs(mean)).toBeLessThan(5);
    expect(meanAbs).toBeLessThan(30);
    expect(published.get(Date.UTC(2024, 0, 1))).toBe(3460);
  });
});

describe('clock changes (fixtures/clock-changes-2024.xlsx, made by write.ts)', () => {
  it('holds the local times EirGrid writes: 00:45 -> 02:00 in spring, 01:00-01:45 twice in autumn', async () => {
    const book = await openWorkbook(CLOCK_FIXTURE);
    const locals: string[] = [];
    await book.readSheet('System Data', (row) => {
      const [dateTime, offset] = row.cells;
      if (dateTime?.type !== 'number' || offset?.type !== 'number') return;
      const wall = Math.round((dateTime.value - 25_569) * 86_400) * 1000;
      locals.push(`${iso(wall).slice(0, 16)}+${offset.value}`);
    });
    book.close();
    const spring = locals.indexOf('2024-03-31T00:45+0');
    expect(locals[spring + 1]).toBe('2024-03-31T02:00+1');
    const autumn = locals.indexOf('2024-10-27T00:45+1');
    expect(locals.slice(autumn, autumn + 10)).toEqual([
      '2024-10-27T00:45+1',
      '2024-10-27T01:00+1',
      '2024-10-27T01:15+1',
      '2024-10-27T01:30+1',
      '2024-10-27T01:45+1',
      '2024-10-27T01:00+0',
      '2024-10-27T01:15+0',
      '2024-10-27T01:30+0',
      '2024-10-27T01:45+0',
      '2024-10-27T02:00+0',
    ]);
  });

  it('gives a continuous UTC grid without duplicates across both changes', async () => {
    const result = await parseSystemDataWorkbook(CLOCK_FIXTURE);
    expect(result.quality.dstDays).toEqual(['2024-03-31', '2024-10-27']);
    expect(result.quality.duplicatesDropped).toBe(0);
    const times = timestamps(result.records, 'demand_mw', 'IE');
    expect(new Set(times).size).toBe(times.length);
    const spring = times.filter((t) => t < Date.UTC(2024, 6, 1));
    const autumn = times.filter((t) => t > Date.UTC(2024, 6, 1));
    for (const window of [spring, autumn]) {
      expect(window).toHaveLength(24);
      expect(window.every((t, i) => i === 0 || t - window[i - 1]! === QUARTER_HOUR_MS)).toBe(true);
    }
    expect(iso(spring[0]!)).toBe('2024-03-30T22:00:00.000Z');
    expect(iso(autumn[23]!)).toBe('2024-10-27T03:45:00.000Z');
    // The only hole is the summer between the two windows.
    expect(result.quality.notes).toEqual([
      expect.stringMatching(/^the UTC grid has \d+ missing 15-minute interval\(s\) in 1 hole/),
    ]);
    // Local 02:00 IST on 31 Mar is the 13th slot; both 01:00 on 27 Oct are kept apart.
    expect(valueAt(result, 'demand_mw', 'IE', '2024-03-31T01:00:00.000Z')).toBe(3220);
    expect(valueAt(result, 'demand_mw', 'IE', '2024-10-27T00:00:00.000Z')).toBe(3180);
    expect(valueAt(result, 'demand_mw', 'IE', '2024-10-27T01:00:00.000Z')).toBe(3220);
    expect(valueAt(result, 'snsp', 'ALL', '2024-10-27T01:00:00.000Z')).toBe(0.52);
  });
});

describe('headers', () => {
  it('accepts spelling variants, reports unknown columns and converts percents', async () => {
    const path = await workbook('variants.xlsx', [
      [
        'Date Time',
        ' gmt  offset ',
        'ie  DEMAND',
        'Moyle IC',
        'EWIC I / C',
        'Inter Jurisdictional Flow',
        'SNSP',
        'Remarks',
      ],
      [local('2024-01-01 00:00'), 0, 3000, -250, 400, 120, 45.5, 'ok'],
      [local('2024-01-01 00:15'), 0, '3010.5', -240, 410, 125, 47.25, ''],
    ]);
    const result = await parseSystemDataWorkbook(path, { displayName: 'variants.xlsx' });
    expect(valueAt(result, 'demand_mw', 'IE', '2024-01-01T00:15:00.000Z')).toBe(3010.5);
    expect(valueAt(result, 'ic_moyle_mw', 'NI', '2024-01-01T00:00:00.000Z')).toBe(-250);
    expect(valueAt(result, 'ic_ewic_mw', 'IE', '2024-01-01T00:00:00.000Z')).toBe(400);
    expect(valueAt(result, 'ic_north_south_mw', 'ALL', '2024-01-01T00:00:00.000Z')).toBe(120);
    expect(valueAt(result, 'snsp', 'ALL', '2024-01-01T00:00:00.000Z')).toBeCloseTo(0.455, 12);
    expect(result.quality.notes).toEqual([
      'ignored 1 extra column(s) that are not EirGrid columns (every required column is present): "Remarks" (H1)',
      expect.stringMatching(
        /^"SNSP" holds percents \(values reach 47\.25, above 1\.5\); converted to fractions$/,
      ),
    ]);
  });

  it('keeps an NI wind penetration above 1 as a fraction when it matches wind / demand', async () => {
    const rows: WriteCell[][] = [
      ['DateTime', 'GMT Offset', 'NI Demand', 'NI Wind Generation', 'NI Wind Penetration'],
    ];
    for (let i = 0; i < 12; i++) {
      const demand = 600 + 10 * i;
      const wind = 1100 - 5 * i;
      rows.push([local(`2024-01-02 ${String(i).padStart(2, '0')}:00`), 0, demand, wind, wind / demand]);
    }
    // Hourly rows: the step is detected as 60 minutes.
    const result = await parseSystemDataWorkbook(await workbook('penetration.xlsx', rows));
    const penetration = result.records.filter((o) => o.series === 'wind_penetration');
    expect(penetration[0]!.value).toBeCloseTo(1100 / 600, 12);
    expect(penetration[0]!.intervalMin).toBe(60);
    expect(result.quality.notes).toEqual([]);
  });

  for (const [name, header, missing] of [
    ['renamed DateTime', ['Date', 'GMT Offset', 'IE Demand'], 'DateTime'],
    ['missing GMT Offset', ['DateTime', 'IE Demand'], 'GMT Offset'],
  ] as const) {
    it(`rejects a ${name}`, async () => {
      const path = await workbook(`${missing}.xlsx`, [[...header], [local('2024-01-01 00:00'), 0, 1]]);
      const error = await failure(parseSystemDataWorkbook(path, { displayName: 'w.xlsx' }));
      expect(error.code).toBe('E_HEADER_MISSING');
      expect(error.location).toEqual({ file: 'w.xlsx', row: 1, column: missing });
      expect(error.message).toContain(`required column "${missing}"`);
    });
  }

  it('rejects a header without any known data column', async () => {
    const path = await workbook('nodata.xlsx', [
      ['DateTime', 'GMT Offset', 'Price'],
      [local('2024-01-01 00:00'), 0, 1],
    ]);
    const error = await failure(parseSystemDataWorkbook(path));
    expect(error.code).toBe('E_HEADER_MISSING');
    expect(error.message).toContain('no known data column');
  });

  it('rejects a header naming a column twice', async () => {
    const path = await workbook('twice.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand', 'IE  demand'],
      [local('2024-01-01 00:00'), 0, 1, 2],
    ]);
    const error = await failure(parseSystemDataWorkbook(path));
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.location.column).toBe('IE  demand');
  });
});

describe('rows', () => {
  it('reads empty cells, Excel errors and trailing rows of a current-year workbook', async () => {
    const path = await workbook('gaps.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand', 'IE Wind Generation'],
      [local('2024-06-01 01:00'), 1, 4000, null],
      [local('2024-06-01 01:15'), 1, { error: '#N/A' }, 800],
      [local('2024-06-01 02:00'), 1, 4100, 810],
      [local('2024-06-01 02:15'), 1, null, null],
      [local('2024-06-01 02:30'), 1, null, null],
    ]);
    const result = await parseSystemDataWorkbook(path);
    expect(result.quality.rowsRead).toBe(5);
    expect(result.records).toHaveLength(6);
    expect(result.quality.emptyValues).toBe(2);
    expect(iso(result.records[0]!.tsUtc)).toBe('2024-06-01T00:00:00.000Z');
    expect(result.quality.notes).toEqual([
      'ignored 2 trailing row(s) with a DateTime but no values',
      '1 cell(s) held an Excel error value, read as missing',
      'the UTC grid has 2 missing 15-minute interval(s) in 1 hole(s): 2024-06-01T00:30Z..2024-06-01T01:00Z',
    ]);
  });

  it('drops a repeated row with identical values and counts it', async () => {
    const path = await workbook('repeat.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand'],
      [local('2024-01-01 00:00'), 0, 1],
      [local('2024-01-01 00:15'), 0, 2],
      [local('2024-01-01 00:15'), 0, 2],
      [local('2024-01-01 00:30'), 0, 3],
    ]);
    const result = await parseSystemDataWorkbook(path);
    expect(result.quality.duplicatesDropped).toBe(1);
    expect(result.records.map((o) => o.value)).toEqual([1, 2, 3]);
  });

  it('rejects two rows that give the same UTC time with different values, naming both', async () => {
    // 01:00 local with offset 1 twice in autumn: the second should have had offset 0.
    const path = await workbook('conflict.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand'],
      [local('2024-10-27 00:45'), 1, 1],
      [local('2024-10-27 01:00'), 1, 2],
      [local('2024-10-27 01:00'), 1, 3],
    ]);
    const error = await failure(parseSystemDataWorkbook(path, { displayName: 'c.xlsx' }));
    expect(error.code).toBe('E_DUPLICATE_CONFLICT');
    expect(error.message).toContain('rows 3 and 4 both give 2024-10-27T00:00Z');
    expect(error.location).toEqual({ file: 'c.xlsx', row: 4, column: 'IE Demand' });
  });

  it('rejects a time off the grid', async () => {
    const path = await workbook('offgrid.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand'],
      [local('2024-01-01 00:00'), 0, 1],
      [local('2024-01-01 00:15'), 0, 1],
      [local('2024-01-01 00:37'), 0, 1],
    ]);
    const error = await failure(parseSystemDataWorkbook(path));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location.row).toBe(4);
  });

  it('rejects text in a numeric cell, naming file, row and column', async () => {
    const path = await workbook('text.xlsx', [
      ['DateTime', 'GMT Offset', 'NI Demand', 'IE Demand'],
      [local('2024-01-01 00:00'), 0, 600, 3000],
      [local('2024-01-01 00:15'), 0, 601, 'n/a'],
    ]);
    const error = await failure(parseSystemDataWorkbook(path, { displayName: 'text.xlsx' }));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'text.xlsx', row: 3, column: 'IE Demand' });
    expect(error.message).toBe(
      'text.xlsx, row 3, column "IE Demand": cell D3: text "n/a" where a number is expected',
    );
  });

  it('rejects a GMT Offset other than 0 or 1', async () => {
    const path = await workbook('offset.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand'],
      [local('2024-07-01 00:00'), 2, 3000],
    ]);
    const error = await failure(parseSystemDataWorkbook(path));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location.column).toBe('GMT Offset');
    expect(error.message).toContain('GMT Offset must be 0 (GMT) or 1 (IST), found number 2');
  });

  it('rejects a row without DateTime', async () => {
    const path = await workbook('nodate.xlsx', [
      ['DateTime', 'GMT Offset', 'IE Demand'],
      [null, 0, 3000],
    ]);
    const error = await failure(parseSystemDataWorkbook(path));
    expect(error.location).toMatchObject({ row: 2, column: 'DateTime' });
  });
});

describe('workbook errors', () => {
  it('rejects a file that is not a zip', async () => {
    const path = join(dir, 'not-a-zip.xlsx');
    await writeFile(path, 'DateTime,GMT Offset,IE Demand\n');
    expect((await failure(parseSystemDataWorkbook(path))).code).toBe('E_INPUT_CORRUPT');
  });

  it('rejects a corrupt (truncated) workbook', async () => {
    const bytes = buildXlsx([{ name: 'System Data', rows: [['DateTime', 'GMT Offset', 'IE Demand']] }]);
    const path = join(dir, 'truncated.xlsx');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await failure(parseSystemDataWorkbook(path))).code).toBe('E_INPUT_CORRUPT');
  });

  it('rejects a workbook without a System Data sheet, listing the sheets', async () => {
    const path = await workbook('nosheet.xlsx', [['DateTime']], 'Sheet1');
    const error = await failure(parseSystemDataWorkbook(path));
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.message).toContain('(sheets: "Sheet1", "Metadata")');
  });

  it('rejects an empty sheet and a sheet with only a header', async () => {
    const empty = await failure(parseSystemDataWorkbook(await workbook('empty.xlsx', [])));
    expect(empty.code).toBe('E_INPUT_EMPTY');
    const headerOnly = await failure(
      parseSystemDataWorkbook(await workbook('header.xlsx', [['DateTime', 'GMT Offset', 'IE Demand']])),
    );
    expect(headerOnly.code).toBe('E_INPUT_EMPTY');
    expect(headerOnly.location.row).toBe(2);
  });
});

/**
 * Bad input of each kind the issue names, in small hand-made files: each is refused with the file,
 * the physical line (or spreadsheet row, or JSON `Rows` index) and the column.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../lib/test-support/errors.js';
import { PHYSICAL_BOUNDS, isPhysical } from './bounds.js';
import { csoSource } from './cso/index.js';
import { dashboardSource } from './dashboard/index.js';
import { eirgridWorkbookSource } from './eirgrid-workbook/index.js';
import { emberSource } from './ember/index.js';
import { semopxSource } from './semopx/index.js';
import { telemetrySource } from './telemetry/index.js';
import { workbookVariant } from './test-support/workbook-variant.js';
import { SERIES } from './types.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dcgrid-bad-input-'));
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await writeFile(path, content);
  return path;
}

const DASHBOARD =
  '01-Jan-2024 00:00:00,SYSTEM_DEMAND,ROI,3460.0\n01-Jan-2024 00:15:00,SYSTEM_DEMAND,ROI,3455.0\n';
const EMBER_HEADER = 'Country,ISO3 Code,Datetime (UTC),Datetime (Local),Price (EUR/MWhe)\n';
const SEMOPX_HEADER =
  'market,timestamp_utc,index_price_eur_mwh,index_price_gbp_mwh,index_volume_mwh,net_position_mw,publish_time_utc,cache_file\n';

describe('physical bounds', () => {
  it('cover every series, with a range that holds zero or the usual readings', () => {
    for (const series of Object.keys(SERIES) as Array<keyof typeof SERIES>) {
      const { min, max } = PHYSICAL_BOUNDS[series];
      expect(min, series).toBeLessThan(max);
    }
    expect(isPhysical('demand_mw', -99999)).toBe(false);
    expect(isPhysical('demand_mw', Number.NaN)).toBe(false);
    expect(isPhysical('wind_mw', -58)).toBe(true);
    expect(isPhysical('price_eur_mwh', 4000)).toBe(true);
    expect(isPhysical('price_eur_mwh', -500)).toBe(true);
  });

  it('refuse impossible values in every text format, naming file, line and column', async () => {
    const cases: Array<[string, (p: string) => Promise<unknown>, string, string, number, string]> = [
      [
        'dashboard sentinel',
        (p) => dashboardSource.parse(p),
        'ROI_demandactual_24_Eirgrid.csv',
        `${DASHBOARD}01-Jan-2024 00:30:00,SYSTEM_DEMAND,ROI,-99999\n`,
        3,
        'Value',
      ],
      [
        'dashboard SNSP in the wrong unit',
        (p) => dashboardSource.parse(p),
        'ALL_SnspALL_24_Eirgrid.csv',
        '01-Jan-2024 00:00:00,SNSP_ALL,ALL,45.5\n01-Jan-2024 00:30:00,SNSP_ALL,ALL,4550\n',
        2,
        'Value',
      ],
      [
        'Ember price 1e6',
        (p) => emberSource.parse(p),
        'Ireland.csv',
        `${EMBER_HEADER}Ireland,IRL,2024-01-01 00:00:00,2024-01-01 00:00:00,90.0\nIreland,IRL,2024-01-01 01:00:00,2024-01-01 01:00:00,1000000\n`,
        3,
        'Price (EUR/MWhe)',
      ],
      [
        'SEMOpx GBP sentinel',
        (p) => semopxSource.parse(p),
        'semopx_day_ahead_index_prices_x.csv',
        `${SEMOPX_HEADER}ROI-DA,2025-01-01T10:00:00Z,50,-99999,,,,\n`,
        2,
        'index_price_gbp_mwh',
      ],
      [
        'telemetry 1 TW',
        (p) => telemetrySource.parse(p),
        'load.csv',
        'timestamp,mw\n2025-01-01T00:00:00Z,40\n2025-01-01T00:15:00Z,1e12\n',
        3,
        'mw',
      ],
    ];
    for (const [label, parse, name, content, line, column] of cases) {
      const path = await file(name, content);
      const error = await failure(parse(path));
      expect(error.code, label).toBe('E_VALUE_INVALID');
      expect(error.location, label).toEqual({ file: path, line, column });
      expect(error.message, label).toMatch(/is not a possible \w+ reading: outside the physical bounds/);
    }
  });

  it('give the JSON Rows index of an impossible dashboard value', async () => {
    const rows = [
      { EffectiveTime: '04-Jun-2025 00:00:00', FieldName: 'GEN_EXP', Region: 'ROI', Value: 2180 },
      { EffectiveTime: '04-Jun-2025 00:15:00', FieldName: 'GEN_EXP', Region: 'ROI', Value: 1e9 },
    ];
    const path = await file('generation.json', JSON.stringify({ Rows: rows }));
    const error = await failure(dashboardSource.parse(path));
    expect(error.location).toEqual({ file: path, entry: 'Rows[1]', column: 'Value' });
    expect(error.message).toContain(`${path}, JSON Rows[1], column "Value": Value "1000000000"`);
  });

  it('refuse an impossible workbook cell, naming the cell', async () => {
    const path = await file(
      'System-Data-Qtr-Hourly-2024.xlsx',
      await workbookVariant((xml) => xml.replace('<c r="E3"><v>3110</v></c>', '<c r="E3"><v>-99999</v></c>')),
    );
    const error = await failure(eirgridWorkbookSource.parse(path));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: path, row: 3, column: 'IE Demand' });
    expect(error.message).toContain('cell E3: -99999');
  });
});

describe('local times inside the spring-forward gap', () => {
  it('are an error naming the line when they carry a value (dashboard)', async () => {
    const path = await file(
      'ROI_demandactual_23_Eirgrid.csv',
      '26-Mar-2023 00:45:00,SYSTEM_DEMAND,ROI,3221.0\n26-Mar-2023 01:00:00,SYSTEM_DEMAND,ROI,\n26-Mar-2023 01:15:00,SYSTEM_DEMAND,ROI,3100.0\n',
    );
    const error = await failure(dashboardSource.parse(path));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: path, line: 3, column: 'EffectiveTime' });
    expect(error.message).toContain('never happened');
  });

  it('are an error naming the row of a workbook', async () => {
    // 45382.0625 is 31 Mar 2024 01:30, inside the hour the clocks skip.
    const path = await file(
      'System-Data-Qtr-Hourly-2024.xlsx',
      await workbookVariant((xml) => xml.replace(/(<c r="A2"[^>]*><v>)[^<]*(<\/v>)/, '$145382.0625$2')),
    );
    const error = await failure(eirgridWorkbookSource.parse(path));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: path, row: 2, column: 'DateTime' });
    expect(error.message).toContain('2024-03-31 01:30 never happened');
  });
});

describe('workbook headers', () => {
  it('refuse a misspelt column, naming the cell and the column meant', async () => {
    const path = await file(
      'System-Data-Qtr-Hourly-2024.xlsx',
      await workbookVariant((xml) => xml.replace('<t>IE Demand</t>', '<t>IE Demnad</t>')),
    );
    const error = await failure(eirgridWorkbookSource.parse(path));
    expect(error.code).toBe('E_HEADER_MISSING');
    expect(error.location).toEqual({ file: path, row: 1, column: 'IE Demnad' });
    expect(error.message).toContain(
      'cell E1: header "IE Demnad" is not a known column; did you mean "IE Demand"?',
    );
  });

  it('ignore a truly extra column when every required one is there, and say so', async () => {
    const path = await file(
      'System-Data-Qtr-Hourly-2024.xlsx',
      await workbookVariant((xml) => xml.replace('<t>NI Wind Generation</t>', '<t>Comments</t>')),
    );
    const result = await eirgridWorkbookSource.parse(path);
    expect(result.records.some((r) => r.series === 'wind_mw' && r.region === 'NI')).toBe(false);
    expect(result.quality.notes).toContainEqual(expect.stringContaining('ignored 1 extra column(s)'));
    expect(result.quality.notes).toContainEqual(expect.stringContaining('"Comments" (D1)'));
  });
});

describe('encodings', () => {
  const csv = `${EMBER_HEADER}Ireland,IRL,2024-01-01 00:00:00,2024-01-01 00:00:00,90.0\n`;
  it('refuse UTF-16 with a byte-order mark, UTF-16 without one and Latin-1, naming the file', async () => {
    const variants: Array<[string, Buffer, RegExp]> = [
      [
        'UTF-16 BOM',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
        /UTF-16 \(little-endian\)/,
      ],
      [
        'UTF-16 BE BOM',
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, 'utf16le').swap16()]),
        /UTF-16 \(big-endian\)/,
      ],
      ['UTF-16 no BOM', Buffer.from(csv, 'utf16le'), /looks like UTF-16/],
      [
        'Latin-1',
        Buffer.from(csv.replace('Ireland,IRL,2024', 'Éire,IRL,2024'), 'latin1'),
        /byte 0xc9 at offset \d+ is not UTF-8/,
      ],
    ];
    for (const [label, bytes, message] of variants) {
      for (const parse of [(p: string) => emberSource.parse(p), (p: string) => dashboardSource.parse(p)]) {
        const path = await file('Ireland.csv', bytes);
        const error = await failure(parse(path));
        expect(error.code, label).toBe('E_INPUT_ENCODING');
        expect(error.location.file, label).toBe(path);
        expect(error.message, label).toMatch(message);
        expect(error.message, label).not.toContain('\u0000');
      }
    }
  });

  it('read a UTF-8 file with a byte-order mark', async () => {
    const path = await file('Ireland.csv', `\ufeff${csv}`);
    expect((await emberSource.parse(path)).records).toHaveLength(1);
  });
});

describe('positions', () => {
  it('name line 2 for a file with a header and no data, in every CSV format', async () => {
    const cases: Array<[string, (p: string) => Promise<unknown>, string]> = [
      ['Ireland.csv', (p) => emberSource.parse(p), EMBER_HEADER],
      ['semopx_day_ahead_index_prices_x.csv', (p) => semopxSource.parse(p), SEMOPX_HEADER],
      ['load.csv', (p) => telemetrySource.parse(p), 'timestamp,mw\n'],
      ['cso.csv', (p) => csoSource.parse(p), 'year,quarter,metric,value,unit,status,source_url,note\n'],
    ];
    for (const [name, parse, content] of cases) {
      const path = await file(name, content);
      const error = await failure(parse(path));
      expect(error.code, name).toBe('E_INPUT_EMPTY');
      expect(error.location, name).toEqual({ file: path, line: 2 });
      expect(error.message, name).toContain(`${path}, line 2: the file has a header but no data rows`);
    }
  });

  it('count physical lines, blank lines and quoted line breaks included', async () => {
    const path = await file(
      'load.csv',
      'timestamp,mw,site\n\n2025-01-01T00:00:00Z,40,"two\nlines"\n2025-01-01T00:15:00Z,oops,a\n',
    );
    const error = await failure(telemetrySource.parse(path));
    expect(error.location).toEqual({ file: path, line: 5, column: 'mw' });
  });
});

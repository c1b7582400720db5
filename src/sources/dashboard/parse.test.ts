import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUARTER_HOUR_MS } from '../../lib/time.js';
import type { Observation, ParseResult } from '../types.js';
import { discoverDashboardFiles } from './index.js';
import { type DashboardParseResult, parseDashboardFile, parseDashboardText } from './parse.js';
import { periodFromFileName } from './period.js';
import { failure } from '../../lib/test-support/errors.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));
const CSV_DIR = join(RAW, 'eirgrid-smartgriddashboard');
const JSON_DIR = join(RAW, 'smartgriddashboard-api-samples');
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const iso = (ms: number) => new Date(ms).toISOString();
const at = (result: ParseResult, utc: string): Observation | undefined =>
  result.records.find((o) => iso(o.tsUtc) === utc);

function isContinuous(times: readonly number[], stepMs: number): boolean {
  return times.every((t, i) => i === 0 || t - times[i - 1]! === stepMs);
}

describe('ROI demand 2023 (real CSV export)', () => {
  let result: DashboardParseResult;
  beforeAll(async () => {
    result = await parseDashboardFile(join(CSV_DIR, 'ROI_demandactual_23_Eirgrid.csv'));
  });

  it('keeps the 35,040 slots of 2023 once, less the 4 spring-gap rows', () => {
    expect(result.shape).toBe('csv');
    expect(result.quality).toMatchObject({
      rowsRead: 36_096,
      duplicatesDropped: 968,
      outOfPeriodDropped: 88,
      dstGapRowsDropped: 4,
      emptyValues: 9,
      dstDays: ['2023-03-26', '2023-10-29'],
    });
    expect(result.records).toHaveLength(35_040 - 4);
    expect(
      result.records.every((o) => o.series === 'demand_mw' && o.region === 'IE' && o.intervalMin === 15),
    ).toBe(true);
    expect(iso(result.records[0]!.tsUtc)).toBe('2023-01-01T00:00:00.000Z');
    expect(result.records[0]!.value).toBe(3322);
    expect(iso(result.records[result.records.length - 1]!.tsUtc)).toBe('2023-12-31T23:45:00.000Z');
  });

  it('converts summer local time to UTC', () => {
    // '01-Jul-2023 12:00:00' (IST) is 11:00 UTC.
    expect(at(result, '2023-07-01T11:00:00.000Z')?.value).toBe(3466);
  });

  it('drops the spring gap and keeps the UTC grid continuous on 26 Mar 2023', () => {
    expect(at(result, '2023-03-26T00:45:00.000Z')?.value).toBe(3221);
    expect(at(result, '2023-03-26T01:00:00.000Z')?.value).toBe(3180); // local 02:00 IST
    const day = result.records.filter(
      (o) => o.tsUtc >= Date.UTC(2023, 2, 25) && o.tsUtc < Date.UTC(2023, 2, 27),
    );
    expect(day).toHaveLength(2 * 96);
    expect(
      isContinuous(
        day.map((o) => o.tsUtc),
        QUARTER_HOUR_MS,
      ),
    ).toBe(true);
  });

  it('reads the autumn hour published once as its first occurrence on 29 Oct 2023', () => {
    expect(at(result, '2023-10-29T00:00:00.000Z')?.value).toBe(3144); // local 01:00 IST
    expect(at(result, '2023-10-29T00:45:00.000Z')?.value).toBe(3062); // local 01:45 IST
    expect(at(result, '2023-10-29T02:00:00.000Z')?.value).toBe(2931); // local 02:00 GMT
    for (const minute of [0, 15, 30, 45])
      expect(at(result, `2023-10-29T01:${String(minute).padStart(2, '0')}:00.000Z`)).toBeUndefined();
    expect(result.quality.notes).toEqual([
      '2023-10-29: the repeated hour 01:00-01:59 local is published once (SYSTEM_DEMAND ROI); read as its first (IST) occurrence, 00:00-00:59Z, so 01:00-01:59Z (the GMT occurrence) is missing',
    ]);
  });

  it('reads 1 Jan 2024 00:00 from the 2024 file as 2024-01-01T00:00Z', async () => {
    const y2024 = await parseDashboardFile(join(CSV_DIR, 'ROI_demandactual_24_Eirgrid.csv'));
    expect(at(y2024, '2024-01-01T00:00:00.000Z')?.value).toBe(3460);
    // A leap year: 35,136 slots less 4 gap rows; the year after 19 Feb is published empty.
    expect(y2024.records).toHaveLength(35_136 - 4);
    expect(y2024.quality.emptyValues).toBe(30_367);
  });
});

describe('SNSP (real CSV exports)', () => {
  it('stores SNSP as a fraction at 30 minutes', async () => {
    const result = await parseDashboardFile(join(CSV_DIR, 'ALL_SnspALL_23_Eirgrid.csv'));
    expect(result.records).toHaveLength(17_514);
    expect(
      result.records.every((o) => o.series === 'snsp' && o.region === 'ALL' && o.intervalMin === 30),
    ).toBe(true);
    expect(at(result, '2023-01-01T00:00:00.000Z')?.value).toBeCloseTo(0.390826, 12);
    expect(result.records.every((o) => o.value !== null && o.value >= 0 && o.value <= 1)).toBe(true);
    // 30-minute SNSP skips the gap rows altogether.
    expect(result.quality.dstGapRowsDropped).toBe(0);
  });

  it('resolves the repeated rows after the 2021 spring gap, keeping the later one', async () => {
    const result = await parseDashboardFile(join(CSV_DIR, 'ALL_SnspALL_21_Eirgrid.csv'));
    // Rows 1341-1344: 02:00 and 02:30 twice, with different values.
    expect(at(result, '2021-03-28T01:00:00.000Z')?.value).toBeCloseTo(0.698313, 12);
    expect(at(result, '2021-03-28T01:30:00.000Z')?.value).toBeCloseTo(0.692814, 12);
    expect(result.quality.dstGapRowsDropped).toBe(2);
    expect(result.quality.notes).toContain(
      '2 row(s) just after the spring gap were repeated with another value (the skipped hour published under the next label); kept the later row',
    );
    expect(iso(result.records[0]!.tsUtc)).toBe('2021-03-01T00:00:00.000Z');
  });
});

describe('every real file', () => {
  it('parses the whole raw folder: CSV exports and both JSON shapes', async () => {
    const files = await discoverDashboardFiles(RAW);
    expect(files).toHaveLength(38);
    let records = 0;
    const shapes = new Map<string, number>();
    for (const file of files) {
      const result = await parseDashboardFile(file);
      records += result.records.length;
      shapes.set(result.shape, (shapes.get(result.shape) ?? 0) + 1);
      // No UTC time twice within a series.
      const keys = new Set(result.records.map((o) => `${o.series}|${o.region}|${o.tsUtc}`));
      expect(keys.size, file).toBe(result.records.length);
    }
    expect(Object.fromEntries(shapes)).toEqual({ csv: 30, 'legacy-json': 3, 'api-json': 5 });
    expect(records).toBeGreaterThan(960_000);
  });
});

describe('JSON samples (real recorded answers)', () => {
  it('reads the old endpoint envelope, with future rows as missing', async () => {
    const result = await parseDashboardFile(join(JSON_DIR, 'consumption.json'));
    expect(result.shape).toBe('legacy-json');
    expect(result.records).toHaveLength(289);
    expect(result.records[0]).toEqual({
      series: 'demand_mw',
      region: 'NI',
      tsUtc: Date.UTC(2023, 10, 4),
      intervalMin: 15,
      value: 685,
    });
    expect(result.quality.emptyValues).toBe(30);
    expect(result.quality.outOfPeriodDropped).toBe(0);
  });

  it('reads the 30-minute demand forecast and the Moyle interconnector', async () => {
    const forecast = await parseDashboardFile(join(JSON_DIR, 'consumptionForecast.json'));
    expect(forecast.records.every((o) => o.series === 'demand_forecast_mw' && o.intervalMin === 30)).toBe(
      true,
    );
    expect(at(forecast, '2023-11-09T10:30:00.000Z')?.value).toBe(4407);
    const exchange = await parseDashboardFile(join(JSON_DIR, 'exchange.json'));
    expect(at(exchange, '2023-11-07T00:00:00.000Z')).toMatchObject({
      series: 'ic_moyle_mw',
      region: 'NI',
      value: 442,
    });
  });

  it('reads the new endpoint, whatever the key order', async () => {
    const generation = await parseDashboardFile(join(JSON_DIR, 'generation.json'));
    expect(generation.shape).toBe('api-json');
    expect(generation.records).toHaveLength(96);
    // '04-Jun-2025 00:00:00' is 23:00 UTC the day before.
    expect(generation.records[0]).toMatchObject({ series: 'generation_mw', region: 'IE', value: 2180 });
    expect(iso(generation.records[0]!.tsUtc)).toBe('2025-06-03T23:00:00.000Z');
    const solar = await parseDashboardFile(join(JSON_DIR, 'solarForecast.json'));
    expect(solar.records).toHaveLength(96);
    expect(solar.records.every((o) => o.series === 'solar_forecast_mw' && o.value !== null)).toBe(true);
  });
});

describe('cleaning rules (fixtures)', () => {
  it('applies period, repeats, spring gap and autumn rules to a small export', async () => {
    const result = await parseDashboardFile(fixture('ROI_demandactual_23_fixture.csv'));
    expect(result.quality).toMatchObject({
      rowsRead: 22,
      duplicatesDropped: 2,
      outOfPeriodDropped: 2,
      dstGapRowsDropped: 4,
      emptyValues: 0,
      dstDays: ['2023-03-26', '2023-10-29'],
    });
    expect(result.records.map((o) => `${iso(o.tsUtc).slice(0, 16)} ${o.value}`)).toEqual([
      '2023-03-26T00:30 3275',
      '2023-03-26T00:45 3221',
      '2023-03-26T01:00 3180',
      '2023-03-26T01:15 3167',
      '2023-10-28T23:45 3162',
      '2023-10-29T00:00 3144',
      '2023-10-29T00:15 3113',
      '2023-10-29T00:30 3082',
      '2023-10-29T00:45 3062',
      '2023-10-29T02:00 2931',
      '2023-11-30T23:45 4010',
      '2023-12-01T00:00 3950',
      '2023-12-01T00:15 3931',
      '2023-12-31T23:45 3488',
    ]);
    expect(result.quality.notes).toContain('1 empty value(s) were filled by a later repeat of the same time');
  });

  it('keeps the later row of a value repeated just after the spring gap', async () => {
    const result = await parseDashboardFile(fixture('ALL_SnspALL_21_spring.csv'));
    expect(result.records.map((o) => `${iso(o.tsUtc).slice(11, 16)} ${o.value}`)).toEqual([
      '00:00 0.7',
      '00:30 0.705',
      '01:00 0.69',
      '01:30 0.695',
      '02:00 0.68',
    ]);
    expect(result.quality.dstGapRowsDropped).toBe(2);
    expect(result.quality.duplicatesDropped).toBe(0);
  });

  it('reads both occurrences of the autumn hour when a file has them', () => {
    const walls = ['00:45', '01:00', '01:15', '01:30', '01:45', '01:00', '01:15', '01:30', '01:45', '02:00'];
    const text = walls.map((wall, i) => `27-Oct-2024 ${wall}:00,WIND_ACTUAL,ROI,${100 + i}`).join('\r\n');
    const result = parseDashboardText(text, 'memory.csv');
    const times = result.records.map((o) => o.tsUtc);
    expect(iso(times[0]!)).toBe('2024-10-26T23:45:00.000Z');
    expect(isContinuous(times, QUARTER_HOUR_MS)).toBe(true);
    expect(result.records.map((o) => o.value)).toEqual(walls.map((_, i) => 100 + i));
    expect(at(result, '2024-10-27T01:00:00.000Z')?.value).toBe(105);
    expect(result.quality.notes).toEqual([]);
  });

  it('skips a header line and reads quoted fields', () => {
    const text =
      'EffectiveTime,FieldName,Region,Value\n"01-Jan-2024 00:00:00","CO2_INTENSITY","ROI","250.5"\n';
    const result = parseDashboardText(text, 'quoted.csv');
    expect(result.records).toEqual([
      { series: 'co2_intensity', region: 'IE', tsUtc: Date.UTC(2024, 0, 1), intervalMin: 15, value: 250.5 },
    ]);
  });

  it('reads the file period from the name', () => {
    expect(periodFromFileName('/x/ROI_demandactual_24_Eirgrid.csv')?.label).toBe('2024');
    expect(periodFromFileName('ALL_SnspALL_2025-03_api.json')).toEqual({
      fromWall: Date.UTC(2025, 2, 1),
      toWall: Date.UTC(2025, 3, 1),
      label: '2025-03',
    });
    expect(periodFromFileName('NI_windactual_2025-03-30_legacy.json')?.toWall).toBe(Date.UTC(2025, 2, 31));
    expect(periodFromFileName('consumption.json')).toBeUndefined();
  });
});

describe('errors (fixtures)', () => {
  const cases: Array<[string, string, { line?: number; entry?: string; column?: string }, RegExp]> = [
    ['unknown-region.csv', 'E_REGION_UNKNOWN', { line: 2, column: 'Region' }, /unknown Region "GB"/],
    [
      'unknown-field.csv',
      'E_VALUE_INVALID',
      { line: 3, column: 'FieldName' },
      /unknown FieldName "SYSTEM_LOAD"/,
    ],
    [
      'bad-time.csv',
      'E_VALUE_INVALID',
      { line: 2, column: 'EffectiveTime' },
      /"2024-01-01 00:15:00" is not a dd-Mon-yyyy/,
    ],
    ['bad-value.csv', 'E_VALUE_INVALID', { line: 2, column: 'Value' }, /Value "n\/a" is not a number/],
    [
      'conflict.csv',
      'E_DUPLICATE_CONFLICT',
      { line: 4, column: 'Value' },
      /line 2 and line 4 both give SYSTEM_DEMAND ROI at 01-Jan-2024 00:15:00 .* \(3455 and 3499\)/,
    ],
    ['wrong-fields.csv', 'E_INPUT_CORRUPT', { line: 2 }, /expected 4 fields/],
    ['empty.csv', 'E_INPUT_EMPTY', {}, /the file is empty/],
    ['legacy-error.json', 'E_INPUT_CORRUPT', {}, /answered Status "Error": Invalid date range/],
    ['no-rows.json', 'E_INPUT_EMPTY', {}, /holds no rows/],
    ['truncated.json', 'E_INPUT_CORRUPT', {}, /not valid JSON/],
    [
      'missing-field.json',
      'E_VALUE_INVALID',
      { entry: 'Rows[1]', column: 'FieldName' },
      /JSON Rows\[1\], column "FieldName": Rows\[1\] has no text "FieldName"/,
    ],
    [
      'api-unknown-region.json',
      'E_REGION_UNKNOWN',
      { entry: 'Rows[1]', column: 'Region' },
      /unknown Region "IRL"/,
    ],
    [
      'legacy-bad-value.json',
      'E_VALUE_INVALID',
      { entry: 'Rows[1]', column: 'Value' },
      /Value "ten" is not a number/,
    ],
  ];
  for (const [name, code, location, message] of cases) {
    it(`${name}: ${code}`, async () => {
      const error = await failure(parseDashboardFile(fixture(name), { displayName: name }));
      expect(error.code).toBe(code);
      expect(error.location).toEqual({ file: name, ...location });
      expect(error.message).toMatch(message);
    });
  }

  it('names a missing file', async () => {
    const error = await failure(parseDashboardFile(fixture('absent.csv')));
    expect(error.code).toBe('E_NOT_FOUND');
  });
});

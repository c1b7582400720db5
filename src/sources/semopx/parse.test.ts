import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Observation, ParseResult } from '../types.js';
import { detectSemopxFormat, parseSemopxFile, parseSemopxText } from './parse.js';
import { SEMOPX_TABLE_HEADER } from './table-csv.js';
import { writeMarketResultCsv, writeMarketResultJson, writeSemopxTableCsv } from './write.js';
import { errorOf } from '../../lib/test-support/errors.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/semopx/', import.meta.url));
const REAL = `${RAW}semopx_day_ahead_index_prices_2025-01-01_2026-02-04.csv`;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const AUTUMN_CSV = fixture('MarketResult_SEM-DA_PWR-MRC-D+1_20251025110000_20251025110512.csv');
const WINTER_JSON = fixture('MarketResult_SEM-DA_PWR-MRC-D+1_20251201110000_20251201110440.json');
const SPRING_2019 = fixture('MarketResult_SEM-DA_PWR-MRC-D+1_20190330110000_20190330115500.csv');
const TABLE = fixture('semopx_day_ahead_index_prices_sample.csv');

const pick = (result: ParseResult, region: string, series: string) =>
  result.records.filter((r) => r.region === region && r.series === series);
const find = (result: ParseResult, region: string, series: string, iso: string) =>
  result.records.find((r) => r.region === region && r.series === series && r.tsUtc === Date.parse(iso));

describe('SEMOpx day-ahead price table, the real file', () => {
  let result: ParseResult;
  beforeAll(async () => {
    result = await parseSemopxFile(REAL);
  });

  it('reads every ROI-DA row as region IE and every NI-DA row as region NI', () => {
    expect(result.quality.rowsRead).toBe(12_626 + 4_464);
    expect(pick(result, 'IE', 'price_eur_mwh')).toHaveLength(12_626);
    expect(pick(result, 'IE', 'price_gbp_mwh')).toHaveLength(12_626);
    expect(pick(result, 'NI', 'price_eur_mwh')).toHaveLength(4_464);
    expect(pick(result, 'IE', 'price_eur_mwh')[0]!.tsUtc).toBe(Date.parse('2024-12-31T23:00:00Z'));
    expect(result.quality.duplicatesDropped).toBe(0);
  });

  it('gives a known price at a known unit start, the same in both markets', () => {
    expect(find(result, 'IE', 'price_eur_mwh', '2025-06-15T10:00:00Z')).toEqual({
      series: 'price_eur_mwh',
      region: 'IE',
      tsUtc: Date.parse('2025-06-15T10:00:00Z'),
      intervalMin: 60,
      value: 81.59,
    });
    expect(find(result, 'IE', 'price_gbp_mwh', '2025-06-15T10:00:00Z')?.value).toBe(69.426);
    const ni = new Map(pick(result, 'NI', 'price_eur_mwh').map((r) => [r.tsUtc, r.value]));
    const ieSameTimes = pick(result, 'IE', 'price_eur_mwh').filter((r) => ni.has(r.tsUtc));
    expect(ieSameTimes).toHaveLength(4_464);
    expect(ieSameTimes.every((r) => ni.get(r.tsUtc) === r.value)).toBe(true);
  });

  it('switches to 30-minute units with trading day 1 Oct 2025', () => {
    // Trading day 1 Oct 2025 starts at 23:00 IST on 30 Sep, i.e. 22:00 UTC.
    expect(find(result, 'IE', 'price_eur_mwh', '2025-09-30T21:00:00Z')?.intervalMin).toBe(60);
    expect(find(result, 'IE', 'price_eur_mwh', '2025-09-30T22:00:00Z')).toMatchObject({
      intervalMin: 30,
      value: 87.79,
    });
    expect(find(result, 'IE', 'price_eur_mwh', '2025-09-30T22:30:00Z')).toMatchObject({
      intervalMin: 30,
      value: 83.52,
    });
    const units = pick(result, 'IE', 'price_eur_mwh');
    const hourly = units.filter((r) => r.intervalMin === 60);
    expect(hourly[hourly.length - 1]!.tsUtc).toBe(Date.parse('2025-09-30T21:00:00Z'));
    expect(
      units.filter((r) => r.tsUtc >= Date.parse('2025-09-30T22:00:00Z')).every((r) => r.intervalMin === 30),
    ).toBe(true);
    expect(result.quality.notes).toContain(
      'ROI-DA: market time unit changes from 60 to 30 min at 2025-09-30T22:00Z (trading day 2025-10-01)',
    );
  });

  it('notes the missing trading day 30 Mar 2025 and no other gap', () => {
    const missing = pick(result, 'IE', 'price_eur_mwh').filter(
      (r) => r.tsUtc >= Date.parse('2025-03-29T23:00:00Z') && r.tsUtc < Date.parse('2025-03-30T22:00:00Z'),
    );
    expect(missing).toEqual([]);
    expect(result.quality.notes).toContain(
      'ROI-DA: no prices for 23 h from 2025-03-29T23:00Z to 2025-03-30T22:00Z (missing trading day 2025-03-30)',
    );
    expect(result.quality.notes.filter((n) => n.includes('no prices'))).toHaveLength(2);
    expect(result.quality.dstDays).toEqual(['2025-03-30', '2025-10-26']);
  });

  it('sets GBP prices published as 0 beside a non-zero EUR price to missing', () => {
    expect(find(result, 'IE', 'price_gbp_mwh', '2025-10-15T17:00:00Z')?.value).toBeNull();
    expect(find(result, 'IE', 'price_eur_mwh', '2025-10-15T17:00:00Z')?.value).toBe(273.61);
    expect(result.quality.notes.some((n) => /^ROI-DA: 3483 GBP price\(s\) given as 0/.test(n))).toBe(true);
  });
});

describe('SEMOpx Market Results report (EA-001)', () => {
  it('reads the current CSV dialect over the autumn clock change (50 half-hours)', async () => {
    const result = await parseSemopxFile(AUTUMN_CSV);
    const ie = pick(result, 'IE', 'price_eur_mwh');
    expect(ie).toHaveLength(50);
    expect(ie[0]!.tsUtc).toBe(Date.parse('2025-10-25T22:00:00Z'));
    expect(ie[49]!.tsUtc).toBe(Date.parse('2025-10-26T22:30:00Z'));
    expect(ie.every((r) => r.intervalMin === 30)).toBe(true);
    expect(pick(result, 'NI', 'price_gbp_mwh')).toHaveLength(50);
    expect(result.quality.rowsRead).toBe(100);
    expect(result.quality.notes).toEqual([]);
    expect(result.quality.dstDays).toEqual(['2025-10-26']);
  });

  it('reads the hourly-era dialect ("Area set", "Market Area"), skipping volume and position blocks', async () => {
    const result = await parseSemopxFile(SPRING_2019);
    const ie = pick(result, 'IE', 'price_eur_mwh');
    expect(ie).toHaveLength(23);
    expect(ie[0]).toMatchObject({ tsUtc: Date.parse('2019-03-30T23:00:00Z'), intervalMin: 60 });
    const text = await readFile(SPRING_2019, 'utf8');
    const firstPrice = Number(text.split('\r\n')[8]!.split(';')[0]!.replace(',', '.'));
    expect(ie[0]!.value).toBe(firstPrice);
    expect(pick(result, 'IE', 'price_gbp_mwh')).toEqual([]);
    expect(result.quality.notes).toEqual([]);
  });

  it('reads the JSON form to the same observations as the CSV form', async () => {
    const fromJson = await parseSemopxFile(WINTER_JSON);
    expect(pick(fromJson, 'IE', 'price_eur_mwh')).toHaveLength(48);
    const meta = { auctionUtc: Date.UTC(2025, 11, 1, 11), publishedUtc: Date.UTC(2025, 11, 1, 11, 5) };
    const fromCsv = parseSemopxText(writeMarketResultCsv(fromJson.records, meta), 'same.csv');
    expect(fromCsv.records).toEqual(fromJson.records);
  });

  it('round-trips observations through the writers', () => {
    const records: Observation[] = [0, 1, 2, 3].flatMap((k) => {
      const tsUtc = Date.parse('2026-01-10T23:00:00Z') + k * 1_800_000;
      return (['IE', 'NI'] as const).flatMap((region) => [
        {
          series: 'price_eur_mwh' as const,
          region,
          tsUtc,
          intervalMin: 30,
          value: k === 2 ? -0.5 : 100.25 + k,
        },
        {
          series: 'price_gbp_mwh' as const,
          region,
          tsUtc,
          intervalMin: 30,
          value: k === 3 ? null : 87.5 + k,
        },
      ]);
    });
    const meta = {
      auctionUtc: Date.UTC(2026, 0, 10, 11),
      publishedUtc: Date.UTC(2026, 0, 10, 11, 5),
      fxEurGbp: 0.87,
    };
    const sort = (list: Observation[]) =>
      [...list].sort(
        (a, b) => a.region.localeCompare(b.region) || a.series.localeCompare(b.series) || a.tsUtc - b.tsUtc,
      );
    for (const text of [
      writeMarketResultCsv(records, meta),
      writeMarketResultJson(records, meta),
      writeSemopxTableCsv(records),
    ]) {
      const parsed = parseSemopxText(text, 'written');
      expect(sort(parsed.records)).toEqual(sort(records));
      expect(parsed.quality.emptyValues).toBe(2);
    }
  });

  it('accepts lines that end in a semicolon', () => {
    const text =
      'Auction;SEM-DA\nMarket;ROI-DA\nIndex prices;30;EUR\n2025-10-01T10:00:00Z;2025-10-01T10:30:00Z;\n1,5;2,5;\n';
    expect(pick(parseSemopxText(text, 'trailing.csv'), 'IE', 'price_eur_mwh').map((r) => r.value)).toEqual([
      1.5, 2.5,
    ]);
  });

  it('refuses an intraday auction report', () => {
    const text = 'Auction;SEM-IDA1\nMarket;ROI-IDA1\nIndex prices;30;EUR\n2025-10-01T10:00:00Z\n1,5\n';
    const error = errorOf(() => parseSemopxText(text, 'ida.csv'));
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.location).toMatchObject({ file: 'ida.csv', line: 1 });
  });

  it('names the row of a price list that does not match its timestamps', () => {
    const text =
      'Auction;SEM-DA\nMarket;ROI-DA\nIndex prices;30;EUR\n2025-10-01T10:00:00Z;2025-10-01T10:30:00Z\n1,5\n';
    const error = errorOf(() => parseSemopxText(text, 'short.csv'));
    expect(error.code).toBe('E_INPUT_CORRUPT');
    expect(error.location).toEqual({ file: 'short.csv', line: 5 });
  });

  it('names the row and column of text in a price list', () => {
    const text =
      'Auction;SEM-DA\nMarket;ROI-DA\nIndex prices;30;EUR\n2025-10-01T10:00:00Z;2025-10-01T10:30:00Z\n1,5;n/a\n';
    const error = errorOf(() => parseSemopxText(text, 'text.csv'));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'text.csv', line: 5, column: 'period 2 (2025-10-01T10:30:00Z)' });
  });

  it('names the JSON path of a bad value and rejects broken JSON', () => {
    const doc = {
      rows: [[['Market', 'ROI-DA'], ['Index prices', 30, 'EUR'], ['2025-10-01T10:00:00Z'], ['abc']]],
    };
    const error = errorOf(() => parseSemopxText(JSON.stringify(doc), 'bad.json'));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'bad.json', entry: 'rows[0][3][0]' });
    expect(error.message).toMatch(/^bad\.json, JSON rows\[0\]\[3\]\[0\]: /);
    expect(errorOf(() => parseSemopxText('{"rows": [', 'cut.json')).code).toBe('E_INPUT_CORRUPT');
    expect(errorOf(() => parseSemopxText('{"items": []}', 'other.json')).code).toBe('E_INPUT_CORRUPT');
  });

  it('fails on a conflicting repeat of a price within a report', () => {
    const block = 'Index prices;60;EUR\n2025-01-01T10:00:00Z\n';
    const text = `Auction;SEM-DA\nMarket;ROI-DA\n${block}1,5\n${block}2,5\n`;
    const error = errorOf(() => parseSemopxText(text, 'twice.csv'));
    expect(error.code).toBe('E_DUPLICATE_CONFLICT');
    expect(error.message).toContain('line 5 and line 8');
  });
});

describe('SEMOpx price table', () => {
  const row = (market: string, iso: string, eur: string, gbp = '80') => `${market},${iso},${eur},${gbp},,,,`;

  it('derives the unit length of each trading day from the spacing, gaps included', async () => {
    const result = await parseSemopxFile(TABLE);
    const ie = pick(result, 'IE', 'price_eur_mwh');
    expect(ie).toHaveLength(24 + 48);
    expect(ie.slice(0, 24).every((r) => r.intervalMin === 60)).toBe(true);
    expect(ie.slice(24).every((r) => r.intervalMin === 30)).toBe(true);
    // Half-hours with their neighbours missing still belong to a half-hourly trading day.
    const sparse = [
      SEMOPX_TABLE_HEADER,
      ...['22:00', '22:30', '23:00', '01:30', '05:00'].map((t, i) => {
        const day = t < '22:00' ? '2025-10-03' : '2025-10-02';
        return row('ROI-DA', `${day}T${t}:00Z`, String(50 + i));
      }),
    ].join('\n');
    const parsed = parseSemopxText(sparse, 'sparse.csv');
    expect(pick(parsed, 'IE', 'price_eur_mwh').map((r) => r.intervalMin)).toEqual([30, 30, 30, 30, 30]);
    expect(parsed.quality.notes).toEqual([
      'ROI-DA: no prices for 2 h from 2025-10-02T23:30Z to 2025-10-03T01:30Z',
      'ROI-DA: no prices for 3 h from 2025-10-03T02:00Z to 2025-10-03T05:00Z',
    ]);
  });

  it('drops exact repeats and names both rows of a conflicting repeat', () => {
    const base = [
      SEMOPX_TABLE_HEADER,
      row('ROI-DA', '2025-01-01T10:00:00Z', '50.5'),
      row('ROI-DA', '2025-01-01T11:00:00Z', '51'),
    ];
    expect(parseSemopxText([...base, base[1]].join('\n'), 't.csv').quality.duplicatesDropped).toBe(1);
    const error = errorOf(() =>
      parseSemopxText([...base, row('ROI-DA', '2025-01-01T10:00:00Z', '99')].join('\n'), 't.csv'),
    );
    expect(error.code).toBe('E_DUPLICATE_CONFLICT');
    expect(error.message).toContain('line 2 and line 4');
    expect(error.location).toEqual({ file: 't.csv', line: 4, column: 'timestamp_utc' });
  });

  it('names the row and column of text in a price cell', () => {
    const text = [
      SEMOPX_TABLE_HEADER,
      row('ROI-DA', '2025-01-01T10:00:00Z', '50'),
      row('ROI-DA', '2025-01-01T11:00:00Z', 'x'),
    ].join('\n');
    const error = errorOf(() => parseSemopxText(text, 'x.csv'));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.location).toEqual({ file: 'x.csv', line: 3, column: 'index_price_eur_mwh' });
  });

  it('names missing columns, unknown markets and empty files', () => {
    const header = errorOf(() =>
      parseSemopxText('market,time,price\nROI-DA,2025-01-01T10:00:00Z,1\n', 'h.csv'),
    );
    expect(header.code).toBe('E_HEADER_MISSING');
    expect(header.message).toContain('"timestamp_utc", "index_price_eur_mwh"');
    const market = errorOf(() =>
      parseSemopxText(`${SEMOPX_TABLE_HEADER}\n${row('GB-DA', '2025-01-01T10:00:00Z', '1')}`, 'm.csv'),
    );
    expect(market.code).toBe('E_REGION_UNKNOWN');
    expect(market.location).toEqual({ file: 'm.csv', line: 2, column: 'market' });
    expect(errorOf(() => parseSemopxText('', 'e.csv')).code).toBe('E_INPUT_EMPTY');
    expect(errorOf(() => parseSemopxText(`${SEMOPX_TABLE_HEADER}\n`, 'e.csv')).code).toBe('E_INPUT_EMPTY');
  });

  it('tells the formats apart by content', () => {
    expect(detectSemopxFormat('\ufeff{"rows":[]}', 'f')).toBe('report-json');
    expect(detectSemopxFormat('Auction;SEM-DA\n', 'f')).toBe('report-csv');
    expect(detectSemopxFormat(`${SEMOPX_TABLE_HEADER}\n`, 'f')).toBe('table-csv');
  });
});

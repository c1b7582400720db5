import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { documentUrl, latestPerTradingDay, tradingDayRange, type StaticReportItem } from './download.js';
import { semopxSource } from './index.js';
import { marketResultResourceName, writeMarketResultCsv } from './write.js';
import type { Observation } from '../types.js';

const AUTUMN = fileURLToPath(
  new URL('./fixtures/MarketResult_SEM-DA_PWR-MRC-D+1_20251025110000_20251025110512.csv', import.meta.url),
);

/** A day of half-hourly prices for one trading day, written as SEMOpx would publish it. */
function dayReport(startIso: string, price: number): string {
  const start = Date.parse(startIso);
  const records: Observation[] = Array.from({ length: 48 }, (_, k) => ({
    series: 'price_eur_mwh',
    region: 'IE',
    tsUtc: start + k * 1_800_000,
    intervalMin: 30,
    value: price,
  }));
  return writeMarketResultCsv(records, {
    auctionUtc: start - 12 * 3_600_000,
    publishedUtc: start - 11 * 3_600_000,
  });
}

const DOCS = new Map<string, string>();
const LISTED: StaticReportItem[] = [];
const requests: URL[] = [];
let server: Server;
let origin = '';
const dirs: string[] = [];

function publish(day: string, auction: string, published: string, body: string, publishTime: string): string {
  const name = `MarketResult_SEM-DA_PWR-MRC-D+1_${auction}_${published}.csv`;
  DOCS.set(name, body);
  LISTED.push({ ResourceName: name, Date: `${day}T00:00:00`, PublishTime: publishTime });
  return name;
}

beforeAll(async () => {
  publish(
    '2025-12-01',
    '20251130110000',
    '20251130110500',
    dayReport('2025-11-30T23:00:00Z', 70),
    '2025-11-30T11:05:00',
  );
  // 2 Dec is published twice; the later publication must win.
  publish(
    '2025-12-02',
    '20251201110000',
    '20251201110500',
    dayReport('2025-12-01T23:00:00Z', 81),
    '2025-12-01T11:05:00',
  );
  publish(
    '2025-12-02',
    '20251201110000',
    '20251201130000',
    dayReport('2025-12-01T23:00:00Z', 82),
    '2025-12-01T13:00:00',
  );
  publish(
    '2025-12-03',
    '20251202110000',
    '20251202110500',
    dayReport('2025-12-02T23:00:00Z', 93),
    '2025-12-02T11:05:00',
  );
  LISTED.push({
    ResourceName: 'MarketResult_SEM-IDA1_PWR-SEM-GB-D+1_20251201163000_x.csv',
    Date: '2025-12-02T00:00:00',
  });
  LISTED.push({
    ResourceName: 'MarketResult_SEM-DA_PWR-MRC-D+1_20251201110000_20251201110500.xml',
    Date: '2025-12-02',
  });
  const autumn = await readFile(AUTUMN, 'utf8');
  const autumnName = marketResultResourceName({
    auctionUtc: Date.UTC(2025, 9, 25, 11),
    publishedUtc: Date.UTC(2025, 9, 25, 11, 5, 12),
  });
  DOCS.set(autumnName, autumn);
  LISTED.unshift({
    ResourceName: autumnName,
    Date: '2025-10-26T00:00:00',
    PublishTime: '2025-10-25T11:05:12',
  });

  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    if (url.pathname === '/maintenance/api/v1/documents/static-reports') {
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html>down for maintenance</html>');
    }
    if (url.pathname === '/api/v1/documents/static-reports') {
      // Pages of two items, filtered by the Date lower bound, sorted by Date as asked.
      const from = (url.searchParams.get('Date') ?? '>=0000').slice(2);
      const items = LISTED.filter((item) => item.Date.slice(0, 10) >= from).sort((a, b) =>
        a.Date.localeCompare(b.Date),
      );
      const page = Number(url.searchParams.get('page'));
      const body = {
        items: items.slice((page - 1) * 2, page * 2),
        pagination: { totalPages: Math.ceil(items.length / 2) },
      };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
    const name = decodeURIComponent(url.pathname.replace('/documents/', ''));
    const doc = DOCS.get(name);
    if (url.pathname.startsWith('/documents/') && doc !== undefined) return void res.end(doc);
    res.writeHead(404).end();
  });
  origin = await listenLocally(server);
});

afterAll(async () => {
  await closeServer(server);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dcgrid-semopx-'));
  dirs.push(dir);
  return dir;
}

describe('SEMOpx download', () => {
  it('lists EA-001 results page by page and keeps the latest SEM-DA document of each trading day', async () => {
    const dir = await cacheDir();
    requests.length = 0;
    const progress: number[] = [];
    const paths = await semopxSource.download({
      cacheDir: dir,
      baseUrl: origin,
      // 2 Dec 2025 00:00 UTC falls in trading day 2 Dec (from 1 Dec 23:00 UTC); 3 Dec 12:00 in trading day 3 Dec.
      from: Date.parse('2025-12-01T00:00:00Z'),
      to: Date.parse('2025-12-03T12:00:00Z'),
      retries: 0,
      onProgress: (done) => progress.push(done),
    });
    expect(paths.map((p) => basename(p))).toEqual([
      'MarketResult_SEM-DA_PWR-MRC-D+1_20251130110000_20251130110500.csv',
      'MarketResult_SEM-DA_PWR-MRC-D+1_20251201110000_20251201130000.csv',
      'MarketResult_SEM-DA_PWR-MRC-D+1_20251202110000_20251202110500.csv',
    ]);
    expect(progress).toEqual([0, 1, 2, 3]);
    const listing = requests.filter((r) => r.pathname.endsWith('static-reports'));
    expect(listing.map((r) => r.searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(Object.fromEntries(listing[0]!.searchParams)).toMatchObject({
      DPuG_ID: 'EA-001',
      ResourceName: 'MarketResult_SEM-DA',
      Date: '>=2025-12-01',
      ExcludeDelayedPublication: '0',
      sort_by: 'Date',
      order_by: 'ASC',
    });
    const republished = await semopxSource.parse(paths[1]!);
    expect(republished.records[0]).toMatchObject({
      tsUtc: Date.parse('2025-12-01T23:00:00Z'),
      intervalMin: 30,
      value: 82,
    });
  });

  it('reuses cached documents unless asked to refresh', async () => {
    const dir = await cacheDir();
    const options = {
      cacheDir: dir,
      baseUrl: origin,
      from: Date.parse('2025-10-25T22:00:00Z'),
      to: Date.parse('2025-10-26T23:00:00Z'),
      retries: 0,
    };
    const documents = () => requests.filter((r) => r.pathname.startsWith('/documents/')).length;
    const first = await semopxSource.download(options);
    const before = documents();
    expect(await semopxSource.download(options)).toEqual(first);
    expect(documents()).toBe(before);
    await semopxSource.download({ ...options, refresh: true });
    expect(documents()).toBe(before + 1);
    expect(await readdir(dir)).toEqual(['MarketResult_SEM-DA_PWR-MRC-D+1_20251025110000_20251025110512.csv']);
    expect(await readFile(first[0]!, 'utf8')).toBe(await readFile(AUTUMN, 'utf8'));
  });

  it('returns nothing for trading days without documents', async () => {
    const paths = await semopxSource.download({
      cacheDir: await cacheDir(),
      baseUrl: origin,
      from: Date.parse('2026-05-01T00:00:00Z'),
      to: Date.parse('2026-05-02T00:00:00Z'),
      retries: 0,
    });
    expect(paths).toEqual([]);
  });

  it('fails clearly when the listing is not the expected JSON', async () => {
    const error = await semopxSource
      .download({
        cacheDir: await cacheDir(),
        baseUrl: `${origin}/documents`,
        from: 0,
        to: 86_400_000,
        retries: 0,
      })
      .catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
  });
});

describe('SEMOpx download helpers', () => {
  it('turns a UTC range into trading days', () => {
    expect(tradingDayRange(Date.parse('2025-09-30T22:00:00Z'), Date.parse('2025-10-02T22:00:00Z'))).toEqual({
      first: '2025-10-01',
      last: '2025-10-02',
    });
    expect(() => tradingDayRange(5, 5)).toThrow(/empty/);
  });

  it('keeps CSV documents with safe names, one per day', () => {
    const items: StaticReportItem[] = [
      { ResourceName: 'MarketResult_SEM-DA_a_1.csv', Date: '2025-01-02', PublishTime: '2025-01-01T11:00:00' },
      { ResourceName: 'MarketResult_SEM-DA_a_2.csv', Date: '2025-01-02', PublishTime: '2025-01-01T12:00:00' },
      { ResourceName: '../MarketResult_SEM-DA_evil.csv', Date: '2025-01-03' },
      { ResourceName: 'MarketResult_SEM-DA_a_3.json', Date: '2025-01-03' },
    ];
    expect(latestPerTradingDay(items).map((i) => i.ResourceName)).toEqual(['MarketResult_SEM-DA_a_2.csv']);
  });

  it('keeps "+" literal in document paths', () => {
    expect(documentUrl('https://reports.semopx.com', 'MarketResult_SEM-DA_PWR-MRC-D+1_1_2.csv')).toBe(
      'https://reports.semopx.com/documents/MarketResult_SEM-DA_PWR-MRC-D+1_1_2.csv',
    );
  });
});

describe('semopxSource.discover', () => {
  it('finds the price table in the shared raw folder', async () => {
    const raw = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));
    expect(await semopxSource.discover(raw)).toEqual([
      join(raw, 'semopx', 'semopx_day_ahead_index_prices_2025-01-01_2026-02-04.csv'),
    ]);
  });
});

import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QUARTER_HOUR_MS, irishWallToUtcMs, parseDashboardWall } from '../../lib/time.js';
import type { Observation } from '../types.js';
import { AREAS, REGION_OF_CODE, type DashboardArea, FIELDS } from './fields.js';
import { type DashboardDownloadOptions, dashboardWindows, downloadDashboard } from './download.js';
import { dashboardSource } from './index.js';
import { parseDashboardFile } from './parse.js';
import { formatApiJson, formatLegacyJson, toDashboardRows } from './write.js';
import { failure } from '../../lib/test-support/errors.js';

let server: Server;
let base = '';
const requests: URL[] = [];
const hits = new Map<string, number>();

/** Made-up values for the fields of an area over [from, to) UTC, at each field's step. */
function observationsFor(area: DashboardArea, regionCode: string, from: number, to: number): Observation[] {
  const list: Observation[] = [];
  for (const field of AREAS[area]) {
    const spec = FIELDS[field]!;
    const step = spec.intervalMin * 60_000;
    for (let ts = Math.ceil(from / step) * step; ts < to; ts += step) {
      const value = spec.percent ? 0.5 : 1000 + ((ts / QUARTER_HOUR_MS) % 500);
      list.push({
        series: spec.series,
        region: REGION_OF_CODE[regionCode]!,
        tsUtc: ts,
        intervalMin: spec.intervalMin,
        value,
      });
    }
  }
  return list;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const params = url.searchParams;
    const area = (params.get('areas') ?? params.get('area')) as DashboardArea;
    const region = params.get('region') ?? '';
    const hitKey = `${url.pathname} ${area} ${region}`;
    const count = (hits.get(hitKey) ?? 0) + 1;
    hits.set(hitKey, count);
    const legacy = url.pathname === '/DashboardService.svc/data';
    if (!legacy && url.pathname !== '/api/chart/') return void res.writeHead(404).end();
    if (area === 'solaractual') return void res.writeHead(404, 'Not Found').end('<html>not found</html>');
    if (area === 'windactual' && count === 1) return void res.writeHead(503).end('busy');
    if (area === 'co2emission') return void res.end(formatApiJson([]));
    if (legacy && area === 'co2intensity') {
      return void res.end(formatLegacyJson([], { status: 'Error', errorMessage: 'Invalid area' }));
    }
    const fromText = (legacy ? params.get('datefrom') : params.get('dateFrom')) ?? '';
    const toText = (legacy ? params.get('dateto') : params.get('dateTo')) ?? '';
    const fromWall = parseDashboardWall(`${fromText}:00`);
    const toWall = parseDashboardWall(`${toText}:00`) + 60_000;
    // Like the month queries behind the CSV exports, answer one hour past the window.
    const observations = observationsFor(
      area,
      region,
      irishWallToUtcMs(fromWall)!,
      irishWallToUtcMs(toWall)! + 3_600_000,
    );
    const rows = toDashboardRows(observations);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(legacy ? formatLegacyJson(rows) : formatApiJson(rows));
  });
  base = await listenLocally(server);
});

afterAll(() => closeServer(server));
beforeEach(() => {
  requests.length = 0;
  hits.clear();
});

async function options(extra: Partial<DashboardDownloadOptions>): Promise<DashboardDownloadOptions> {
  return {
    cacheDir: await mkdtemp(join(tmpdir(), 'dcgrid-dbdl-')),
    baseUrl: base,
    from: Date.UTC(2024, 0, 1),
    to: Date.UTC(2024, 2, 1),
    backoffMs: 5,
    ...extra,
  };
}

describe('dashboardWindows', () => {
  it('lists the Irish local months of a UTC range', () => {
    // 31 Mar 2024 23:30 UTC is already 1 Apr in Ireland (IST).
    // 30 Apr 2024 23:00 UTC is 1 May 00:00 IST: the range ends with April.
    expect(
      dashboardWindows(Date.UTC(2024, 2, 31, 23, 30), Date.UTC(2024, 3, 30, 23), 'month').map((w) => w.label),
    ).toEqual(['2024-04']);
    expect(dashboardWindows(Date.UTC(2024, 2, 31, 23, 30), Date.UTC(2024, 4, 1), 'month')).toHaveLength(2);
    expect(
      dashboardWindows(Date.UTC(2023, 11, 31, 12), Date.UTC(2024, 0, 2), 'day').map((w) => w.label),
    ).toEqual(['2023-12-31', '2024-01-01']);
    expect(() => dashboardWindows(5, 5, 'month')).toThrow(/empty/);
  });
});

describe('downloadDashboard', () => {
  it('fetches month windows from the new endpoint and caches files that parse() understands', async () => {
    const progress: string[] = [];
    const opts = await options({
      areas: ['demandactual'],
      onProgress: (done, total, label) => progress.push(`${done}/${total} ${label}`),
    });
    const paths = await dashboardSource.download(opts);
    expect(paths.map((p) => basename(p))).toEqual([
      'ROI_demandactual_2024-01_api.json',
      'ROI_demandactual_2024-02_api.json',
    ]);
    expect(progress).toEqual(['1/2 demandactual ROI 2024-01', '2/2 demandactual ROI 2024-02']);
    expect(requests[0]!.pathname).toBe('/api/chart/');
    expect(Object.fromEntries(requests[0]!.searchParams)).toEqual({
      region: 'ROI',
      chartType: 'default',
      dateRange: 'month',
      dateFrom: '01-Jan-2024 00:00',
      dateTo: '31-Jan-2024 23:59',
      areas: 'demandactual',
    });

    const january = await parseDashboardFile(paths[0]!);
    expect(january.shape).toBe('api-json');
    expect(january.records).toHaveLength(31 * 96);
    expect(january.quality.outOfPeriodDropped).toBe(4);
    expect(new Date(january.records[0]!.tsUtc).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    const february = await parseDashboardFile(paths[1]!);
    expect(february.records).toHaveLength(29 * 96);

    // Past windows come from the cache the second time, unless refresh is asked for.
    requests.length = 0;
    expect(await downloadDashboard(opts)).toEqual(paths);
    expect(requests).toHaveLength(0);
    await downloadDashboard({ ...opts, refresh: true });
    expect(requests).toHaveLength(2);
  });

  it('queries the old endpoint, with SNSP for the whole island by default', async () => {
    const opts = await options({ endpoint: 'legacy', areas: ['SnspALL'], to: Date.UTC(2024, 1, 1) });
    const paths = await downloadDashboard(opts);
    expect(paths.map((p) => basename(p))).toEqual(['ALL_SnspALL_2024-01_legacy.json']);
    expect(requests[0]!.pathname).toBe('/DashboardService.svc/data');
    expect(requests[0]!.search).toBe(
      '?area=SnspALL&region=ALL&datefrom=01-Jan-2024+00%3A00&dateto=31-Jan-2024+23%3A59',
    );
    const snsp = await parseDashboardFile(paths[0]!);
    expect(snsp.shape).toBe('legacy-json');
    expect(snsp.records).toHaveLength(31 * 48);
    expect(snsp.records.every((o) => o.series === 'snsp' && o.value === 0.5 && o.intervalMin === 30)).toBe(
      true,
    );
  });

  it('asks for each region and day when told to', async () => {
    const opts = await options({
      areas: ['interconnection'],
      regions: ['IE', 'NI'],
      window: 'day',
      // Midnight to midnight Irish summer time: 1 and 2 June.
      from: Date.UTC(2024, 4, 31, 23),
      to: Date.UTC(2024, 5, 2, 23),
    });
    const paths = await downloadDashboard(opts);
    expect(paths.map((p) => basename(p))).toEqual([
      'ROI_interconnection_2024-06-01_api.json',
      'ROI_interconnection_2024-06-02_api.json',
      'NI_interconnection_2024-06-01_api.json',
      'NI_interconnection_2024-06-02_api.json',
    ]);
    expect(requests[0]!.searchParams.get('dateRange')).toBe('day');
    expect(requests[0]!.searchParams.get('dateTo')).toBe('01-Jun-2024 23:59');
    const day = await parseDashboardFile(paths[0]!);
    // Four interconnector fields, 96 quarter-hours each.
    expect(day.records).toHaveLength(4 * 96);
  });

  it('retries a 503 and then succeeds', async () => {
    const paths = await downloadDashboard(await options({ areas: ['windactual'], to: Date.UTC(2024, 0, 2) }));
    expect(paths).toHaveLength(1);
    expect(hits.get('/api/chart/ windactual ROI')).toBe(2);
  });

  it('reports a 404 with what was asked for', async () => {
    const error = await failure(downloadDashboard(await options({ areas: ['solaractual'], retries: 2 })));
    expect(error.code).toBe('E_DOWNLOAD_FAILED');
    expect(error.message).toMatch(
      /^Smart Grid Dashboard solaractual ROI 2024-01: could not download http:\/\/127\.0\.0\.1:\d+\/api\/chart\/\?region=ROI&.*areas=solaractual: HTTP 404 Not Found/,
    );
    // A 404 is not retried.
    expect(hits.get('/api/chart/ solaractual ROI')).toBe(1);
  });

  it('reports an error envelope and keeps it out of the cache', async () => {
    const opts = await options({ endpoint: 'legacy', areas: ['co2intensity'] });
    const error = await failure(downloadDashboard(opts));
    expect(error.code).toBe('E_DOWNLOAD_FAILED');
    expect(error.message).toContain('answered Status "Error": Invalid area');
    expect(await readdir(opts.cacheDir)).toEqual([]);
  });

  it('skips windows without rows', async () => {
    const progress: string[] = [];
    const opts = await options({
      areas: ['co2emission'],
      to: Date.UTC(2024, 0, 5),
      onProgress: (_done, _total, label) => progress.push(label),
    });
    expect(await downloadDashboard(opts)).toEqual([]);
    expect(progress).toEqual(['co2emission ROI 2024-01 (no rows)']);
    expect(await readdir(opts.cacheDir)).toEqual([]);
  });

  it('fetches a window that has not ended yet again', async () => {
    const now = Date.now();
    const opts = await options({ areas: ['demandactual'], from: now - 3_600_000, to: now });
    await downloadDashboard(opts);
    await downloadDashboard(opts);
    expect(hits.get('/api/chart/ demandactual ROI')).toBe(2);
  });

  it('refuses an unknown area', async () => {
    const error = await failure(downloadDashboard(await options({ areas: ['nuclear' as DashboardArea] })));
    expect(error.code).toBe('E_CONFIG_INVALID');
  });
});

/**
 * `dcgrid ingest --download` end to end: the command line, the plan, every source's downloader,
 * the cache, the parsers and the ingest into PostgreSQL, against one local server that answers
 * in each publisher's real format, reached through the download URL settings.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../lib/test-support/local-server.js';
import { MEC02_CSV_URL } from '../../sources/cso/figures.js';
import { CSO_ORIGIN } from '../../sources/cso/download.js';
import { EMBER_ZIP_PATH } from '../../sources/ember/download.js';
import { STATIC_REPORTS_PATH } from '../../sources/semopx/download.js';
import {
  startPublisherMirror,
  type DownloadUrlSettings,
  type PublisherMirror,
} from '../../sources/test-support/publisher-mirror.js';
import type { Observation, SeriesName } from '../../sources/types.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { ExitCode } from '../exit-codes.js';
import { runCli } from '../test-support/run-cli.js';

/** September 2024 in Irish local time (IST): what the mirror publishes. */
const SPAN = { from: Date.UTC(2024, 7, 31, 23), to: Date.UTC(2024, 8, 30, 23) };
/** The two days asked for. */
const WINDOW = ['--from', '2024-09-02', '--to', '2024-09-04'];
const WINDOW_FROM = new Date(Date.UTC(2024, 8, 2));
const WINDOW_TO = new Date(Date.UTC(2024, 8, 4));
const URL_SETTINGS: ReadonlyArray<keyof DownloadUrlSettings> = [
  'DASHBOARD_BASE_URL',
  'EIRGRID_WORKBOOK_URL',
  'EMBER_URL',
  'SEMOPX_BASE_URL',
  'CSO_BASE_URL',
];

interface IngestOutput {
  reportId: number;
  report: {
    mode: string;
    dataNote: string;
    files: Array<{ source: string; file: string; records: number }>;
    rowsWritten: { observations: number; features: number; csoFigures: number };
  };
}

interface ErrorOutput {
  error: { code: string; message: string };
}

function valueAt(list: readonly Observation[], series: SeriesName, tsUtc: number): number {
  const found = list.find((o) => o.series === series && o.tsUtc === tsUtc);
  if (found?.value === undefined || found.value === null)
    throw new Error(`nothing served for ${series} at ${tsUtc}`);
  return found.value;
}

async function listCache(home: string, source: string): Promise<string[]> {
  return (await readdir(join(home, 'cache', source)).catch(() => [])).sort();
}

describe('dcgrid ingest --download against a mirror of every publisher', () => {
  let store: TestStore;
  let mirror: PublisherMirror;
  let root = '';
  const saved = { ...process.env };

  /** Settings for one run: a DCGRID_HOME, the database, and the download URLs (others unset). */
  function useSettings(home: string, urls: Partial<DownloadUrlSettings>, extra: Record<string, string> = {}) {
    for (const key of URL_SETTINGS) delete process.env[key];
    delete process.env.DOWNLOAD_RETRIES;
    Object.assign(process.env, { DATABASE_URL: store.url!, DCGRID_HOME: home, ...urls, ...extra });
  }

  async function count(
    table: 'dcgrid.observations' | 'dcgrid.features_hourly' | 'dcgrid.cso_figures' | 'dcgrid.ingest_reports',
  ) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function counts() {
    return {
      observations: await count('dcgrid.observations'),
      features: await count('dcgrid.features_hourly'),
      cso: await count('dcgrid.cso_figures'),
      reports: await count('dcgrid.ingest_reports'),
    };
  }

  beforeAll(async () => {
    store = await createTestStore('postgres');
    mirror = await startPublisherMirror(SPAN);
    root = await mkdtemp(join(tmpdir(), 'dcgrid-cli-download-'));
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    await mirror?.close().catch(() => undefined);
    await store?.dispose();
  });

  it('exits 5 with E_DOWNLOAD_FAILED naming the unreachable URL, writes no data and stores the failure', async () => {
    const home = join(root, 'unreachable');
    const port = await closedPort();
    // Every source but the last one downloaded is reachable (the workbook through the reports page).
    useSettings(
      home,
      {
        ...mirror.settings,
        EIRGRID_WORKBOOK_URL: mirror.workbookPageUrl,
        CSO_BASE_URL: `http://127.0.0.1:${port}`,
      },
      { DOWNLOAD_RETRIES: '0' },
    );
    const result = await runCli('--json', 'ingest', '--download', ...WINDOW);
    expect(result.exitCode).toBe(ExitCode.DOWNLOAD);
    const { error } = JSON.parse(result.stdout) as ErrorOutput;
    expect(error.code).toBe('E_DOWNLOAD_FAILED');
    expect(error.message).toContain(
      `could not download http://127.0.0.1:${port}${MEC02_CSV_URL.slice(CSO_ORIGIN.length)}`,
    );
    expect(error.message).toContain('ECONNREFUSED');
    // Nothing is written but the failed report, which keeps the error.
    expect(await counts()).toEqual({ observations: 0, features: 0, cso: 0, reports: 1 });
    const failed = await store.db
      .selectFrom('dcgrid.ingest_reports')
      .select(['status', 'mode', 'error', 'rows_written'])
      .executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', mode: 'download', rows_written: 0 });
    expect(failed.error).toContain('ECONNREFUSED');
    // The other sources were fetched (the page's newest workbook version) before the CSO failed.
    expect(mirror.requests).toContain('/eirgrid/reports');
    expect(await listCache(home, 'eirgrid-workbook')).toEqual(['System-Data-Qtr-Hourly-2024-V2.xlsx']);
    expect(await listCache(home, 'cso')).toEqual([]);
  });

  it('downloads every source from the mirror into the cache and ingests what was served', async () => {
    const home = join(root, 'mirror');
    useSettings(home, mirror.settings);
    mirror.requests.length = 0;
    const result = await runCli('--json', 'ingest', '--download', ...WINDOW);
    // stderr carries progress lines only (they stay on with --json; stdout holds the JSON).
    expect(result.stderr).not.toMatch(/error|warn/i);
    expect(result.exitCode).toBe(ExitCode.OK);
    const { report } = JSON.parse(result.stdout) as IngestOutput;
    const { served, origin } = mirror;

    // The data note names every URL used instead of a publisher's.
    expect(report.mode).toBe('download');
    expect(report.dataNote).toBe(
      `downloaded 2024-09-02 to 2024-09-04 (cache: ${join(home, 'cache')}), not from the publishers: ` +
        `eirgrid-workbook from ${origin}/eirgrid/files/ (EIRGRID_WORKBOOK_URL), ` +
        `dashboard from ${origin}/sgd (DASHBOARD_BASE_URL), ` +
        `semopx from ${origin}/semopx (SEMOPX_BASE_URL), ` +
        `ember from ${origin}/ember${EMBER_ZIP_PATH} (EMBER_URL), ` +
        `cso from ${origin}/cso${MEC02_CSV_URL.slice(CSO_ORIGIN.length)} (CSO_BASE_URL)`,
    );

    // Each source asked its own mirror path; the files are in DCGRID_HOME/cache/<source>/.
    expect(mirror.requests.filter((r) => !/^\/(sgd|eirgrid|semopx|ember|cso)\//.test(r))).toEqual([]);
    expect(await listCache(home, 'dashboard')).toEqual(
      [
        'ALL_SnspALL',
        'ROI_co2intensity',
        'ROI_demandactual',
        'ROI_generationactual',
        'ROI_interconnection',
        'ROI_solaractual',
        'ROI_windactual',
      ].map((prefix) => `${prefix}_2024-09_api.json`),
    );
    expect(await listCache(home, 'eirgrid-workbook')).toEqual(['System-Data-Qtr-Hourly-2024.xlsx']);
    expect(await listCache(home, 'semopx')).toEqual([
      'MarketResult_SEM-DA_PWR-MRC-D+1_20240901100000_20240901110000.csv',
      'MarketResult_SEM-DA_PWR-MRC-D+1_20240902100000_20240902110000.csv',
      'MarketResult_SEM-DA_PWR-MRC-D+1_20240903100000_20240903110000.csv',
    ]);
    expect(await listCache(home, 'ember')).toEqual([
      'Ireland.csv',
      'european_wholesale_electricity_price_data_hourly.zip',
    ]);
    expect(await listCache(home, 'cso')).toEqual(['MEC02.csv']);
    for (const file of report.files)
      expect(file.file.startsWith(join(home, 'cache', file.source))).toBe(true);

    // Every reading served is stored, once, under its source.
    const stored = await store.db
      .selectFrom('dcgrid.observations')
      .select(['source', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('source')
      .orderBy('source')
      .execute();
    expect(stored.map((row) => [row.source, Number(row.n)])).toEqual([
      ['dashboard', served.dashboard.length],
      ['eirgrid-workbook', served.workbook.length],
      ['ember', served.ember.length],
      ['semopx', 3 * 24],
    ]);
    expect(report.rowsWritten.observations).toBe(
      served.dashboard.length + served.workbook.length + served.ember.length + 3 * 24,
    );
    const quarterHour = Date.UTC(2024, 8, 3, 12, 15);
    const wind = await store.db
      .selectFrom('dcgrid.observations')
      .select(['value', 'interval_min'])
      .where('source', '=', 'dashboard')
      .where('series', '=', 'wind_mw')
      .where('region', '=', 'IE')
      .where('ts_utc', '=', new Date(quarterHour))
      .executeTakeFirstOrThrow();
    expect(wind).toEqual({ value: valueAt(served.dashboard, 'wind_mw', quarterHour), interval_min: 15 });

    // Hourly features for the window, built with the documented precedence: the workbook's demand
    // over the dashboard's, SEMOpx's price over Ember's (Ember where SEMOpx has no trading day).
    const features = await store.db
      .selectFrom('dcgrid.features_hourly')
      .select(['ts_utc', 'demand_mw', 'price_eur_mwh'])
      .where('region', '=', 'IE')
      .where('ts_utc', '>=', WINDOW_FROM)
      .where('ts_utc', '<', WINDOW_TO)
      .orderBy('ts_utc')
      .execute();
    expect(features).toHaveLength(48);
    const noon = Date.UTC(2024, 8, 3, 12);
    const hourMean = (list: readonly Observation[], series: SeriesName) =>
      [0, 1, 2, 3].reduce((sum, q) => sum + valueAt(list, series, noon + q * 900_000), 0) / 4;
    const atNoon = features.find((row) => row.ts_utc.getTime() === noon)!;
    expect(atNoon.demand_mw).toBeCloseTo(hourMean(served.workbook, 'demand_mw'), 6);
    expect(atNoon.price_eur_mwh).toBeCloseTo(valueAt(served.semopx, 'price_eur_mwh', noon), 6);
    const later = Date.UTC(2024, 8, 20, 12);
    const emberOnly = await store.db
      .selectFrom('dcgrid.features_hourly')
      .select('price_eur_mwh')
      .where('region', '=', 'IE')
      .where('ts_utc', '=', new Date(later))
      .executeTakeFirstOrThrow();
    expect(emberOnly.price_eur_mwh).toBeCloseTo(valueAt(served.ember, 'price_eur_mwh', later), 6);

    // The CSO's MEC02 figures served replace the transcribed ones.
    const q3 = await store.db
      .selectFrom('dcgrid.cso_figures')
      .select(['value', 'status'])
      .where('year', '=', 2024)
      .where('quarter', '=', 3)
      .where('metric', '=', 'data_centre_consumption')
      .executeTakeFirstOrThrow();
    const servedQ3 = served.cso.find(
      (f) => f.year === 2024 && f.quarter === 3 && f.metric === 'data_centre_consumption',
    );
    expect(q3).toEqual({ value: servedQ3!.value, status: 'pxstat' });

    const storedReport = await store.db
      .selectFrom('dcgrid.ingest_reports')
      .select(['status', 'mode'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(storedReport).toEqual({ status: 'succeeded', mode: 'download' });
  });

  it('reuses the cache on a second run: only the SEMOpx listing is asked for, and nothing changes', async () => {
    useSettings(join(root, 'mirror'), mirror.settings);
    const before = await counts();
    mirror.requests.length = 0;
    const result = await runCli('--json', 'ingest', '--download', ...WINDOW);
    expect(result.exitCode).toBe(ExitCode.OK);
    const { report } = JSON.parse(result.stdout) as IngestOutput;
    expect(mirror.requests.length).toBeGreaterThan(0);
    expect(mirror.requests.every((r) => r.startsWith(`/semopx${STATIC_REPORTS_PATH}?`))).toBe(true);
    expect(report.rowsWritten).toMatchObject({ observations: 0, features: 0 });
    expect(await counts()).toEqual({ ...before, reports: before.reports + 1 });
  });

  it('with the mirror gone, fails at the SEMOpx listing (read on every run), leaves the data as they were and stores the failure', async () => {
    useSettings(join(root, 'mirror'), mirror.settings, { DOWNLOAD_RETRIES: '0' });
    const before = await counts();
    await mirror.close();
    const result = await runCli('--json', 'ingest', '--download', ...WINDOW);
    expect(result.exitCode).toBe(ExitCode.DOWNLOAD);
    const { error } = JSON.parse(result.stdout) as ErrorOutput;
    expect(error.code).toBe('E_DOWNLOAD_FAILED');
    expect(error.message).toContain(`could not download ${mirror.origin}/semopx${STATIC_REPORTS_PATH}?`);
    expect(await counts()).toEqual({ ...before, reports: before.reports + 1 });
  });
});

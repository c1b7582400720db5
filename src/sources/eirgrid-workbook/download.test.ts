import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadSystemDataWorkbooks, findWorkbookLinks, yearsBetween } from './download.js';
import { eirgridWorkbookSource } from './index.js';
import { failure } from '../../lib/test-support/errors.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/clock-changes-2024.xlsx', import.meta.url));
let fixture: Buffer;
let server: Server;
let base = '';
const hits = new Map<string, number>();

const PAGE = `<html><body>
  <a href="https://elsewhere.example/unrelated.pdf">x</a>
  <a href="/files/System-Data-Qtr-Hourly-2024-V1.xlsx">2024 (old)</a>
  <a href='/files/System-Data-Qtr-Hourly-2024-v3.xlsx'>2024</a>
  <a href="/files/System-Data-Qtr-Hourly-2023.xlsx">2023</a>
  <a href="/files/broken/System-Data-Qtr-Hourly-2022.xlsx">2022</a>
</body></html>`;

beforeAll(async () => {
  fixture = await readFile(FIXTURE);
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    if (path === '/reports') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (path === '/files/broken/System-Data-Qtr-Hourly-2022.xlsx') {
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!DOCTYPE html><p>maintenance</p>');
    }
    if (path === '/flaky/System-Data-Qtr-Hourly-2024.xlsx' && count === 1)
      return void res.writeHead(503).end();
    if (/System-Data-Qtr-Hourly-\d{4}(-[Vv]\d+)?\.xlsx$/.test(path) && !path.includes('2019')) {
      return void res.writeHead(200).end(fixture);
    }
    res.writeHead(404).end('not found');
  });
  base = await listenLocally(server);
});

afterAll(() => closeServer(server));
beforeEach(() => hits.clear());

const year = (y: number) => ({ from: Date.UTC(y, 0, 1), to: Date.UTC(y, 11, 31, 23) });

describe('findWorkbookLinks / yearsBetween', () => {
  it('takes the newest version linked for each year', () => {
    const links = findWorkbookLinks(PAGE, 'https://www.eirgrid.ie/grid/system-and-renewable-data-reports');
    expect(links.get(2024)).toEqual({
      year: 2024,
      version: 3,
      url: 'https://www.eirgrid.ie/files/System-Data-Qtr-Hourly-2024-v3.xlsx',
    });
    expect(links.get(2023)?.version).toBe(0);
    expect([...links.keys()].sort()).toEqual([2022, 2023, 2024]);
  });

  it('lists the Irish local years of a UTC range', () => {
    // 31 Dec 2023 23:30 UTC is still 2023 in Ireland (GMT); 1 Jul 2025 00:30 UTC is 01:30 IST.
    expect(yearsBetween(Date.UTC(2023, 11, 31, 23, 30), Date.UTC(2025, 6, 1, 0, 30))).toEqual([
      2023, 2024, 2025,
    ]);
    expect(() => yearsBetween(10, 10)).toThrow(/empty/);
  });
});

describe('downloadSystemDataWorkbooks', () => {
  it('reads the reports page, downloads the newest versions and caches them', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'dcgrid-wbdl-'));
    const progress: string[] = [];
    const options = {
      cacheDir,
      baseUrl: `${base}/reports`,
      from: Date.UTC(2023, 5, 1),
      to: Date.UTC(2024, 5, 1),
      onProgress: (done: number, total: number, label: string) => progress.push(`${done}/${total} ${label}`),
    };
    const paths = await downloadSystemDataWorkbooks(options);
    expect(paths.map((p) => basename(p))).toEqual([
      'System-Data-Qtr-Hourly-2023.xlsx',
      'System-Data-Qtr-Hourly-2024-v3.xlsx',
    ]);
    expect(progress).toEqual([
      '1/2 System-Data-Qtr-Hourly-2023.xlsx',
      '2/2 System-Data-Qtr-Hourly-2024-v3.xlsx',
    ]);
    expect((await readFile(paths[1]!)).equals(fixture)).toBe(true);
    expect(hits.get('/files/System-Data-Qtr-Hourly-2024-V1.xlsx')).toBeUndefined();
    const parsed = await eirgridWorkbookSource.parse(paths[1]!);
    expect(parsed.records.length).toBeGreaterThan(0);

    // Second run: the page is read again, the files come from the cache.
    hits.clear();
    expect(await downloadSystemDataWorkbooks(options)).toEqual(paths);
    expect(hits.get('/reports')).toBe(1);
    expect(hits.get('/files/System-Data-Qtr-Hourly-2024-v3.xlsx')).toBeUndefined();
  });

  it('takes a single workbook URL', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'dcgrid-wbdl-'));
    const url = `${base}/files/System-Data-Qtr-Hourly-2026-V4.xlsx`;
    const paths = await eirgridWorkbookSource.download({ cacheDir, baseUrl: url, ...year(2026) });
    expect(paths).toEqual([join(cacheDir, 'System-Data-Qtr-Hourly-2026-V4.xlsx')]);
  });

  it('builds names under a folder URL for a list of years, retrying a 503', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'dcgrid-wbdl-'));
    const paths = await downloadSystemDataWorkbooks({
      cacheDir,
      baseUrl: `${base}/flaky/`,
      years: [2024],
      backoffMs: 5,
      ...year(2024),
    });
    expect(paths).toEqual([join(cacheDir, 'System-Data-Qtr-Hourly-2024.xlsx')]);
    expect(hits.get('/flaky/System-Data-Qtr-Hourly-2024.xlsx')).toBe(2);
  });

  it('fails clearly on a 404', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'dcgrid-wbdl-'));
    const error = await failure(
      downloadSystemDataWorkbooks({ cacheDir, baseUrl: `${base}/files/`, retries: 0, ...year(2019) }),
    );
    expect(error.code).toBe('E_DOWNLOAD_FAILED');
    expect(error.message).toContain('EirGrid System Data workbook 2019');
    expect(error.message).toContain(`${base}/files/System-Data-Qtr-Hourly-2019.xlsx`);
    expect(error.message).toContain('HTTP 404');
  });

  it('fails when the page links no workbook for a year', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'dcgrid-wbdl-'));
    const error = await failure(
      downloadSystemDataWorkbooks({ cacheDir, baseUrl: `${base}/reports`, ...year(2021) }),
    );
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.message).toContain('no System-Data-Qtr-Hourly workbook for 2021');
    expect(error.message).toContain('years linked: 2022, 2023, 2024');
  });

  it('refuses an answer that is not a workbook and leaves nothing in the cache', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'dcgrid-wbdl-'));
    const error = await failure(
      downloadSystemDataWorkbooks({ cacheDir, baseUrl: `${base}/reports`, ...year(2022) }),
    );
    expect(error.code).toBe('E_DOWNLOAD_FAILED');
    expect(error.message).toContain('did not return an .xlsx workbook (it began "<!DOCTYPE html>');
    await expect(readFile(join(cacheDir, 'System-Data-Qtr-Hourly-2022.xlsx'))).rejects.toThrow(/ENOENT/);
  });
});

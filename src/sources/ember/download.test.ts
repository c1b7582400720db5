import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { EMBER_ZIP_PATH, emberDownloadUrl } from './download.js';
import { emberSource } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let server: Server;
let base = '';
const hits = new Map<string, number>();
const bodies = new Map<string, Buffer>();
const dirs: string[] = [];

beforeAll(async () => {
  bodies.set(EMBER_ZIP_PATH, await readFile(fixture('european-prices-sample.zip')));
  bodies.set('/other/no-ireland.zip', await readFile(fixture('no-ireland-sample.zip')));
  bodies.set('/other/broken.zip', Buffer.from('this is not a zip archive at all, just text'));
  bodies.set('/direct/Ireland.csv', await readFile(fixture('Ireland-sample.csv')));
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = bodies.get(path);
    if (body === undefined) return void res.writeHead(404).end('not here');
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  base = await listenLocally(server);
});

afterAll(async () => {
  await closeServer(server);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dcgrid-ember-'));
  dirs.push(dir);
  return dir;
}

const range = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 1), retries: 0 };

describe('Ember download', () => {
  it('fetches the archive, extracts Ireland.csv from its folder and parses it', async () => {
    const dir = await cacheDir();
    const progress: string[] = [];
    const paths = await emberSource.download({
      ...range,
      cacheDir: dir,
      baseUrl: base,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(paths).toEqual([join(dir, 'Ireland.csv')]);
    expect(await readFile(paths[0]!, 'utf8')).toBe(await readFile(fixture('Ireland-sample.csv'), 'utf8'));
    expect((await readdir(dir)).sort()).toEqual([
      'Ireland.csv',
      'european_wholesale_electricity_price_data_hourly.zip',
    ]);
    expect(progress).toEqual(['0/1', '1/1']);
    const parsed = await emberSource.parse(paths[0]!);
    expect(parsed.records).toHaveLength(48);
    expect(parsed.records[0]!.tsUtc).toBe(Date.UTC(2024, 2, 30, 0));
  });

  it('reuses the cache unless asked to refresh', async () => {
    const dir = await cacheDir();
    const before = hits.get(EMBER_ZIP_PATH) ?? 0;
    await emberSource.download({ ...range, cacheDir: dir, baseUrl: base });
    await emberSource.download({ ...range, cacheDir: dir, baseUrl: base });
    expect(hits.get(EMBER_ZIP_PATH)).toBe(before + 1);
    await emberSource.download({ ...range, cacheDir: dir, baseUrl: base, refresh: true });
    expect(hits.get(EMBER_ZIP_PATH)).toBe(before + 2);
  });

  it('downloads a direct CSV URL as is', async () => {
    const dir = await cacheDir();
    const paths = await emberSource.download({
      ...range,
      cacheDir: dir,
      baseUrl: `${base}/direct/Ireland.csv`,
    });
    expect(paths).toEqual([join(dir, 'Ireland.csv')]);
    expect((await emberSource.parse(paths[0]!)).records).toHaveLength(48);
  });

  it('says which members an archive without Ireland.csv has', async () => {
    const error = await emberSource
      .download({ ...range, cacheDir: await cacheDir(), baseUrl: `${base}/other/no-ireland.zip` })
      .catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain(
      'european_wholesale_electricity_price_data_hourly/Germany.csv',
    );
  });

  it('fails as a download, naming the URL, when the answer is not a zip archive, and caches nothing', async () => {
    const dir = await cacheDir();
    const error = await emberSource
      .download({ ...range, cacheDir: dir, baseUrl: `${base}/other/broken.zip` })
      .catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain(
      `${base}/other/broken.zip did not return a zip archive (it began "this is not a zip archive at all, just t")`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails with the URL when the server has no such file', async () => {
    const error = await emberSource
      .download({ ...range, cacheDir: await cacheDir(), baseUrl: `${base}/nothing/here.zip` })
      .catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain(`${base}/nothing/here.zip`);
  });
});

describe('emberDownloadUrl', () => {
  it("defaults to Ember's archive and appends its path to a bare origin", () => {
    expect(emberDownloadUrl()).toBe(
      'https://files.ember-energy.org/public-downloads/price/outputs/european_wholesale_electricity_price_data_hourly.zip',
    );
    expect(emberDownloadUrl('http://mirror.example/')).toBe(`http://mirror.example${EMBER_ZIP_PATH}`);
    expect(emberDownloadUrl('http://mirror.example/x/Ireland.csv')).toBe(
      'http://mirror.example/x/Ireland.csv',
    );
  });
});

describe('emberSource.discover', () => {
  it('finds ember/Ireland.csv under a raw folder and nothing where there is none', async () => {
    const raw = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));
    expect(await emberSource.discover(raw)).toEqual([join(raw, 'ember', 'Ireland.csv')]);
    expect(await emberSource.discover(await cacheDir())).toEqual([]);
  });
});

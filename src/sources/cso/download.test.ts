import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../../lib/errors.js';
import { mec02Url } from './download.js';
import { csoSource } from './index.js';

const MEC02_PATH = '/public/api.restful/PxStat.Data.Cube_API.ReadDataset/MEC02/CSV/1.0/en';
let server: Server;
let origin = '';
let fixture = '';
const hits = new Map<string, number>();
const dirs: string[] = [];

beforeAll(async () => {
  fixture = await readFile(fileURLToPath(new URL('./fixtures/MEC02-sample.csv', import.meta.url)), 'utf8');
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === MEC02_PATH) return void res.writeHead(200, { 'content-type': 'text/csv' }).end(fixture);
    if (path === `/maintenance${MEC02_PATH}`) return void res.writeHead(200).end('<html>maintenance</html>');
    res.writeHead(404).end();
  });
  origin = await listenLocally(server);
});

afterAll(async () => {
  await closeServer(server);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dcgrid-cso-'));
  dirs.push(dir);
  return dir;
}

const range = { from: Date.UTC(2015, 0, 1), to: Date.UTC(2026, 0, 1), retries: 0 };

describe('CSO MEC02 download', () => {
  it('fetches the PxStat CSV into the cache, reuses it, and refreshes on request', async () => {
    const dir = await cacheDir();
    const paths = await csoSource.download({ ...range, cacheDir: dir, baseUrl: origin });
    expect(paths).toEqual([join(dir, 'MEC02.csv')]);
    expect(await readFile(paths[0]!, 'utf8')).toBe(fixture);
    const parsed = await csoSource.parse(paths[0]!);
    expect(parsed.records.some((f) => f.status === 'pxstat' && f.metric === 'data_centre_consumption')).toBe(
      true,
    );
    await csoSource.download({ ...range, cacheDir: dir, baseUrl: origin });
    expect(hits.get(MEC02_PATH)).toBe(1);
    await csoSource.download({ ...range, cacheDir: dir, baseUrl: origin, refresh: true });
    expect(hits.get(MEC02_PATH)).toBe(2);
  });

  it('refuses and does not cache an answer that is not a PxStat table', async () => {
    const dir = await cacheDir();
    const error = await csoSource
      .download({ ...range, cacheDir: dir, baseUrl: `${origin}/maintenance` })
      .catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain('did not answer a PxStat CSV table');
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the URL when the server has no such table', async () => {
    const error = await csoSource
      .download({ ...range, cacheDir: await cacheDir(), baseUrl: `${origin}/gone` })
      .catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain(`${origin}/gone${MEC02_PATH}`);
  });

  it('uses the CSO origin unless told otherwise', () => {
    expect(mec02Url()).toBe(`https://ws.cso.ie${MEC02_PATH}`);
    expect(mec02Url('http://mirror.example/')).toBe(`http://mirror.example${MEC02_PATH}`);
  });
});

describe('csoSource.discover', () => {
  it('finds the transcribed figures in the shared raw folder', async () => {
    const raw = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));
    expect(await csoSource.discover(raw)).toEqual([
      join(raw, 'cso', 'cso_data_centres_published_figures_TRANSCRIBED.csv'),
    ]);
  });
});

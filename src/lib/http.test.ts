import { createServer, type Server } from 'node:http';
import { closedPort, closeServer, listenLocally } from './test-support/local-server.js';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadToCache, fetchBytes } from './http.js';
import { isDcgridError } from './errors.js';

let server: Server;
let base = '';
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    if (path === '/flaky' && count < 3) return void res.writeHead(503).end('busy');
    if (path === '/missing') return void res.writeHead(404).end('no');
    if (path === '/slow') return void setTimeout(() => res.end('late'), 2_000);
    res.end(`body of ${path}`);
  });
  base = await listenLocally(server);
});

afterAll(() => closeServer(server));

describe('fetchBytes', () => {
  it('retries 5xx answers and then succeeds', async () => {
    const body = await fetchBytes(`${base}/flaky`, { retries: 3, backoffMs: 5 });
    expect(new TextDecoder().decode(body)).toBe('body of /flaky');
    expect(hits.get('/flaky')).toBe(3);
  });

  it('does not retry a 404 and names the URL', async () => {
    const error = await fetchBytes(`${base}/missing`, { retries: 3, backoffMs: 5 }).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain(`${base}/missing`);
    expect((error as Error).message).toContain('404');
    expect((error as Error).message).toContain('after 1 attempt(s)');
    expect(hits.get('/missing')).toBe(1);
  });

  it('times out a server that does not answer', async () => {
    const error = await fetchBytes(`${base}/slow`, { timeoutMs: 100, retries: 1, backoffMs: 5 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/no answer within 100 ms/);
  });

  it('reports an unreachable host', async () => {
    const port = await closedPort();
    const error = await fetchBytes(`http://127.0.0.1:${port}/x`, { retries: 0 }).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DOWNLOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('downloadToCache', () => {
  it('downloads once and then serves from the cache', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-http-'));
    const target = join(dir, 'sub', 'file.csv');
    const first = await downloadToCache(`${base}/cached`, target);
    const second = await downloadToCache(`${base}/cached`, target);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(hits.get('/cached')).toBe(1);
    expect(await readFile(target, 'utf8')).toBe('body of /cached');
    await downloadToCache(`${base}/cached`, target, { refresh: true });
    expect(hits.get('/cached')).toBe(2);
    expect(await readdir(join(dir, 'sub'))).toEqual(['file.csv']);
  });
});

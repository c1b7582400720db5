/**
 * Answers for the champions are kept in memory, serialised, with their ETag. They are thrown away
 * when the data change, whoever changed them: a forecast issued, an alias moved (promote, rollback,
 * a new champion) or an ingest, by this process or any other on the same database. The change is
 * seen by a cheap version query (three index lookups), run at most once per `checkIntervalMs` and
 * shared by the requests that arrive meanwhile, so a burst of requests costs one query.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../../store/store.js';

export interface CachedBody {
  body: string;
  etag: string;
  contentType: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function cachedBody(value: unknown, contentType = JSON_TYPE): CachedBody {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag, contentType };
}

/** What has changed, as one string: latest forecast issue time, latest alias event, latest ingest. */
export async function dataVersion(store: Store): Promise<string> {
  const { rows } = await sql<{ forecast: unknown; event: unknown; ingest: unknown }>`
    SELECT (SELECT max(issued_at) FROM dcgrid.forecasts) AS forecast,
           (SELECT max(event_id) FROM dcgrid.model_events) AS event,
           (SELECT max(id) FROM dcgrid.ingest_reports) AS ingest`.execute(store.db);
  const row = rows[0];
  const stamp = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v ?? '-'));
  return `${stamp(row?.forecast)}|${stamp(row?.event)}|${stamp(row?.ingest)}`;
}

export class ResponseCache {
  readonly #entries = new Map<string, unknown>();
  #version: string | undefined;
  #checkedAt = -Infinity;
  #checking: Promise<string> | undefined;
  hits = 0;
  misses = 0;
  invalidations = 0;

  constructor(
    readonly store: Store,
    readonly options: { checkIntervalMs: number; maxEntries?: number; now?: () => number },
  ) {}

  /** The data version, re-read when the last reading is older than the check interval. */
  async version(): Promise<string> {
    const now = (this.options.now ?? (() => performance.now()))();
    if (this.#version !== undefined && now - this.#checkedAt < this.options.checkIntervalMs)
      return this.#version;
    this.#checking ??= dataVersion(this.store)
      .then((version) => {
        if (this.#version !== undefined && version !== this.#version) {
          this.#entries.clear();
          this.invalidations += 1;
        }
        this.#version = version;
        this.#checkedAt = (this.options.now ?? (() => performance.now()))();
        return version;
      })
      .finally(() => {
        this.#checking = undefined;
      });
    return this.#checking;
  }

  /** A cached value (an answer's body, or inputs several answers share), built when missing. */
  async get<T>(key: string, build: () => Promise<T>): Promise<T> {
    const version = await this.version();
    const hit = this.#entries.get(key) as T | undefined;
    if (hit !== undefined) {
      this.hits += 1;
      return hit;
    }
    this.misses += 1;
    const entry = await build();
    // Kept only if no change was seen while building it.
    if (version === this.#version) {
      if (this.#entries.size >= (this.options.maxEntries ?? 1000)) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
      this.#entries.set(key, entry);
    }
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** Sends a cached body with its ETag, or 304 when the client's If-None-Match already has it. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, entry: CachedBody): FastifyReply {
  reply.header('etag', entry.etag).header('cache-control', 'no-cache');
  if (etagMatches(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  return reply.type(entry.contentType).send(entry.body);
}

const normalisedUrls = new Map<string, string>();

/** A stable cache key: the path and its query parameters in sorted order. */
export function cacheKey(request: FastifyRequest, extra = ''): string {
  const raw = `${request.method} ${request.url}`;
  let key = normalisedUrls.get(raw);
  if (key === undefined) {
    const [path, query = ''] = request.url.split('?');
    const params = new URLSearchParams(query);
    params.sort();
    key = `${request.method} ${path}?${params.toString()}`;
    // Remembered for the URLs clients repeat (a dashboard, a scheduler polling): parsing and sorting
    // the query is a visible share of a cached answer's cost.
    if (normalisedUrls.size >= 1000) normalisedUrls.clear();
    normalisedUrls.set(raw, key);
  }
  return key + extra;
}

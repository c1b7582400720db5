/**
 * Downloads with a timeout per attempt, retries with exponential back-off on network errors and
 * 5xx/429 answers, and a raw-file cache: a cached file is reused unless `refresh` is set. Files are
 * written to a temporary name and renamed, so an interrupted download never leaves a partial file.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DcgridError, ErrorCodes } from './errors.js';

export interface FetchOptions {
  timeoutMs?: number;
  retries?: number;
  /** First back-off delay; doubles each retry. */
  backoffMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DcgridError(ErrorCodes.INTERRUPTED, 'download cancelled'));
      },
      { once: true },
    );
  });
}

/** GET a URL and return its body; throws E_DOWNLOAD_FAILED naming the URL after the last attempt. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const { timeoutMs = 30_000, retries = 3, backoffMs = 500, headers, signal } = options;
  let lastProblem = '';
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    attempts = attempt + 1;
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1), signal);
    if (signal?.aborted) throw new DcgridError(ErrorCodes.INTERRUPTED, 'download cancelled');
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await fetch(url, { headers, signal: combined });
      if (response.ok) return new Uint8Array(await response.arrayBuffer());
      lastProblem = `HTTP ${response.status} ${response.statusText}`;
      await response.body?.cancel();
      if (!RETRYABLE_STATUS.has(response.status)) break;
    } catch (error) {
      if (signal?.aborted) throw new DcgridError(ErrorCodes.INTERRUPTED, 'download cancelled');
      lastProblem = timeout.aborted ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
    }
  }
  throw new DcgridError(
    ErrorCodes.DOWNLOAD_FAILED,
    `could not download ${url}: ${lastProblem} (after ${attempts} attempt(s))`,
  );
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${error.message} (${cause.code})`;
    return cause?.message ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

export interface CachedDownload {
  path: string;
  fromCache: boolean;
  bytes: number;
}

/** Downloads `url` to `path` unless the file exists already (and `refresh` is not set). */
export async function downloadToCache(
  url: string,
  path: string,
  options: FetchOptions & { refresh?: boolean } = {},
): Promise<CachedDownload> {
  if (!options.refresh) {
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isFile() && existing.size > 0) return { path, fromCache: true, bytes: existing.size };
  }
  const body = await fetchBytes(url, options);
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  try {
    await writeFile(partial, body);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { path, fromCache: false, bytes: body.byteLength };
}

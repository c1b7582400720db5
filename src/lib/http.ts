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

/**
 * What a downloaded body must be, checked before it reaches the cache: `kind` names it for the
 * error ("an .xlsx workbook"), `matches` tells.
 */
export interface BodyKind {
  kind: string;
  matches(body: Uint8Array): boolean;
}

/** A zip archive (an .xlsx is one): the local file header signature PK\x03\x04. */
export const ZIP_BODY: BodyKind = {
  kind: 'a zip archive',
  matches: (body) =>
    body.length >= 4 && body[0] === 0x50 && body[1] === 0x4b && body[2] === 3 && body[3] === 4,
};

/** The first characters of a body, for an error that says what came instead. */
function beginning(body: Uint8Array): string {
  return Buffer.from(body.subarray(0, 40)).toString('latin1').replace(/\s+/g, ' ');
}

/**
 * Downloads `url` to `path` unless the file exists already (and `refresh` is not set). With
 * `expect`, an answer of another kind (an HTML error page served with 200, say) is a
 * DOWNLOAD_FAILED naming the URL, and is not cached.
 */
export async function downloadToCache(
  url: string,
  path: string,
  options: FetchOptions & { refresh?: boolean; expect?: BodyKind } = {},
): Promise<CachedDownload> {
  if (!options.refresh) {
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isFile() && existing.size > 0) return { path, fromCache: true, bytes: existing.size };
  }
  const body = await fetchBytes(url, options);
  if (options.expect && !options.expect.matches(body)) {
    throw new DcgridError(
      ErrorCodes.DOWNLOAD_FAILED,
      `${url} did not return ${options.expect.kind} (it began "${beginning(body)}")`,
    );
  }
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

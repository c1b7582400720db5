/**
 * Downloads the CSO's PxStat table MEC02 (data-centre metered electricity, quarterly GWh from
 * 2015) as CSV into the cache. The CSO publishes once a year, so a cached copy is reused unless
 * `refresh` is set; the date range does not change what is fetched.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { downloadToCache } from '../../lib/http.js';
import { readCsvRecords } from '../csv-lines.js';
import type { DownloadOptions } from '../types.js';
import { MEC02_CSV_URL } from './figures.js';
import { isPxStatHeader } from './pxstat.js';

export const CSO_ORIGIN = 'https://ws.cso.ie';
export const MEC02_FILE = 'MEC02.csv';

/** MEC02's CSV URL; `baseUrl` replaces the origin (scheme, host and port). */
export function mec02Url(baseUrl?: string): string {
  if (baseUrl === undefined) return MEC02_CSV_URL;
  return `${baseUrl.replace(/\/+$/, '')}${MEC02_CSV_URL.slice(CSO_ORIGIN.length)}`;
}

export async function downloadCso(options: DownloadOptions): Promise<string[]> {
  const url = mec02Url(options.baseUrl);
  options.onProgress?.(0, 1, 'CSO MEC02');
  const saved = await downloadToCache(url, join(options.cacheDir, MEC02_FILE), {
    timeoutMs: options.timeoutMs ?? 120_000,
    retries: options.retries,
    signal: options.signal,
    refresh: options.refresh,
  });
  if (!saved.fromCache) await checkIsPxStatCsv(saved.path, url);
  options.onProgress?.(1, 1, 'CSO MEC02');
  return [saved.path];
}

/** An error page saved as MEC02.csv would be reused from the cache for ever: check and drop it. */
async function checkIsPxStatCsv(path: string, url: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const header = readCsvRecords(text.slice(0, 4096)).next();
  if (!header.done && isPxStatHeader(header.value.fields)) return;
  await rm(path, { force: true });
  throw new DcgridError(
    ErrorCodes.DOWNLOAD_FAILED,
    `${url} did not answer a PxStat CSV table (first bytes: ${JSON.stringify(text.slice(0, 80))})`,
  );
}

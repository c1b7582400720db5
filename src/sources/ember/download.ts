/**
 * Fetches Ember's hourly European wholesale price archive and keeps its Ireland.csv member in the
 * cache. Ember publishes the whole history in one zip (updated about monthly), so the requested
 * date range does not change what is downloaded: `refresh` fetches a newer copy.
 */
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, isDcgridError } from '../../lib/errors.js';
import { downloadToCache, ZIP_BODY, type FetchOptions } from '../../lib/http.js';
import type { DownloadOptions } from '../types.js';
import { readZipMember } from './zip.js';

export const EMBER_ORIGIN = 'https://files.ember-energy.org';
export const EMBER_ZIP_PATH =
  '/public-downloads/price/outputs/european_wholesale_electricity_price_data_hourly.zip';
export const EMBER_ZIP_NAME = 'european_wholesale_electricity_price_data_hourly.zip';
export const EMBER_COUNTRY_FILE = 'Ireland.csv';

/**
 * The URL to fetch: `baseUrl` may be a whole file URL (its path ends in .zip or .csv, e.g. a
 * direct per-country CSV) or an origin to which Ember's archive path is appended.
 */
export function emberDownloadUrl(baseUrl?: string): string {
  if (baseUrl === undefined) return `${EMBER_ORIGIN}${EMBER_ZIP_PATH}`;
  const path = new URL(baseUrl).pathname.toLowerCase();
  if (path.endsWith('.zip') || path.endsWith('.csv')) return baseUrl;
  return `${baseUrl.replace(/\/+$/, '')}${EMBER_ZIP_PATH}`;
}

export async function downloadEmber(options: DownloadOptions): Promise<string[]> {
  const url = emberDownloadUrl(options.baseUrl);
  const target = join(options.cacheDir, EMBER_COUNTRY_FILE);
  const fetchOptions: FetchOptions & { refresh?: boolean } = {
    timeoutMs: options.timeoutMs ?? 120_000,
    retries: options.retries,
    signal: options.signal,
    refresh: options.refresh,
  };
  options.onProgress?.(0, 1, 'Ember hourly prices');
  if (new URL(url).pathname.toLowerCase().endsWith('.csv')) {
    await downloadToCache(url, target, fetchOptions);
  } else {
    const zip = await downloadToCache(url, join(options.cacheDir, EMBER_ZIP_NAME), {
      ...fetchOptions,
      expect: ZIP_BODY,
    });
    const extracted = await stat(target).catch(() => undefined);
    if (!zip.fromCache || extracted === undefined || extracted.size === 0) {
      const member = await readZipMember(zip.path, EMBER_COUNTRY_FILE).catch(async (error: unknown) => {
        // A damaged archive must not stay in the cache, or every later run would reuse it.
        if (isDcgridError(error, ErrorCodes.INPUT_CORRUPT)) await rm(zip.path, { force: true });
        throw error;
      });
      await writeAtomically(target, member);
    }
  }
  options.onProgress?.(1, 1, 'Ember hourly prices');
  return [target];
}

async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  try {
    await writeFile(partial, data);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

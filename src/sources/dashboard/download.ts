/**
 * Downloads Smart Grid Dashboard data month by month (or day by day) from either endpoint and
 * caches each raw JSON answer under a name that parse() reads the period from:
 * `<ROI|NI|ALL>_<area>_<yyyy-mm[-dd]>_<api|legacy>.json`.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes, isDcgridError } from '../../lib/errors.js';
import { downloadToCache } from '../../lib/http.js';
import { DAY_MS, formatDashboardDate, irishWallToUtcMs, utcToIrishWallMs } from '../../lib/time.js';
import type { DownloadOptions } from '../types.js';
import { AREAS, CODE_OF_REGION, type DashboardArea } from './fields.js';

export const DASHBOARD_BASE_URL = 'https://www.smartgriddashboard.com';

/** `api`: the current `/api/chart/`; `legacy`: `DashboardService.svc/data` (503 since about 2025). */
export type DashboardEndpoint = 'api' | 'legacy';

export interface DashboardDownloadOptions extends DownloadOptions {
  /** Which `area` queries to make (default: demand, generation, wind, solar, interconnection, CO2 intensity and SNSP). */
  areas?: DashboardArea[];
  endpoint?: DashboardEndpoint;
  /** One request per local month (default) or per local day. */
  window?: 'month' | 'day';
  /** First retry delay (doubles each retry). */
  backoffMs?: number;
}

export const DEFAULT_AREAS: readonly DashboardArea[] = [
  'demandactual',
  'generationactual',
  'windactual',
  'solaractual',
  'interconnection',
  'co2intensity',
  'SnspALL',
];

export interface DashboardRequest {
  area: DashboardArea;
  regionCode: string;
  /** Local wall-clock window [fromWall, toWall). */
  fromWall: number;
  toWall: number;
  /** "2024-01" or "2024-01-15". */
  label: string;
}

/** SNSP is an all-island figure; the other areas default to Ireland (ROI). */
function regionsFor(area: DashboardArea, regions: readonly Region[] | undefined): Region[] {
  if (regions !== undefined && regions.length > 0) return [...regions];
  return area === 'SnspALL' ? ['ALL'] : ['IE'];
}

/** Local months (or days) that intersect the UTC range [from, to). */
export function dashboardWindows(
  from: number,
  to: number,
  window: 'month' | 'day',
): Array<Omit<DashboardRequest, 'area' | 'regionCode'>> {
  if (!(to > from)) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `download range is empty: from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    );
  }
  const firstWall = utcToIrishWallMs(from);
  const lastWall = utcToIrishWallMs(to - 1);
  const windows: Array<Omit<DashboardRequest, 'area' | 'regionCode'>> = [];
  const start = new Date(firstWall);
  let cursor =
    window === 'month'
      ? Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)
      : Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  while (cursor <= lastWall) {
    const d = new Date(cursor);
    const next =
      window === 'month'
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
        : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    const label = window === 'month' ? month : `${month}-${String(d.getUTCDate()).padStart(2, '0')}`;
    windows.push({ fromWall: cursor, toWall: next, label });
    cursor = next;
  }
  return windows;
}

/** "01-Jan-2024 00:00" for the window start, "31-Jan-2024 23:59" for its last minute. */
function queryTimes(request: DashboardRequest): { from: string; to: string } {
  const lastDay = request.toWall - DAY_MS;
  return {
    from: `${formatDashboardDate(request.fromWall)} 00:00`,
    to: `${formatDashboardDate(lastDay)} 23:59`,
  };
}

export function dashboardUrl(
  baseUrl: string,
  endpoint: DashboardEndpoint,
  request: DashboardRequest,
  window: 'month' | 'day',
): string {
  const base = baseUrl.replace(/\/+$/, '');
  const { from, to } = queryTimes(request);
  const query =
    endpoint === 'api'
      ? new URLSearchParams({
          region: request.regionCode,
          chartType: 'default',
          dateRange: window,
          dateFrom: from,
          dateTo: to,
          areas: request.area,
        })
      : new URLSearchParams({ area: request.area, region: request.regionCode, datefrom: from, dateto: to });
  return endpoint === 'api' ? `${base}/api/chart/?${query}` : `${base}/DashboardService.svc/data?${query}`;
}

export function cacheFileName(endpoint: DashboardEndpoint, request: DashboardRequest): string {
  return `${request.regionCode}_${request.area}_${request.label}_${endpoint}.json`;
}

/**
 * Checks a cached answer: JSON with a Rows array (and Status "Success" from the old endpoint).
 * Returns the number of rows.
 */
async function checkAnswer(path: string, url: string): Promise<number> {
  const text = await readFile(path, 'utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DcgridError(
      ErrorCodes.DOWNLOAD_FAILED,
      `${url} did not answer JSON (it began "${text.slice(0, 60)}")`,
    );
  }
  const envelope = (body ?? {}) as Record<string, unknown>;
  if ('Status' in envelope && envelope.Status !== 'Success') {
    throw new DcgridError(
      ErrorCodes.DOWNLOAD_FAILED,
      `${url} answered Status "${String(envelope.Status)}": ${String(envelope.ErrorMessage ?? 'no ErrorMessage given')}`,
    );
  }
  if (!Array.isArray(envelope.Rows))
    throw new DcgridError(ErrorCodes.DOWNLOAD_FAILED, `${url} answered JSON without "Rows"`);
  return envelope.Rows.length;
}

/** Downloads every (area, region, window) and returns the cached files that hold rows. */
export async function downloadDashboard(options: DashboardDownloadOptions): Promise<string[]> {
  const endpoint = options.endpoint ?? 'api';
  const window = options.window ?? 'month';
  const baseUrl = options.baseUrl ?? DASHBOARD_BASE_URL;
  const windows = dashboardWindows(options.from, options.to, window);
  const requests: DashboardRequest[] = [];
  for (const area of options.areas ?? DEFAULT_AREAS) {
    if (!(area in AREAS))
      throw new DcgridError(
        ErrorCodes.CONFIG_INVALID,
        `unknown dashboard area "${area}" (known: ${Object.keys(AREAS).join(', ')})`,
      );
    for (const region of regionsFor(area, options.regions)) {
      for (const w of windows) requests.push({ area, regionCode: CODE_OF_REGION[region], ...w });
    }
  }

  const paths: string[] = [];
  const now = Date.now();
  for (const [index, request] of requests.entries()) {
    const url = dashboardUrl(baseUrl, endpoint, request, window);
    const path = join(options.cacheDir, cacheFileName(endpoint, request));
    // A window that has not ended yet is fetched again: the cached copy lacks its latest rows.
    const windowEndUtc = irishWallToUtcMs(request.toWall) ?? request.toWall;
    const refresh = options.refresh === true || windowEndUtc > now;
    let rows: number;
    let cached = false;
    try {
      await downloadToCache(url, path, {
        refresh,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        backoffMs: options.backoffMs,
        signal: options.signal,
      });
      cached = true;
      rows = await checkAnswer(path, url);
    } catch (error) {
      if (isDcgridError(error, ErrorCodes.INTERRUPTED)) throw error;
      // An answer that is not data (an error envelope, an HTML page) must not stay in the cache.
      if (cached) await rm(path, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      throw new DcgridError(
        ErrorCodes.DOWNLOAD_FAILED,
        `Smart Grid Dashboard ${request.area} ${request.regionCode} ${request.label}: ${message}`,
        {},
        { cause: error },
      );
    }
    if (rows > 0) paths.push(path);
    else await rm(path, { force: true });
    options.onProgress?.(
      index + 1,
      requests.length,
      `${request.area} ${request.regionCode} ${request.label}${rows > 0 ? '' : ' (no rows)'}`,
    );
  }
  return paths;
}

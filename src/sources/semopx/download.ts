/**
 * Downloads SEM day-ahead results from the SEMOpx reports site: lists the EA-001 "Market
 * Results" documents of the SEM-DA auction for the trading days of the range, keeps the latest
 * publication of each trading day, and stores each CSV document in the cache (results of a past
 * trading day never change, so a cached file is reused unless `refresh` is set).
 *
 *   GET {origin}/api/v1/documents/static-reports?DPuG_ID=EA-001&ResourceName=MarketResult_SEM-DA
 *       &Date=>=YYYY-MM-DD&ExcludeDelayedPublication=0&sort_by=Date&order_by=ASC&page_size=500&page=N
 *     -> {"items":[{"ResourceName":"MarketResult_SEM-DA_PWR-MRC-D+1_<auction>_<publish>.csv",
 *                   "Date":"<trading day>...", "PublishTime":"..."}, ...], "pagination":{"totalPages":N}}
 *   GET {origin}/documents/{ResourceName}
 */
import { join } from 'node:path';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { downloadToCache, fetchBytes, type FetchOptions } from '../../lib/http.js';
import type { DownloadOptions } from '../types.js';
import { tradingDayOf } from './trading-day.js';

export const SEMOPX_ORIGIN = 'https://reports.semopx.com';
export const STATIC_REPORTS_PATH = '/api/v1/documents/static-reports';
export const DOCUMENTS_PATH = '/documents/';
/** The report family (DPuG id) of market results, day-ahead and intraday auctions alike. */
export const MARKET_RESULTS_REPORT = 'EA-001';
export const DAY_AHEAD_RESOURCE_PREFIX = 'MarketResult_SEM-DA_';
const PAGE_SIZE = 500;
/** A guard against a listing that never ends; a year of day-ahead documents is one page. */
const MAX_PAGES = 50;

export interface StaticReportItem {
  ResourceName: string;
  /** The trading day the document is for (ISO date, possibly with a time). */
  Date: string;
  PublishTime?: string;
}

/** The trading days (YYYY-MM-DD, inclusive) whose units overlap [from, to). */
export function tradingDayRange(from: number, to: number): { first: string; last: string } {
  if (!(to > from)) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, 'the download range is empty (to must be after from)');
  }
  return { first: tradingDayOf(from), last: tradingDayOf(to - 1) };
}

export function staticReportsUrl(origin: string, firstDay: string, page: number): string {
  const query = new URLSearchParams({
    DPuG_ID: MARKET_RESULTS_REPORT,
    ResourceName: DAY_AHEAD_RESOURCE_PREFIX.replace(/_$/, ''),
    Date: `>=${firstDay}`,
    ExcludeDelayedPublication: '0',
    sort_by: 'Date',
    order_by: 'ASC',
    page_size: String(PAGE_SIZE),
    page: String(page),
  });
  return `${origin}${STATIC_REPORTS_PATH}?${query.toString()}`;
}

/** Every SEM-DA result document listed for trading days first..last, all pages. */
export async function listDayAheadReports(
  origin: string,
  days: { first: string; last: string },
  fetchOptions: FetchOptions,
): Promise<StaticReportItem[]> {
  const found: StaticReportItem[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = staticReportsUrl(origin, days.first, page);
    const { items, totalPages } = readListing(await fetchBytes(url, fetchOptions), url);
    const dayAhead = items.filter((item) => item.ResourceName.startsWith(DAY_AHEAD_RESOURCE_PREFIX));
    found.push(...dayAhead.filter((item) => inRange(item, days)));
    const pastTheEnd = items.length > 0 && items.every((item) => item.Date.slice(0, 10) > days.last);
    if (items.length === 0 || page >= totalPages || pastTheEnd) break;
  }
  return found;
}

function inRange(item: StaticReportItem, days: { first: string; last: string }): boolean {
  const day = item.Date.slice(0, 10);
  return day >= days.first && day <= days.last;
}

function readListing(body: Uint8Array, url: string): { items: StaticReportItem[]; totalPages: number } {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new DcgridError(ErrorCodes.DOWNLOAD_FAILED, `the report listing ${url} did not answer JSON`);
  }
  const { items, pagination } = (doc ?? {}) as { items?: unknown; pagination?: { totalPages?: unknown } };
  if (!Array.isArray(items)) {
    throw new DcgridError(ErrorCodes.DOWNLOAD_FAILED, `the report listing ${url} has no "items" array`);
  }
  const valid = items.filter(
    (item): item is StaticReportItem =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as StaticReportItem).ResourceName === 'string' &&
      /^\d{4}-\d{2}-\d{2}/.test(String((item as StaticReportItem).Date)),
  );
  const totalPages = typeof pagination?.totalPages === 'number' ? pagination.totalPages : 1;
  return { items: valid, totalPages };
}

/**
 * One document per trading day: the CSV form, latest publication first (a re-published result
 * replaces the earlier one), ties broken by the resource name (which ends in the publish time).
 */
export function latestPerTradingDay(items: readonly StaticReportItem[]): StaticReportItem[] {
  const best = new Map<string, StaticReportItem>();
  for (const item of items) {
    if (!item.ResourceName.toLowerCase().endsWith('.csv') || !isPlainFileName(item.ResourceName)) continue;
    const day = item.Date.slice(0, 10);
    const current = best.get(day);
    if (current === undefined || publishKey(item) > publishKey(current)) best.set(day, item);
  }
  return [...best.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, item]) => item);
}

function publishKey(item: StaticReportItem): string {
  return `${item.PublishTime ?? ''}|${item.ResourceName}`;
}

/** A listed name is used as a cache file name, so it must not climb out of the cache folder. */
function isPlainFileName(name: string): boolean {
  return !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..';
}

export function documentUrl(origin: string, resourceName: string): string {
  // "+" is a literal character in a path; the site serves the names exactly as listed.
  return `${origin}${DOCUMENTS_PATH}${encodeURIComponent(resourceName).replaceAll('%2B', '+')}`;
}

export async function downloadSemopx(options: DownloadOptions): Promise<string[]> {
  const origin = (options.baseUrl ?? SEMOPX_ORIGIN).replace(/\/+$/, '');
  const fetchOptions: FetchOptions = {
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    signal: options.signal,
    headers: { Accept: 'application/json' },
  };
  const days = tradingDayRange(options.from, options.to);
  const documents = latestPerTradingDay(await listDayAheadReports(origin, days, fetchOptions));
  const paths: string[] = [];
  for (const [index, item] of documents.entries()) {
    options.onProgress?.(index, documents.length, item.ResourceName);
    const saved = await downloadToCache(
      documentUrl(origin, item.ResourceName),
      join(options.cacheDir, item.ResourceName),
      {
        ...fetchOptions,
        headers: { Accept: 'text/csv' },
        refresh: options.refresh,
      },
    );
    paths.push(saved.path);
  }
  options.onProgress?.(documents.length, documents.length, 'SEMOpx day-ahead results');
  return paths;
}

/**
 * Downloads EirGrid's `System-Data-Qtr-Hourly-<year>[-V<n>].xlsx` workbooks into the cache.
 *
 * `baseUrl` may be
 * - a workbook URL (ends in .xlsx): that one file;
 * - a folder URL (ends in /): `<folder>System-Data-Qtr-Hourly-<year>.xlsx` for each year;
 * - a page URL (default: EirGrid's "System and Renewable Data Reports" page): the page is read
 *   and, for each year, its newest linked version is taken (the version number changes as
 *   EirGrid republishes the current year).
 */
import { basename, join } from 'node:path';
import { DcgridError, ErrorCodes, isDcgridError } from '../../lib/errors.js';
import { downloadToCache, fetchBytes, ZIP_BODY, type BodyKind } from '../../lib/http.js';
import { utcToIrishWallMs } from '../../lib/time.js';
import type { DownloadOptions } from '../types.js';

export const EIRGRID_REPORTS_PAGE = 'https://www.eirgrid.ie/grid/system-and-renewable-data-reports';
/** Where the workbooks are published (e.g. System-Data-Qtr-Hourly-2026-V4.xlsx). */
export const EIRGRID_PUBLICATIONS_FOLDER = 'https://cms.eirgrid.ie/sites/default/files/publications/';

export interface WorkbookDownloadOptions extends DownloadOptions {
  /** Years to fetch (default: the local years that [from, to) touches). */
  years?: number[];
  /** First retry delay (doubles each retry). */
  backoffMs?: number;
}

export interface WorkbookLink {
  year: number;
  /** 0 when the name has no -V<n>. */
  version: number;
  url: string;
}

const LINK_PATTERN =
  /href\s*=\s*["']([^"']*?System-Data-Qtr-Hourly-(\d{4})(?:-[Vv](\d+))?\.xlsx[^"']*)["']/gi;

/** Workbook links on a page, the newest version per year. */
export function findWorkbookLinks(html: string, pageUrl: string): Map<number, WorkbookLink> {
  const links = new Map<number, WorkbookLink>();
  for (const match of html.matchAll(LINK_PATTERN)) {
    const href = match[1]!.replace(/&amp;/g, '&');
    const year = Number(match[2]);
    const version = match[3] !== undefined ? Number(match[3]) : 0;
    const known = links.get(year);
    if (known === undefined || version > known.version) {
      links.set(year, { year, version, url: new URL(href, pageUrl).toString() });
    }
  }
  return links;
}

/** Local (Irish) years that the UTC range [from, to) touches. */
export function yearsBetween(from: number, to: number): number[] {
  if (!(to > from)) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `download range is empty: from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    );
  }
  const first = new Date(utcToIrishWallMs(from)).getUTCFullYear();
  const last = new Date(utcToIrishWallMs(to - 1)).getUTCFullYear();
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function isWorkbookUrl(url: string): boolean {
  return /\.xlsx$/i.test(new URL(url).pathname);
}

async function resolveLinks(options: WorkbookDownloadOptions, baseUrl: string): Promise<WorkbookLink[]> {
  if (isWorkbookUrl(baseUrl)) {
    const year = /(\d{4})/.exec(basename(new URL(baseUrl).pathname))?.[1];
    return [{ year: year ? Number(year) : 0, version: 0, url: baseUrl }];
  }
  const years = options.years ?? yearsBetween(options.from, options.to);
  if (baseUrl.endsWith('/')) {
    return years.map((year) => ({
      year,
      version: 0,
      url: new URL(`System-Data-Qtr-Hourly-${year}.xlsx`, baseUrl).toString(),
    }));
  }
  const page = new TextDecoder().decode(
    await fetchBytes(baseUrl, {
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      backoffMs: options.backoffMs,
      signal: options.signal,
    }),
  );
  const links = findWorkbookLinks(page, baseUrl);
  return years.map((year) => {
    const link = links.get(year);
    if (link === undefined) {
      const listed = [...links.keys()].sort().join(', ') || 'none';
      throw new DcgridError(
        ErrorCodes.NOT_FOUND,
        `no System-Data-Qtr-Hourly workbook for ${year} is linked from ${baseUrl} (years linked: ${listed})`,
      );
    }
    return link;
  });
}

const XLSX_BODY: BodyKind = { ...ZIP_BODY, kind: 'an .xlsx workbook' };

/** Downloads the workbooks and returns their cached paths. */
export async function downloadSystemDataWorkbooks(options: WorkbookDownloadOptions): Promise<string[]> {
  const baseUrl = options.baseUrl ?? EIRGRID_REPORTS_PAGE;
  const links = await resolveLinks(options, baseUrl);
  const currentYear = new Date(utcToIrishWallMs(Date.now())).getUTCFullYear();
  const paths: string[] = [];
  for (const [index, link] of links.entries()) {
    const name = decodeURIComponent(basename(new URL(link.url).pathname));
    const path = join(options.cacheDir, name);
    // The current year's workbook is republished; without a version in its name, fetch it again.
    const refresh = options.refresh === true || (link.version === 0 && link.year >= currentYear);
    try {
      await downloadToCache(link.url, path, {
        refresh,
        expect: XLSX_BODY,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        backoffMs: options.backoffMs,
        signal: options.signal,
      });
    } catch (error) {
      if (isDcgridError(error, ErrorCodes.INTERRUPTED)) throw error;
      throw new DcgridError(
        ErrorCodes.DOWNLOAD_FAILED,
        `EirGrid System Data workbook ${link.year || name}: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
    paths.push(path);
    options.onProgress?.(index + 1, links.length, name);
  }
  return paths;
}

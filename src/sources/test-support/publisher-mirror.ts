/**
 * A local stand-in for every publisher `dcgrid ingest --download` reads, on one node:http server
 * (127.0.0.1, a free port): the Smart Grid Dashboard API, EirGrid's reports page and System Data
 * workbooks, SEMOpx's report listing and documents, Ember's price archive and the CSO's MEC02
 * table. Each answers in the publisher's real format, written by the sources' own writers from the
 * demo generator's synthetic grid, under its own path prefix, so that a test can tell which
 * setting reached which downloader. `served` holds every value, for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';
import type { Region } from '../../config/config.js';
import { HOUR_MS, irishWallToUtcMs, parseDashboardWall, utcToIrishWallMs } from '../../lib/time.js';
import { MEC02_CSV_URL } from '../cso/figures.js';
import { CSO_ORIGIN } from '../cso/download.js';
import { writeMec02Csv } from '../cso/write.js';
import { AREAS, FIELDS, REGION_OF_CODE, type DashboardArea } from '../dashboard/fields.js';
import { formatApiJson, toDashboardRows } from '../dashboard/write.js';
import { generateSyntheticGrid } from '../demo/synthetic.js';
import { buildSystemDataWorkbook } from '../eirgrid-workbook/write.js';
import { EMBER_HEADER, writeEmberCsv } from '../ember/write.js';
import { EMBER_ZIP_NAME, EMBER_ZIP_PATH } from '../ember/download.js';
import { DOCUMENTS_PATH, STATIC_REPORTS_PATH, type StaticReportItem } from '../semopx/download.js';
import { tradingDayStartUtc, tradingDaysWithin } from '../semopx/trading-day.js';
import { marketResultResourceName, writeMarketResultCsv } from '../semopx/write.js';
import { buildZip } from '../xlsx/zip-writer.js';
import type { CsoFigure, Observation, SeriesName } from '../types.js';

/** The settings that point every download at a mirror (src/config/config.ts). */
export interface DownloadUrlSettings {
  DASHBOARD_BASE_URL: string;
  EIRGRID_WORKBOOK_URL: string;
  EMBER_URL: string;
  SEMOPX_BASE_URL: string;
  CSO_BASE_URL: string;
}

/** What the mirror publishes: observations as their true UTC interval starts. */
export interface ServedData {
  /** Every dashboard field; a query gets the rows of its area, region and window. */
  dashboard: Observation[];
  /** One workbook per local year; its demand reads WORKBOOK_DEMAND_OFFSET_MW above the dashboard's. */
  workbook: Observation[];
  /** Hourly day-ahead prices, one Market Results document per trading day wholly inside the span. */
  semopx: Observation[];
  /** Ember's hourly prices (written 24 h late, as Ember does), EMBER_PRICE_OFFSET above SEMOpx's. */
  ember: Observation[];
  /** Quarterly MEC02 figures. */
  cso: CsoFigure[];
}

export interface PublisherMirror {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** Settings for every source; the workbook as a folder URL (no page to read on a re-run). */
  readonly settings: DownloadUrlSettings;
  /** EirGrid's reports page form of EIRGRID_WORKBOOK_URL (links the newest version, -V2). */
  readonly workbookPageUrl: string;
  /** Every request's path and query, in order. */
  readonly requests: string[];
  readonly served: ServedData;
  /** Stops the server and drops its open connections. */
  close(): Promise<void>;
}

/** The workbook's demand differs from the dashboard's (as the real ones do) so precedence shows. */
export const WORKBOOK_DEMAND_OFFSET_MW = 12.5;
/** Ember's prices differ from SEMOpx's (the real ones match) so precedence shows. */
export const EMBER_PRICE_OFFSET = 1.25;

const DASHBOARD_PREFIX = '/sgd';
const EIRGRID_PREFIX = '/eirgrid';
const SEMOPX_PREFIX = '/semopx';
const EMBER_PREFIX = '/ember';
const CSO_PREFIX = '/cso';
const MEC02_PATH = MEC02_CSV_URL.slice(CSO_ORIGIN.length);

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function series(
  ts: Float64Array,
  values: (i: number) => number,
  name: SeriesName,
  region: Region,
  stepQuarters = 1,
): Observation[] {
  const list: Observation[] = [];
  for (let i = 0; i + stepQuarters <= ts.length; i += stepQuarters) {
    list.push({ series: name, region, tsUtc: ts[i]!, intervalMin: 15 * stepQuarters, value: values(i) });
  }
  return list;
}

/** The data the mirror holds for the UTC span [from, to) (whole quarter-hours). */
function mirrorData(from: number, to: number): ServedData {
  const grid = generateSyntheticGrid(from, to);
  const demand = (i: number) => Math.round(grid.demandIe[i]!);
  const ewic = (i: number) => Math.round(grid.ewic[i]!);
  const dashboard = [
    ...series(grid.ts, demand, 'demand_mw', 'IE'),
    ...series(grid.ts, (i) => demand(i) - ewic(i), 'generation_mw', 'IE'),
    ...series(grid.ts, (i) => Math.round(grid.windIe[i]!), 'wind_mw', 'IE'),
    ...series(grid.ts, (i) => Math.round(grid.solarIe[i]!), 'solar_mw', 'IE'),
    ...series(grid.ts, ewic, 'ic_ewic_mw', 'IE'),
    ...series(grid.ts, ewic, 'ic_net_mw', 'IE'),
    ...series(grid.ts, (i) => Math.round(grid.co2Ie[i]!), 'co2_intensity', 'IE'),
    ...series(grid.ts, (i) => round(grid.snsp[i]!, 3), 'snsp', 'ALL', 2),
  ];
  const workbook = [
    ...series(grid.ts, (i) => demand(i) + WORKBOOK_DEMAND_OFFSET_MW, 'demand_mw', 'IE'),
    ...series(grid.ts, (i) => round(grid.windIe[i]!, 1), 'wind_mw', 'IE'),
    ...series(grid.ts, (i) => round(grid.solarIe[i]!, 1), 'solar_mw', 'IE'),
  ];
  const hourly = (offset: number, inside: (ts: number) => boolean): Observation[] =>
    Array.from(grid.hourTs, (ts, h) => ({ ts, h }))
      .filter(({ ts }) => inside(ts))
      .map(({ ts, h }) => ({
        series: 'price_eur_mwh' as const,
        region: 'IE' as const,
        tsUtc: ts,
        intervalMin: 60,
        value: round(grid.price[h]! + offset, 2),
      }));
  const days = tradingDaysWithin(from, to);
  const semopxFrom = days.length > 0 ? tradingDayStartUtc(days[0]!) : to;
  const semopxTo = days.length > 0 ? tradingDayStartUtc(days[days.length - 1]!) + 24 * HOUR_MS : to;
  const cso: CsoFigure[] = [];
  const firstYear = new Date(from).getUTCFullYear();
  for (const year of [firstYear - 1, firstYear]) {
    for (let quarter = 1; quarter <= 4; quarter++) {
      const base = {
        year,
        quarter,
        unit: 'GWh' as const,
        status: 'pxstat',
        sourceUrl: MEC02_CSV_URL,
        note: '',
      };
      const dc = 1500 + (year - 2023) * 160 + quarter * 20;
      cso.push({ ...base, metric: 'data_centre_consumption', value: dc });
      cso.push({ ...base, metric: 'total_metered_electricity_consumption', value: 7000 + quarter * 10 });
    }
  }
  return {
    dashboard,
    workbook,
    semopx: hourly(0, (ts) => ts >= semopxFrom && ts < semopxTo),
    ember: hourly(EMBER_PRICE_OFFSET, () => true),
    cso,
  };
}

/** Starts the mirror for the UTC span [from, to). */
export async function startPublisherMirror(span: { from: number; to: number }): Promise<PublisherMirror> {
  const served = mirrorData(span.from, span.to);
  const requests: string[] = [];
  // EirGrid publishes one workbook per Irish local year.
  const localYear = (o: Observation) => new Date(utcToIrishWallMs(o.tsUtc)).getUTCFullYear();
  const workbookYears = [...new Set(served.workbook.map(localYear))];
  const workbooks = new Map<number, Buffer>(
    workbookYears.map((year) => [
      year,
      buildSystemDataWorkbook(served.workbook.filter((o) => localYear(o) === year)),
    ]),
  );
  const documents = new Map<string, string>();
  const listing: StaticReportItem[] = [];
  for (const day of tradingDaysWithin(span.from, span.to)) {
    const start = tradingDayStartUtc(day);
    const prices = served.semopx.filter((o) => o.tsUtc >= start && o.tsUtc < start + 24 * HOUR_MS);
    const meta = { auctionUtc: start - 12 * HOUR_MS, publishedUtc: start - 11 * HOUR_MS };
    const name = marketResultResourceName(meta);
    documents.set(name, writeMarketResultCsv(prices, meta));
    listing.push({
      ResourceName: name,
      Date: `${day}T00:00:00`,
      PublishTime: new Date(meta.publishedUtc).toISOString().slice(0, 19),
    });
  }
  const emberFolder = EMBER_ZIP_NAME.replace(/\.zip$/, '');
  const emberZip = buildZip([
    {
      name: `${emberFolder}/Germany.csv`,
      data: `${EMBER_HEADER}\nGermany,DEU,2024-01-01 00:00:00,2024-01-01 01:00:00,80.0\n`,
    },
    { name: `${emberFolder}/Ireland.csv`, data: writeEmberCsv(served.ember) },
  ]);
  const mec02 = writeMec02Csv(served.cso);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://mirror');
    requests.push(`${url.pathname}${url.search}`);
    const path = url.pathname;
    if (path === `${DASHBOARD_PREFIX}/api/chart/`) return dashboardAnswer(url.searchParams, served, res);
    if (path === `${EIRGRID_PREFIX}/reports`) {
      const links = workbookYears
        .flatMap((year) => [
          `<a href="/eirgrid/files/System-Data-Qtr-Hourly-${year}-V1.xlsx">${year} (first)</a>`,
          `<a href="/eirgrid/files/System-Data-Qtr-Hourly-${year}-V2.xlsx">${year}</a>`,
        ])
        .join('\n');
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<html><body>${links}</body></html>`);
    }
    const workbook = /^\/eirgrid\/files\/System-Data-Qtr-Hourly-(\d{4})(-V2)?\.xlsx$/.exec(path);
    if (workbook !== null && workbooks.has(Number(workbook[1]))) {
      return void res.writeHead(200).end(workbooks.get(Number(workbook[1])));
    }
    if (path === `${SEMOPX_PREFIX}${STATIC_REPORTS_PATH}`) {
      const first = (url.searchParams.get('Date') ?? '>=0000').slice(2);
      const items = listing.filter((item) => item.Date.slice(0, 10) >= first);
      const body = JSON.stringify({ items, pagination: { totalPages: 1 } });
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
    if (path.startsWith(`${SEMOPX_PREFIX}${DOCUMENTS_PATH}`)) {
      const document = documents.get(
        decodeURIComponent(path.slice(`${SEMOPX_PREFIX}${DOCUMENTS_PATH}`.length)),
      );
      if (document !== undefined)
        return void res.writeHead(200, { 'content-type': 'text/csv' }).end(document);
    }
    if (path === `${EMBER_PREFIX}${EMBER_ZIP_PATH}`) {
      return void res.writeHead(200, { 'content-type': 'application/zip' }).end(emberZip);
    }
    if (path === `${CSO_PREFIX}${MEC02_PATH}`) {
      return void res.writeHead(200, { 'content-type': 'text/csv' }).end(mec02);
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
  };

  const server = createServer(handle);
  const origin = await listenLocally(server);
  return {
    origin,
    settings: {
      DASHBOARD_BASE_URL: `${origin}${DASHBOARD_PREFIX}`,
      EIRGRID_WORKBOOK_URL: `${origin}${EIRGRID_PREFIX}/files/`,
      EMBER_URL: `${origin}${EMBER_PREFIX}`,
      SEMOPX_BASE_URL: `${origin}${SEMOPX_PREFIX}`,
      CSO_BASE_URL: `${origin}${CSO_PREFIX}`,
    },
    workbookPageUrl: `${origin}${EIRGRID_PREFIX}/reports`,
    requests,
    served,
    close: () => {
      const closed = closeServer(server);
      server.closeAllConnections();
      return closed;
    },
  };
}

/** `/api/chart/?region=ROI&...&dateFrom=01-Sep-2024 00:00&dateTo=30-Sep-2024 23:59&areas=demandactual` */
function dashboardAnswer(params: URLSearchParams, served: ServedData, res: ServerResponse): void {
  const area = params.get('areas') ?? '';
  const region = REGION_OF_CODE[params.get('region') ?? ''];
  const fromText = params.get('dateFrom');
  const toText = params.get('dateTo');
  if (!(area in AREAS) || region === undefined || fromText === null || toText === null) {
    return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"Rows":[]}');
  }
  const wanted = new Set<SeriesName>(AREAS[area as DashboardArea].map((field) => FIELDS[field]!.series));
  const fromUtc = irishWallToUtcMs(parseDashboardWall(`${fromText}:00`)) ?? 0;
  const toUtc = irishWallToUtcMs(parseDashboardWall(`${toText}:00`) + 60_000) ?? 0;
  const rows = toDashboardRows(
    served.dashboard.filter(
      (o) => wanted.has(o.series) && o.region === region && o.tsUtc >= fromUtc && o.tsUtc < toUtc,
    ),
  );
  res.writeHead(200, { 'content-type': 'application/json' }).end(formatApiJson(rows));
}

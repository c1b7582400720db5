/**
 * Writes day-ahead price observations in SEMOpx formats: the EA-001 Market Results report (CSV
 * and JSON, one auction = one trading day) and the flat price table. They read back through
 * parseSemopxText to the same observations. Used for test fixtures and the offline demo data.
 */
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { Observation } from '../types.js';
import { DAY_AHEAD_MARKETS } from './prices.js';
import { SEMOPX_TABLE_HEADER } from './table-csv.js';
import { tradingDayOf } from './trading-day.js';

export interface MarketResultMeta {
  /** When the auction ran ("Auction date time"). */
  auctionUtc: number;
  /** When the results were published ("Publication date time"). */
  publishedUtc: number;
  /** EUR to GBP rate of the auction, written in the FX line. */
  fxEurGbp?: number;
}

interface MarketBlock {
  market: string;
  intervalMin: number;
  times: number[];
  eur: (number | null)[];
  gbp: (number | null)[] | null;
}

const MARKET_OF: Partial<Record<Region, string>> = Object.fromEntries(
  Object.entries(DAY_AHEAD_MARKETS).map(([market, region]) => [region, market]),
);

/** The report's resource name on the SEMOpx site for an auction published at a given time. */
export function marketResultResourceName(meta: MarketResultMeta, extension: 'csv' | 'json' = 'csv'): string {
  return `MarketResult_SEM-DA_PWR-MRC-D+1_${compactStamp(meta.auctionUtc)}_${compactStamp(meta.publishedUtc)}.${extension}`;
}

/** The semicolon report (current dialect: "Auction;SEM-DA", "Market;ROI-DA", decimal commas). */
export function writeMarketResultCsv(records: readonly Observation[], meta: MarketResultMeta): string {
  const lines = [
    'Auction;SEM-DA',
    'Auction name;PWR-MRC-D+1',
    `Auction date time;${isoSecond(meta.auctionUtc)}`,
    `Publication date time;${isoSecond(meta.publishedUtc)}`,
    'FX rates',
    `EUR;GBP;${decimalComma(meta.fxEurGbp ?? null)}`,
  ];
  for (const block of marketBlocks(records)) {
    lines.push(`Market;${block.market}`);
    const stamps = block.times.map(isoSecond).join(';');
    lines.push(`Index prices;${block.intervalMin};EUR`, stamps, block.eur.map(decimalComma).join(';'));
    if (block.gbp !== null) {
      lines.push(`Index prices;${block.intervalMin};GBP`, stamps, block.gbp.map(decimalComma).join(';'));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON form: one `rows` entry per market, blocks as header / timestamps / values. */
export function writeMarketResultJson(records: readonly Observation[], meta: MarketResultMeta): string {
  const rows = marketBlocks(records).map((block) => {
    const stamps = block.times.map(isoSecond);
    const entries: unknown[] = [
      ['Market', block.market],
      ['Index prices', block.intervalMin, 'EUR'],
      stamps,
      block.eur,
    ];
    if (block.gbp !== null) entries.push(['Index prices', block.intervalMin, 'GBP'], stamps, block.gbp);
    return entries;
  });
  return JSON.stringify({
    AuctionDate: isoSecond(meta.auctionUtc),
    PublishTime: isoSecond(meta.publishedUtc),
    rows,
  });
}

/** The flat table: one row per market and unit, volumes and net positions left empty. */
export function writeSemopxTableCsv(records: readonly Observation[], publishedUtc?: number): string {
  const lines = [SEMOPX_TABLE_HEADER];
  const published = publishedUtc === undefined ? '' : isoSecond(publishedUtc);
  const blocks = marketBlocks(records, false);
  const rows = blocks.flatMap((block) =>
    block.times.map((ts, i) => ({ block, ts, i, day: tradingDayOf(ts) })),
  );
  rows.sort(
    (a, b) => a.day.localeCompare(b.day) || a.block.market.localeCompare(b.block.market) || a.ts - b.ts,
  );
  for (const { block, ts, i, day } of rows) {
    const gbp = block.gbp === null ? '' : plain(block.gbp[i] ?? null);
    lines.push(
      `${block.market},${isoSecond(ts)},${plain(block.eur[i] ?? null)},${gbp},,,${published},${day.replaceAll('-', '')}.pq`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Groups the records by market; a report's market must use one unit length throughout. */
function marketBlocks(records: readonly Observation[], oneUnitLength = true): MarketBlock[] {
  const blocks = new Map<string, MarketBlock & { gbpAt: Map<number, number | null> }>();
  const sorted = [...records].sort((a, b) => a.tsUtc - b.tsUtc);
  for (const record of sorted) {
    if (record.series === 'price_eur_mwh' || record.series === 'price_gbp_mwh') blockFor(record);
  }
  function blockFor(record: Observation): void {
    const market = MARKET_OF[record.region];
    if (market === undefined) {
      throw new DcgridError(
        ErrorCodes.REGION_UNKNOWN,
        `SEMOpx has no day-ahead market for region ${record.region}`,
      );
    }
    let block = blocks.get(market);
    if (block === undefined) {
      block = { market, intervalMin: record.intervalMin, times: [], eur: [], gbp: null, gbpAt: new Map() };
      blocks.set(market, block);
    }
    if (oneUnitLength && record.intervalMin !== block.intervalMin) {
      throw new DcgridError(
        ErrorCodes.VALUE_INVALID,
        `${market} mixes ${block.intervalMin}- and ${record.intervalMin}-min units; one report holds one auction`,
      );
    }
    if (record.series === 'price_gbp_mwh') block.gbpAt.set(record.tsUtc, record.value);
    else {
      block.times.push(record.tsUtc);
      block.eur.push(record.value);
    }
  }
  return [...blocks.values()]
    .sort((a, b) => a.market.localeCompare(b.market))
    .map(({ gbpAt, ...block }) => ({
      ...block,
      gbp: gbpAt.size === 0 ? null : block.times.map((ts) => gbpAt.get(ts) ?? null),
    }));
}

function isoSecond(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function compactStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

function plain(value: number | null): string {
  return value === null ? '' : String(value);
}

function decimalComma(value: number | null): string {
  return plain(value).replace('.', ',');
}

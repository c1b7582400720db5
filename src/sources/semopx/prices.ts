/**
 * Turns the day-ahead index prices read from any SEMOpx format into observations: market to
 * region, duplicates, the length of each market time unit, GBP prices published as 0, and gaps.
 */
import type { Region } from '../../config/config.js';
import { DcgridError, ErrorCodes, type ErrorLocation } from '../../lib/errors.js';
import { clockChangeDaysBetween, isoHour } from '../../lib/time.js';
import { emptyQuality, type Observation, type ParseQuality, type ParseResult } from '../types.js';
import { checkPhysical } from '../bounds.js';
import { tradingDayNumber, tradingDayOf, tradingDaysWithin } from './trading-day.js';

/** One market time unit's index price as a SEMOpx file gives it. */
export interface SemopxPrice {
  /** SEMOpx market name, e.g. ROI-DA or NI-DA. */
  market: string;
  /** Start of the market time unit. */
  tsUtc: number;
  /** MTU length when the file states it; null = work it out from the spacing of the prices. */
  intervalMin: number | null;
  eur: number | null;
  /** Undefined when the file has no GBP price at all. */
  gbp?: number | null;
  /** Where it was read, for messages: "line 12" or "rows[1][3][5]". */
  at: string;
  /** The physical line of a CSV file; undefined for JSON, where `at` is the position. */
  row?: number;
}

/** An error location for a price: the CSV line and `column`, or the JSON position. */
export function priceLocation(
  file: string,
  price: Pick<SemopxPrice, 'at' | 'row'>,
  column?: string,
): ErrorLocation {
  return price.row !== undefined
    ? { file, line: price.row, ...(column !== undefined ? { column } : {}) }
    : { file, entry: price.at };
}

/** The day-ahead markets; SEM is one all-island market, so both carry the same prices. */
export const DAY_AHEAD_MARKETS: Readonly<Record<string, Region>> = { 'ROI-DA': 'IE', 'NI-DA': 'NI' };

/** MTU lengths SEMOpx has used (60 min up to trading day 30 Sep 2025, 30 min since). */
const KNOWN_INTERVALS = new Set([15, 30, 60]);

export function buildSemopxResult(
  prices: readonly SemopxPrice[],
  file: string,
  read: { rowsRead: number; duplicatesDropped?: number },
): ParseResult {
  const quality = emptyQuality();
  quality.rowsRead = read.rowsRead;
  quality.duplicatesDropped = read.duplicatesDropped ?? 0;
  const records: Observation[] = [];
  for (const [market, list] of groupByMarket(prices, file)) {
    const region = DAY_AHEAD_MARKETS[market] as Region;
    const unique = dropDuplicates(list, file, quality);
    const intervals = intervalsOf(unique, quality, market);
    checkContinuity(unique, intervals, file, quality, market);
    const zeroGbp = unique.filter((p) => p.gbp === 0 && p.eur !== null && p.eur !== 0);
    noteZeroGbp(zeroGbp, quality, market);
    unique.forEach((price, i) => {
      const intervalMin = intervals[i] as number;
      if (price.eur === null) quality.emptyValues++;
      records.push({ series: 'price_eur_mwh', region, tsUtc: price.tsUtc, intervalMin, value: price.eur });
      if (price.gbp === undefined) return;
      if (price.gbp === null) quality.emptyValues++;
      const gbp = price.gbp === 0 && price.eur !== null && price.eur !== 0 ? null : price.gbp;
      records.push({ series: 'price_gbp_mwh', region, tsUtc: price.tsUtc, intervalMin, value: gbp });
    });
  }
  if (records.length > 0) {
    let first = Infinity;
    let last = -Infinity;
    for (const { tsUtc } of records) [first, last] = [Math.min(first, tsUtc), Math.max(last, tsUtc)];
    quality.dstDays = clockChangeDaysBetween(first, last);
  }
  return { source: 'semopx', file, records, quality };
}

function groupByMarket(prices: readonly SemopxPrice[], file: string): Map<string, SemopxPrice[]> {
  const groups = new Map<string, SemopxPrice[]>();
  for (const price of prices) {
    checkPhysical('price_eur_mwh', price.eur, () => priceLocation(file, price, 'index_price_eur_mwh'));
    checkPhysical('price_gbp_mwh', price.gbp ?? null, () =>
      priceLocation(file, price, 'index_price_gbp_mwh'),
    );
    if (DAY_AHEAD_MARKETS[price.market] === undefined) {
      throw new DcgridError(
        ErrorCodes.REGION_UNKNOWN,
        `market "${price.market}" is not a SEM day-ahead market (ROI-DA or NI-DA)`,
        priceLocation(file, price, 'market'),
      );
    }
    const group = groups.get(price.market) ?? [];
    if (group.length === 0) groups.set(price.market, group);
    group.push(price);
  }
  for (const group of groups.values()) group.sort((a, b) => a.tsUtc - b.tsUtc);
  return new Map([...groups].sort(([a], [b]) => marketOrder(a) - marketOrder(b)));
}

function marketOrder(market: string): number {
  return market === 'ROI-DA' ? 0 : 1;
}

function samePrice(a: SemopxPrice, b: SemopxPrice): boolean {
  return a.eur === b.eur && (a.gbp ?? null) === (b.gbp ?? null);
}

function dropDuplicates(list: readonly SemopxPrice[], file: string, quality: ParseQuality): SemopxPrice[] {
  const kept: SemopxPrice[] = [];
  for (const price of list) {
    const previous = kept[kept.length - 1];
    if (previous === undefined || previous.tsUtc !== price.tsUtc) {
      kept.push(price);
      continue;
    }
    if (!samePrice(previous, price)) {
      throw new DcgridError(
        ErrorCodes.DUPLICATE_CONFLICT,
        `${previous.at} and ${price.at} both give ${price.market} at ${isoHour(price.tsUtc)} with different prices ` +
          `(EUR ${previous.eur} and ${price.eur})`,
        priceLocation(file, price, 'timestamp_utc'),
      );
    }
    quality.duplicatesDropped++;
  }
  return kept;
}

/**
 * Stated MTU lengths are kept. Otherwise all MTUs of a trading day share the length of the
 * smallest step between two of its prices (a missing MTU cannot make it smaller); a trading day
 * with one price takes the smaller step to a neighbour, and 60 min when that is not a known length.
 */
function intervalsOf(list: readonly SemopxPrice[], quality: ParseQuality, market: string): number[] {
  const days = list.map((p) => tradingDayNumber(p.tsUtc));
  const stepOfDay = new Map<number, number>();
  for (let i = 1; i < list.length; i++) {
    if (days[i] !== days[i - 1]) continue;
    const step = ((list[i] as SemopxPrice).tsUtc - (list[i - 1] as SemopxPrice).tsUtc) / 60_000;
    const day = days[i] as number;
    stepOfDay.set(day, Math.min(stepOfDay.get(day) ?? Infinity, step));
  }
  let guessed = 0;
  const intervals = list.map((price, i) => {
    if (price.intervalMin !== null) return price.intervalMin;
    const ofDay = stepOfDay.get(days[i] as number);
    if (ofDay !== undefined && KNOWN_INTERVALS.has(ofDay)) return ofDay;
    const neighbours = [list[i - 1], list[i + 1]]
      .filter((n): n is SemopxPrice => n !== undefined)
      .map((n) => Math.abs(n.tsUtc - price.tsUtc) / 60_000);
    const nearest = Math.min(...neighbours);
    if (KNOWN_INTERVALS.has(nearest)) return nearest;
    guessed++;
    return 60;
  });
  if (guessed > 0) quality.notes.push(`${market}: ${guessed} isolated price(s) taken as 60-min units`);
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i] !== intervals[i - 1]) {
      const ts = (list[i] as SemopxPrice).tsUtc;
      quality.notes.push(
        `${market}: market time unit changes from ${intervals[i - 1]} to ${intervals[i]} min at ${minuteIso(ts)} (trading day ${tradingDayOf(ts)})`,
      );
    }
  }
  return intervals;
}

/** Notes every hole between consecutive units; fails when units overlap. */
function checkContinuity(
  list: readonly SemopxPrice[],
  intervals: readonly number[],
  file: string,
  quality: ParseQuality,
  market: string,
): void {
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1] as SemopxPrice;
    const price = list[i] as SemopxPrice;
    const expected = previous.tsUtc + (intervals[i - 1] as number) * 60_000;
    if (price.tsUtc < expected) {
      throw new DcgridError(
        ErrorCodes.INPUT_CORRUPT,
        `${previous.at} (a ${intervals[i - 1]}-min unit from ${isoHour(previous.tsUtc)}) overlaps ${price.at}`,
        priceLocation(file, price),
      );
    }
    if (price.tsUtc > expected) {
      const hours = (price.tsUtc - expected) / 3_600_000;
      const days = tradingDaysWithin(expected, price.tsUtc);
      const missingDays =
        days.length > 0 ? ` (missing trading day${days.length > 1 ? 's' : ''} ${days.join(', ')})` : '';
      quality.notes.push(
        `${market}: no prices for ${hours} h from ${minuteIso(expected)} to ${minuteIso(price.tsUtc)}${missingDays}`,
      );
    }
  }
}

function noteZeroGbp(zeroGbp: readonly SemopxPrice[], quality: ParseQuality, market: string): void {
  if (zeroGbp.length === 0) return;
  const first = zeroGbp[0] as SemopxPrice;
  const last = zeroGbp[zeroGbp.length - 1] as SemopxPrice;
  quality.notes.push(
    `${market}: ${zeroGbp.length} GBP price(s) given as 0 next to a non-zero EUR price (${minuteIso(first.tsUtc)} to ${minuteIso(last.tsUtc)}) set to missing; the GBP price is the EUR price converted, so it cannot be 0 alone`,
  );
}

function minuteIso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

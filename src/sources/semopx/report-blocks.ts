/** What the CSV and JSON forms of SEMOpx's Market Results report (EA-001) have in common. */
import { DcgridError, ErrorCodes, type ErrorLocation } from '../../lib/errors.js';
import { priceLocation, type SemopxPrice } from './prices.js';

/** Section lines naming the market the following blocks belong to (current and older files). */
export const MARKET_LABELS = new Set(['market', 'market area']);
/** The block holding index prices; others (index volumes, net position) are skipped. */
export const PRICE_BLOCK = 'index prices';

export interface ReportRead {
  prices: SemopxPrice[];
  rowsRead: number;
  duplicatesDropped: number;
}

/** Fails unless the report is of the day-ahead auction (SEM-DA); intraday auctions share the format. */
export function checkDayAhead(auction: string, where: ErrorLocation): void {
  if (!auction.toUpperCase().startsWith('SEM-DA')) {
    throw new DcgridError(
      ErrorCodes.INPUT_CORRUPT,
      `this is a report of auction "${auction}", not of the day-ahead auction SEM-DA`,
      where,
    );
  }
}

/** The unit length of a price block header ("Index prices;30;EUR" -> 30). */
export function blockResolution(text: unknown, where: ErrorLocation): number {
  const minutes = Number(typeof text === 'string' ? text.trim() : text);
  if (!Number.isInteger(minutes) || minutes <= 0 || 60 % minutes !== 0) {
    throw new DcgridError(
      ErrorCodes.VALUE_INVALID,
      `"${String(text)}" is not a market time unit in minutes`,
      where,
    );
  }
  return minutes;
}

export interface BlockPrice {
  market: string;
  tsUtc: number;
  intervalMin: number;
  currency: 'EUR' | 'GBP';
  value: number | null;
  /** Where the value was read ("line 12", "rows[0][3][5]"). */
  at: string;
  row?: number;
}

/** Gathers the EUR and GBP blocks' prices of one market and unit into one SemopxPrice. */
export class PriceCollector {
  private readonly byKey = new Map<string, SemopxPrice>();
  private readonly seen = new Map<string, BlockPrice>();
  private duplicates = 0;

  constructor(private readonly file: string) {}

  add(entry: BlockPrice): void {
    const key = `${entry.market}|${entry.tsUtc}`;
    const previous = this.seen.get(`${key}|${entry.currency}`);
    if (previous !== undefined) {
      if (previous.value !== entry.value) {
        throw new DcgridError(
          ErrorCodes.DUPLICATE_CONFLICT,
          `${previous.at} and ${entry.at} both give the ${entry.market} ${entry.currency} price at ` +
            `${new Date(entry.tsUtc).toISOString()}, differently (${previous.value} and ${entry.value})`,
          priceLocation(this.file, entry),
        );
      }
      this.duplicates++;
      return;
    }
    this.seen.set(`${key}|${entry.currency}`, entry);
    let price = this.byKey.get(key);
    if (price === undefined) {
      price = {
        market: entry.market,
        tsUtc: entry.tsUtc,
        intervalMin: entry.intervalMin,
        eur: null,
        at: entry.at,
        row: entry.row,
      };
      this.byKey.set(key, price);
    }
    if (entry.currency === 'EUR') {
      price.eur = entry.value;
      price.at = entry.at;
      price.row = entry.row;
    } else price.gbp = entry.value;
  }

  result(): ReportRead {
    const prices = [...this.byKey.values()];
    if (prices.length === 0) {
      throw new DcgridError(ErrorCodes.INPUT_CORRUPT, 'no "Index prices" block with timestamps and prices', {
        file: this.file,
      });
    }
    return { prices, rowsRead: prices.length, duplicatesDropped: this.duplicates };
  }
}

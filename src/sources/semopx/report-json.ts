/**
 * The JSON form of SEMOpx's Market Results report (EA-001), as the reports site serves it to a
 * client asking for JSON. `rows` holds one array per market; inside it, `["Market", "ROI-DA"]`
 * names the market and each block is three entries: a header (`["Index prices", 30, "EUR"]`), the
 * units' UTC start times and their values.
 *
 *   {"rows": [[["Market","NI-DA"], ["Index prices",30,"EUR"], ["2026-04-07T22:00:00Z", ...], [180, ...], ...],
 *             [["Market","ROI-DA"], ...]], ...}
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { parseDateTimeCell, parseIsoDateTime, parseNumberCell, utcMsOf } from '../csv-lines.js';
import {
  blockResolution,
  MARKET_LABELS,
  PRICE_BLOCK,
  PriceCollector,
  type ReportRead,
} from './report-blocks.js';

export function readMarketResultJson(text: string, file: string): ReportRead {
  if (text.trim().length === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, `not valid JSON: ${(error as Error).message}`, { file });
  }
  const rows = typeof doc === 'object' && doc !== null ? (doc as { rows?: unknown }).rows : undefined;
  if (!Array.isArray(rows)) {
    throw new DcgridError(ErrorCodes.INPUT_CORRUPT, 'no "rows" array: not a SEMOpx Market Results report', {
      file,
    });
  }
  const collector = new PriceCollector(file);
  rows.forEach((block: unknown, b) => {
    if (!Array.isArray(block)) return;
    let market: string | null = null;
    for (let j = 0; j < block.length; j++) {
      const entry: unknown = block[j];
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const label = entry[0].trim().toLowerCase();
      if (MARKET_LABELS.has(label)) {
        market = String(entry[1] ?? '').trim();
        continue;
      }
      const stamps: unknown = block[j + 1];
      const values: unknown = block[j + 2];
      if (!isTimestampList(stamps) || !Array.isArray(values)) continue;
      j += 2;
      const currency = String(entry[2] ?? '').toUpperCase();
      if (label !== PRICE_BLOCK || (currency !== 'EUR' && currency !== 'GBP')) continue;
      const path = `rows[${b}][${j}]`;
      if (market === null) {
        throw new DcgridError(
          ErrorCodes.INPUT_CORRUPT,
          'an "Index prices" block comes before any "Market" entry',
          {
            file,
            entry: `rows[${b}][${j - 2}]`,
          },
        );
      }
      if (stamps.length !== values.length) {
        throw new DcgridError(
          ErrorCodes.INPUT_CORRUPT,
          `${stamps.length} timestamps but ${values.length} prices`,
          {
            file,
            entry: path,
          },
        );
      }
      const intervalMin = blockResolution(entry[1], { file, entry: `rows[${b}][${j - 2}][1]` });
      stamps.forEach((stamp, k) => {
        const tsUtc = utcMsOf(
          parseDateTimeCell(String(stamp), { file, entry: `rows[${b}][${j - 1}][${k}]` }),
        );
        const at = `${path}[${k}]`;
        const value = jsonNumber(values[k], { file, entry: at });
        collector.add({ market: market as string, tsUtc, intervalMin, currency, value, at });
      });
    }
  });
  return collector.result();
}

/** A block's second entry: a list starting with a date-time (each one is checked when read). */
function isTimestampList(value: unknown): value is unknown[] {
  return Array.isArray(value) && typeof value[0] === 'string' && parseIsoDateTime(value[0]) !== null;
}

function jsonNumber(value: unknown, where: { file: string; entry: string }): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new DcgridError(ErrorCodes.VALUE_INVALID, `${value} is not a price`, where);
    return value;
  }
  if (typeof value === 'string') return parseNumberCell(value, where, value.includes(','));
  throw new DcgridError(ErrorCodes.VALUE_INVALID, `${JSON.stringify(value)} is not a price`, where);
}

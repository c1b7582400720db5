/**
 * SEMOpx's own "Market Results" report (EA-001), CSV form: `MarketResult_SEM-DA_PWR-MRC-D+1_*.csv`.
 * Semicolon-separated lines in sections, decimal commas, UTC timestamps of each unit's start:
 *
 *   Auction;SEM-DA                      (older files: "Area set;SEM-DA")
 *   Auction name;PWR-MRC-D+1
 *   Auction date time;2026-07-08T10:00:00Z
 *   Publication date time;2026-07-08T10:55:00Z
 *   FX rates
 *   EUR;GBP;0,85455478
 *   Market;NI-DA                        (older files: "Market Area;NI-DA")
 *   Index prices;30;EUR                 (block header: unit length in minutes; currency)
 *   2026-07-08T22:00:00Z;2026-07-08T22:30:00Z;...
 *   111,11;222,22;...
 *   Index prices;30;GBP / Index volumes;30 / ...   (further blocks, same three-line shape)
 *   Market;ROI-DA ...
 *
 * A block is any line followed by a line of timestamps and a line of values; only "Index prices"
 * blocks are read, others (volumes, net positions) are stepped over.
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import {
  parseDateTimeCell,
  parseIsoDateTime,
  parseNumberCell,
  readCsvRecords,
  utcMsOf,
} from '../csv-lines.js';
import {
  blockResolution,
  checkDayAhead,
  MARKET_LABELS,
  PRICE_BLOCK,
  PriceCollector,
  type ReportRead,
} from './report-blocks.js';

const AUCTION_LABELS = new Set(['auction', 'area set']);

export function readMarketResultCsv(text: string, file: string): ReportRead {
  const lines = [...readCsvRecords(text, { delimiter: ';', file })];
  if (lines.length === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  const collector = new PriceCollector(file);
  let market: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const { fields, row } = lines[i] as (typeof lines)[number];
    const label = (fields[0] ?? '').trim().toLowerCase();
    if (AUCTION_LABELS.has(label)) {
      checkDayAhead((fields[1] ?? '').trim(), { file, line: row });
      continue;
    }
    if (MARKET_LABELS.has(label)) {
      market = (fields[1] ?? '').trim();
      continue;
    }
    const stamps = lines[i + 1];
    const values = lines[i + 2];
    if (stamps === undefined || values === undefined || parseIsoDateTime(stamps.fields[0] ?? '') === null)
      continue;
    i += 2;
    if (label !== PRICE_BLOCK) continue;
    if (market === null) {
      throw new DcgridError(
        ErrorCodes.INPUT_CORRUPT,
        'an "Index prices" block comes before any "Market" line',
        {
          file,
          row,
        },
      );
    }
    const resolution = blockResolution(fields[1], { file, line: row, column: 'Index prices resolution' });
    const currency = (fields[2] ?? '').trim().toUpperCase();
    if (currency !== 'EUR' && currency !== 'GBP') continue;
    dropTrailingEmpty(stamps.fields, values.fields);
    if (stamps.fields.length !== values.fields.length) {
      throw new DcgridError(
        ErrorCodes.INPUT_CORRUPT,
        `${stamps.fields.length} timestamps (line ${stamps.row}) but ${values.fields.length} prices`,
        { file, line: values.row },
      );
    }
    stamps.fields.forEach((stamp, k) => {
      const column = `period ${k + 1}`;
      const tsUtc = utcMsOf(parseDateTimeCell(stamp, { file, line: stamps.row, column }));
      const value = parseNumberCell(
        values.fields[k] ?? '',
        { file, line: values.row, column: `${column} (${stamp})` },
        true,
      );
      collector.add({
        market: market as string,
        tsUtc,
        intervalMin: resolution,
        currency,
        value,
        at: `line ${values.row}`,
        row: values.row,
      });
    });
  }
  return collector.result();
}

/** A line ending in ";" leaves an empty last field: drop it from the timestamps and the values alike. */
function dropTrailingEmpty(stamps: string[], values: string[]): void {
  while (stamps.length > 0 && (stamps[stamps.length - 1] ?? '').trim() === '') {
    stamps.pop();
    if (values.length > stamps.length) values.pop();
  }
}

/**
 * Reads any of the SEMOpx day-ahead price files dcgrid knows, telling them apart by content:
 * the EA-001 Market Results report as CSV (`MarketResult_SEM-DA_*.csv`) or JSON, and the flat
 * price table (`semopx_day_ahead_index_prices_*.csv`). ROI-DA prices become region IE, NI-DA
 * prices region NI (the same all-island prices), as `price_eur_mwh` and `price_gbp_mwh`.
 */
import { readTextFile } from '../text-file.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import type { ParseOptions, ParseResult } from '../types.js';
import { buildSemopxResult } from './prices.js';
import { readMarketResultCsv } from './report-csv.js';
import { readMarketResultJson } from './report-json.js';
import { readSemopxTable } from './table-csv.js';

export type SemopxFormat = 'report-csv' | 'report-json' | 'table-csv';

export async function parseSemopxFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  return parseSemopxText(await readTextFile(path, options.displayName ?? path), options.displayName ?? path);
}

export function parseSemopxText(text: string, file: string): ParseResult {
  const format = detectSemopxFormat(text, file);
  const read =
    format === 'report-json'
      ? readMarketResultJson(text, file)
      : format === 'report-csv'
        ? readMarketResultCsv(text, file)
        : readSemopxTable(text, file);
  return buildSemopxResult(read.prices, file, read);
}

/** JSON starts with "{"; the report's lines are semicolon-separated; the table is a comma CSV. */
export function detectSemopxFormat(text: string, file: string): SemopxFormat {
  const start = text.replace(/^\ufeff/, '').trimStart();
  if (start.length === 0) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  if (start.startsWith('{')) return 'report-json';
  const firstLine = start.slice(0, start.indexOf('\n') === -1 ? undefined : start.indexOf('\n'));
  return firstLine.includes(';') ? 'report-csv' : 'table-csv';
}

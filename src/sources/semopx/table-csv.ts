/**
 * The flat day-ahead price table (`semopx_day_ahead_index_prices_*.csv`): one row per market and
 * market time unit, as the semopx-app cache holds them (converted from its parquet files).
 */
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { parseDateTimeCell, parseNumberCell, readCsvRecords, resolveColumns, utcMsOf } from '../csv-lines.js';
import type { SemopxPrice } from './prices.js';

export const SEMOPX_TABLE_COLUMNS = {
  market: { name: 'market' },
  timestamp: { name: 'timestamp_utc' },
  eur: { name: 'index_price_eur_mwh' },
  gbp: { name: 'index_price_gbp_mwh', optional: true },
};

export const SEMOPX_TABLE_HEADER =
  'market,timestamp_utc,index_price_eur_mwh,index_price_gbp_mwh,index_volume_mwh,net_position_mw,publish_time_utc,cache_file';

export function readSemopxTable(text: string, file: string): { prices: SemopxPrice[]; rowsRead: number } {
  const records = readCsvRecords(text, { file });
  const first = records.next();
  if (first.done) throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file is empty', { file });
  const col = resolveColumns(first.value.fields, SEMOPX_TABLE_COLUMNS, { file, line: first.value.row });
  const prices: SemopxPrice[] = [];
  for (const { fields, row } of records) {
    const cell = (index: number) => fields[index] ?? '';
    const where = (column: string) => ({ file, line: row, column });
    // timestamp_utc is the start of the unit in UTC; a value without "Z" is read as UTC too.
    const ts = parseDateTimeCell(cell(col.timestamp), where(SEMOPX_TABLE_COLUMNS.timestamp.name));
    prices.push({
      market: cell(col.market).trim(),
      tsUtc: utcMsOf(ts),
      intervalMin: null,
      eur: parseNumberCell(cell(col.eur), where(SEMOPX_TABLE_COLUMNS.eur.name)),
      gbp: col.gbp < 0 ? undefined : parseNumberCell(cell(col.gbp), where(SEMOPX_TABLE_COLUMNS.gbp.name)),
      at: `line ${row}`,
      row,
    });
  }
  if (prices.length === 0) {
    throw new DcgridError(ErrorCodes.INPUT_EMPTY, 'the file has a header but no data rows', {
      file,
      line: first.value.row + 1,
    });
  }
  return { prices, rowsRead: prices.length };
}

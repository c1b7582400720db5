/** Writing built feature rows to dcgrid.features_hourly: insert new hours, update changed ones. */
import { sql } from 'kysely';
import { FEATURE_COLUMNS, type FeatureRow } from '../features/columns.js';
import { binaryCopyChunks, type BinaryCopyBuffer } from '../store/copy-binary.js';
import type { StoreTransaction } from '../store/store.js';
import { copyIntoEmptyTable, type KeyedTable } from './bulk-load.js';

type Column = (typeof FEATURE_COLUMNS)[number];

export const FEATURES_HOURLY: KeyedTable = {
  table: 'dcgrid.features_hourly',
  constraint: 'features_hourly_pkey',
  keyColumns: ['region', 'ts_utc'],
};

const VALUE_COLUMNS = FEATURE_COLUMNS.filter((c) => c !== 'region' && c !== 'ts_utc');
const BOOLEAN_COLUMNS = new Set<Column>([
  'neg_price_flag',
  'price_spike_flag',
  'event_tight',
  'event_snsp',
  'event_price_spike',
  'stress_event',
]);
const TEXT_COLUMNS = new Set<Column>(['dc_load_source', 'stress_band']);

/** One writer per column, in table order, so each row is encoded without looking up its types. */
const WRITERS: Array<(b: BinaryCopyBuffer, row: FeatureRow) => void> = FEATURE_COLUMNS.map((column) => {
  if (column === 'region') return (b, row) => void b.text(row.region);
  if (column === 'ts_utc') return (b, row) => void b.timestamptz(row.ts);
  if (column === 'flags') return (b, row) => void b.textArray(row.flags);
  if (BOOLEAN_COLUMNS.has(column)) return (b, row) => void b.bool(row[column] as boolean | null);
  if (TEXT_COLUMNS.has(column)) return (b, row) => void b.text(row[column] as string | null);
  return (b, row) => void b.float8(row[column] as number | null);
});

function copyData(rows: readonly FeatureRow[]) {
  return binaryCopyChunks(rows, (b, row) => {
    b.row(WRITERS.length);
    for (const write of WRITERS) write(b, row);
  });
}

/** Upserts rows; identical rows are left untouched. Returns rows inserted or changed. */
export async function writeFeatures(
  tx: StoreTransaction,
  rows: readonly FeatureRow[],
  options: { tableEmpty: boolean },
): Promise<number> {
  if (rows.length === 0) return 0;
  if (options.tableEmpty) {
    await copyIntoEmptyTable(tx, FEATURES_HOURLY, FEATURE_COLUMNS, copyData(rows));
    return rows.length;
  }
  await sql`CREATE TEMP TABLE features_stage (LIKE dcgrid.features_hourly INCLUDING DEFAULTS) ON COMMIT DROP`.execute(
    tx.db,
  );
  await tx.copyIn('features_stage', FEATURE_COLUMNS, copyData(rows), 'binary');
  const columns = sql.join(FEATURE_COLUMNS.map((c) => sql.ref(c)));
  const staged = sql.join(FEATURE_COLUMNS.map((c) => sql.ref(`s.${c}`)));
  const updates = sql.join(VALUE_COLUMNS.map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`));
  const stored = sql.join(VALUE_COLUMNS.map((c) => sql.ref(`e.${c}`)));
  const incoming = sql.join(VALUE_COLUMNS.map((c) => sql.ref(`s.${c}`)));
  // Unchanged hours are filtered out by a join first, so ON CONFLICT only sees real changes.
  const result = await sql`
    INSERT INTO dcgrid.features_hourly AS f (${columns})
    SELECT ${staged} FROM features_stage s
    LEFT JOIN dcgrid.features_hourly e ON e.region = s.region AND e.ts_utc = s.ts_utc
    WHERE e.ts_utc IS NULL OR (${stored}) IS DISTINCT FROM (${incoming})
    ON CONFLICT (region, ts_utc) DO UPDATE SET ${updates}, updated_at = now()`.execute(tx.db);
  await sql`DROP TABLE features_stage`.execute(tx.db);
  return Number(result.numAffectedRows ?? 0n);
}

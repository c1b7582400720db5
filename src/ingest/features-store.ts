/** Writing built feature rows to dcgrid.features_hourly: insert new hours, update changed ones. */
import { sql } from 'kysely';
import { FEATURE_COLUMNS, featureRowValues, type FeatureRow } from '../features/columns.js';
import { copyChunks } from '../store/copy-text.js';
import type { StoreTransaction } from '../store/store.js';

const VALUE_COLUMNS = FEATURE_COLUMNS.filter((c) => c !== 'region' && c !== 'ts_utc');

/** Upserts rows; identical rows are left untouched. Returns rows inserted or changed. */
export async function writeFeatures(tx: StoreTransaction, rows: readonly FeatureRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await sql`CREATE TEMP TABLE features_stage (LIKE dcgrid.features_hourly INCLUDING DEFAULTS) ON COMMIT DROP`.execute(
    tx.db,
  );
  await tx.copyIn('features_stage', FEATURE_COLUMNS, copyChunks(rowValues(rows)));
  const columns = sql.join(FEATURE_COLUMNS.map((c) => sql.ref(c)));
  const updates = sql.join(VALUE_COLUMNS.map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`));
  const current = sql.join(VALUE_COLUMNS.map((c) => sql.ref(`f.${c}`)));
  const incoming = sql.join(VALUE_COLUMNS.map((c) => sql`EXCLUDED.${sql.ref(c)}`));
  const result = await sql`
    INSERT INTO dcgrid.features_hourly AS f (${columns})
    SELECT ${columns} FROM features_stage
    ON CONFLICT (region, ts_utc) DO UPDATE SET ${updates}, updated_at = now()
    WHERE (${current}) IS DISTINCT FROM (${incoming})`.execute(tx.db);
  await sql`DROP TABLE features_stage`.execute(tx.db);
  return Number(result.numAffectedRows ?? 0n);
}

function* rowValues(rows: readonly FeatureRow[]) {
  for (const row of rows) yield featureRowValues(row);
}

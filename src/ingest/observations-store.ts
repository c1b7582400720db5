/** Writing merged series to dcgrid.observations and reading them back for the feature build. */
import { sql, type Kysely } from 'kysely';
import type { Region } from '../config/config.js';
import type { Database } from '../store/database.js';
import type { StoreTransaction } from '../store/store.js';
import { BinaryCopyReader, binaryCopyChunks } from '../store/copy-binary.js';
import type { SeriesName, SourceName } from '../sources/types.js';
import { copyIntoEmptyTable, type KeyedTable } from './bulk-load.js';
import type { MergedSeries } from './merge.js';

const COLUMNS = ['source', 'series', 'region', 'ts_utc', 'interval_min', 'value'] as const;

export const OBSERVATIONS: KeyedTable = {
  table: 'dcgrid.observations',
  constraint: 'observations_pkey',
  keyColumns: ['source', 'series', 'region', 'ts_utc'],
};

interface Reading {
  series: MergedSeries;
  index: number;
}

function* readings(series: readonly MergedSeries[]): Generator<Reading> {
  const reading = { series: series[0]!, index: 0 };
  for (const s of series) {
    reading.series = s;
    for (let i = 0; i < s.ts.length; i++) {
      reading.index = i;
      yield reading;
    }
  }
}

/** Binary COPY of every reading (no number formatting: see copy-binary.ts). */
function copyData(series: readonly MergedSeries[]) {
  return binaryCopyChunks(readings(series), (b, { series: s, index: i }) =>
    b
      .row(6)
      .text(s.source)
      .text(s.series)
      .text(s.region)
      .timestamptz(s.ts[i]!)
      .int2(s.intervalMin[i]!)
      .float8(s.values[i]!),
  );
}

/**
 * Upserts observations: new rows are inserted, rows whose value changed are updated (and get a
 * new ingested_at), identical rows are left alone. Returns how many rows were inserted or changed.
 * Into an empty table (a first ingest) the rows are bulk-loaded: nothing can conflict
 * (`whileKeyBuilds`: see copyIntoEmptyTable).
 */
export async function writeObservations(
  tx: StoreTransaction,
  series: readonly MergedSeries[],
  options: { tableEmpty: boolean; whileKeyBuilds?: () => void },
): Promise<number> {
  if (series.length === 0) return 0;
  if (options.tableEmpty) {
    await copyIntoEmptyTable(tx, OBSERVATIONS, COLUMNS, copyData(series), options.whileKeyBuilds);
    return series.reduce((n, s) => n + s.ts.length, 0);
  }
  await sql`
    CREATE TEMP TABLE observations_stage (
      source text, series text, region text, ts_utc timestamptz, interval_min smallint, value double precision
    ) ON COMMIT DROP`.execute(tx.db);
  await tx.copyIn('observations_stage', COLUMNS, copyData(series), 'binary');
  // Rows identical to the stored ones are filtered out by a join first: cheaper than letting
  // ON CONFLICT visit (and lock) every unchanged row.
  const result = await sql`
    INSERT INTO dcgrid.observations AS o (source, series, region, ts_utc, interval_min, value)
    SELECT s.source, s.series, s.region, s.ts_utc, s.interval_min, s.value
    FROM observations_stage s
    LEFT JOIN dcgrid.observations e
      ON e.source = s.source AND e.series = s.series AND e.region = s.region AND e.ts_utc = s.ts_utc
    WHERE e.ts_utc IS NULL OR (e.value, e.interval_min) IS DISTINCT FROM (s.value, s.interval_min)
    ON CONFLICT (source, series, region, ts_utc) DO UPDATE
      SET value = EXCLUDED.value, interval_min = EXCLUDED.interval_min, ingested_at = now()`.execute(tx.db);
  await sql`DROP TABLE observations_stage`.execute(tx.db);
  return Number(result.numAffectedRows ?? 0n);
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The stored (source, series, region) keys, found by skipping through the primary key. */
async function storedKeys(
  db: Kysely<Database>,
): Promise<Array<Pick<MergedSeries, 'source' | 'series' | 'region'>>> {
  const result = await sql<{ source: SourceName; series: SeriesName; region: Region }>`
    WITH RECURSIVE k AS (
      (SELECT source, series, region FROM dcgrid.observations ORDER BY source, series, region LIMIT 1)
      UNION ALL
      SELECT n.source, n.series, n.region FROM k CROSS JOIN LATERAL (
        SELECT o.source, o.series, o.region FROM dcgrid.observations o
        WHERE (o.source, o.series, o.region) > (k.source, k.series, k.region)
        ORDER BY o.source, o.series, o.region LIMIT 1
      ) n
    )
    SELECT source, series, region FROM k`.execute(db);
  return result.rows;
}

/**
 * Every stored observation, as merged series (sorted by time within each). One binary COPY per
 * series, without the key columns: decoding three strings per row cost more than the read itself.
 */
export async function readObservations(tx: StoreTransaction): Promise<MergedSeries[]> {
  const out: MergedSeries[] = [];
  for (const key of await storedKeys(tx.db)) {
    const bytes = await tx.copyOut(
      `SELECT ts_utc, interval_min, value FROM dcgrid.observations WHERE source = ${quote(key.source)} ` +
        `AND series = ${quote(key.series)} AND region = ${quote(key.region)} ORDER BY ts_utc`,
    );
    // The smallest row (a NULL value) takes 24 bytes, so this bounds the row count.
    const capacity = Math.ceil(bytes.length / 24);
    const ts = new Float64Array(capacity);
    const intervalMin = new Int16Array(capacity);
    const values = new Float64Array(capacity);
    const reader = new BinaryCopyReader(bytes);
    let n = 0;
    while (reader.nextRow()) {
      ts[n] = reader.timestamptz();
      intervalMin[n] = reader.int2() ?? 0;
      values[n] = reader.float8();
      n++;
    }
    out.push({
      ...key,
      ts: ts.slice(0, n),
      intervalMin: intervalMin.slice(0, n),
      values: values.slice(0, n),
    });
  }
  return out;
}

/** True when a table has no rows (cheaper than counting them). */
export async function isEmpty(
  db: Kysely<Database>,
  table: 'dcgrid.observations' | 'dcgrid.features_hourly',
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`1`.as('one'))
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}

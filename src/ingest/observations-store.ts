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
 * Into an empty table (a first ingest) the rows are bulk-loaded: nothing can conflict.
 */
export async function writeObservations(
  tx: StoreTransaction,
  series: readonly MergedSeries[],
  options: { tableEmpty: boolean },
): Promise<number> {
  if (series.length === 0) return 0;
  if (options.tableEmpty) {
    await copyIntoEmptyTable(tx, OBSERVATIONS, COLUMNS, copyData(series));
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

/** Every stored observation, as merged series (sorted by time within each). */
export async function readObservations(tx: StoreTransaction): Promise<MergedSeries[]> {
  const bytes = await tx.copyOut(
    'SELECT source, series, region, ts_utc, interval_min, value FROM dcgrid.observations ORDER BY source, series, region, ts_utc',
  );
  const reader = new BinaryCopyReader(bytes);
  const out: MergedSeries[] = [];
  let key = '';
  let current:
    | { source: string; series: string; region: string; ts: number[]; interval: number[]; values: number[] }
    | undefined;
  const flush = () => {
    if (current === undefined) return;
    out.push({
      source: current.source as SourceName,
      series: current.series as SeriesName,
      region: current.region as Region,
      ts: Float64Array.from(current.ts),
      intervalMin: Int16Array.from(current.interval),
      values: Float64Array.from(current.values),
    });
  };
  while (reader.nextRow()) {
    const source = reader.text()!;
    const series = reader.text()!;
    const region = reader.text()!;
    const rowKey = `${source}|${series}|${region}`;
    if (rowKey !== key) {
      flush();
      key = rowKey;
      current = { source, series, region, ts: [], interval: [], values: [] };
    }
    current!.ts.push(reader.timestamptz());
    current!.interval.push(reader.int2() ?? 0);
    current!.values.push(reader.float8());
  }
  flush();
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

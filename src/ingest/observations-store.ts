/** Writing merged series to dcgrid.observations and reading them back for the feature build. */
import { sql, type Kysely } from 'kysely';
import type { Region } from '../config/config.js';
import type { Database } from '../store/database.js';
import type { StoreTransaction } from '../store/store.js';
import { copyField } from '../store/copy-text.js';
import type { SeriesName, SourceName } from '../sources/types.js';
import type { MergedSeries } from './merge.js';

const CHUNK_ROWS = 50_000;

/** COPY text of every reading; `formatTs` writes the timestamp column. */
function* copyLines(series: readonly MergedSeries[], formatTs: (ms: number) => string): Generator<string> {
  let lines: string[] = [];
  for (const s of series) {
    const prefix = `${copyField(s.source)}\t${copyField(s.series)}\t${s.region}\t`;
    for (let i = 0; i < s.ts.length; i++) {
      const v = s.values[i]!;
      lines.push(`${prefix}${formatTs(s.ts[i]!)}\t${s.intervalMin[i]}\t${Number.isNaN(v) ? '\\N' : v}`);
      if (lines.length >= CHUNK_ROWS) {
        yield lines.join('\n') + '\n';
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n';
}

const isoText = (ms: number) => new Date(ms).toISOString();
/** The staging table takes epoch seconds: cheaper to print than ISO text; the database converts. */
const epochSeconds = (ms: number) => String(ms / 1000);

/**
 * Upserts observations: new rows are inserted, rows whose value changed are updated (and get a
 * new ingested_at), identical rows are left alone. Returns how many rows were inserted or changed.
 * Into an empty table (a first ingest) the rows are copied directly: nothing can conflict.
 */
export async function writeObservations(
  tx: StoreTransaction,
  series: readonly MergedSeries[],
  options: { tableEmpty: boolean },
): Promise<number> {
  if (options.tableEmpty) {
    await tx.copyIn(
      'dcgrid.observations',
      ['source', 'series', 'region', 'ts_utc', 'interval_min', 'value'],
      copyLines(series, isoText),
    );
    return series.reduce((n, s) => n + s.ts.length, 0);
  }
  await sql`
    CREATE TEMP TABLE observations_stage (
      source text, series text, region text, ts_epoch double precision, interval_min smallint, value double precision
    ) ON COMMIT DROP`.execute(tx.db);
  await tx.copyIn(
    'observations_stage',
    ['source', 'series', 'region', 'ts_epoch', 'interval_min', 'value'],
    copyLines(series, epochSeconds),
  );
  const result = await sql`
    INSERT INTO dcgrid.observations AS o (source, series, region, ts_utc, interval_min, value)
    SELECT source, series, region, to_timestamp(ts_epoch), interval_min, value FROM observations_stage
    ON CONFLICT (source, series, region, ts_utc) DO UPDATE
      SET value = EXCLUDED.value, interval_min = EXCLUDED.interval_min, ingested_at = now()
      WHERE (o.value, o.interval_min) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.interval_min)`.execute(
    tx.db,
  );
  return Number(result.numAffectedRows ?? 0n);
}

/** Every stored observation, as merged series (the feature build's input after incremental ingests). */
export async function readObservations(db: Kysely<Database>): Promise<MergedSeries[]> {
  const { rows } = await sql<{
    source: string;
    series: string;
    region: string;
    ts: number;
    interval_min: number;
    value: number | null;
  }>`
    SELECT source, series, region, (extract(epoch FROM ts_utc) * 1000)::float8 AS ts, interval_min, value
    FROM dcgrid.observations ORDER BY source, series, region, ts_utc`.execute(db);
  const out: MergedSeries[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    const a = rows[start]!;
    const b = rows[i];
    if (b !== undefined && b.source === a.source && b.series === a.series && b.region === a.region) continue;
    const n = i - start;
    const ts = new Float64Array(n);
    const intervalMin = new Int16Array(n);
    const values = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const row = rows[start + j]!;
      ts[j] = row.ts;
      intervalMin[j] = row.interval_min;
      values[j] = row.value ?? Number.NaN;
    }
    out.push({
      source: a.source as SourceName,
      series: a.series as SeriesName,
      region: a.region as Region,
      ts,
      intervalMin,
      values,
    });
    start = i;
  }
  return out;
}

export async function countObservations(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('dcgrid.observations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

import { sql, type Kysely } from 'kysely';
import type { Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import type { HourlyFrame } from '../models/types.js';
import type { Database } from './database.js';
import type { FeaturesHourlyTable } from './schema/foundation.js';

type NumericColumn = {
  [K in keyof FeaturesHourlyTable]: FeaturesHourlyTable[K] extends number | boolean | null ? K : never;
}[keyof FeaturesHourlyTable];

export interface FrameQuery {
  region: Region;
  columns: readonly string[];
  /** Inclusive start / exclusive end (UTC epoch ms); default: everything stored. */
  from?: number;
  to?: number;
}

/**
 * Reads numeric feature columns into a contiguous hourly grid (missing hours and NULLs become
 * NaN), the form every model takes. Boolean columns (flags, stress-event labels) read as 1 / 0.
 */
export async function loadHourlyFrame(db: Kysely<Database>, query: FrameQuery): Promise<HourlyFrame> {
  const { region, columns } = query;
  const known = await numericFeatureColumns(db);
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `no numeric feature column ${unknown.join(', ')} in features_hourly (known: ${[...known].sort().join(', ')})`,
    );
  }
  let q = db
    .selectFrom('dcgrid.features_hourly')
    .select(['ts_utc', ...(columns as NumericColumn[])])
    .where('region', '=', region)
    .orderBy('ts_utc');
  if (query.from !== undefined) q = q.where('ts_utc', '>=', new Date(query.from));
  if (query.to !== undefined) q = q.where('ts_utc', '<', new Date(query.to));
  const rows = (await q.execute()) as Array<Record<string, unknown> & { ts_utc: Date }>;
  if (rows.length === 0)
    return {
      ts: new Float64Array(0),
      columns: Object.fromEntries(columns.map((c) => [c, new Float64Array(0)])),
    };
  const first = rows[0]!.ts_utc.getTime();
  const last = rows[rows.length - 1]!.ts_utc.getTime();
  const length = Math.round((last - first) / HOUR_MS) + 1;
  const ts = new Float64Array(length);
  for (let i = 0; i < length; i++) ts[i] = first + i * HOUR_MS;
  const out: Record<string, Float64Array> = {};
  for (const column of columns) out[column] = new Float64Array(length).fill(Number.NaN);
  for (const row of rows) {
    const index = Math.round((row.ts_utc.getTime() - first) / HOUR_MS);
    for (const column of columns) {
      const value = row[column];
      if (typeof value === 'number') out[column]![index] = value;
      else if (typeof value === 'boolean') out[column]![index] = value ? 1 : 0;
    }
  }
  return { ts, columns: out };
}

async function numericFeatureColumns(db: Kysely<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = 'dcgrid' AND table_name = 'features_hourly'
      AND data_type IN ('double precision', 'boolean')`.execute(db);
  return new Set(rows.map((r) => r.column_name));
}

/** The hourly frame's slice of hours starting before `origin` (what a model may see at origin). */
export function frameBefore(frame: HourlyFrame, origin: number): HourlyFrame {
  let end = 0;
  while (end < frame.ts.length && frame.ts[end]! < origin) end++;
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(frame.columns)) columns[name] = values.subarray(0, end);
  return { ts: frame.ts.subarray(0, end), columns };
}

/**
 * Demo and real data never share a store: the synthetic demo data set and real files (or
 * downloads) would otherwise mix silently in one feature table, and a backtest or forecast would
 * score one against the other. A store holds the kind of its latest successful ingest; an ingest
 * of the other kind is refused with how to start clean.
 */
import type { Config } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import type { IngestMode } from './report.js';

export type DatasetKind = 'demo' | 'real';

export function datasetKind(mode: IngestMode): DatasetKind {
  return mode === 'demo' ? 'demo' : 'real';
}

/** What the store holds, from its latest successful ingest; undefined when nothing was ingested. */
export async function storedDatasetKind(store: Store): Promise<DatasetKind | undefined> {
  const latest = await store.db
    .selectFrom('dcgrid.ingest_reports')
    .select('mode')
    .where('status', '=', 'succeeded')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest === undefined ? undefined : datasetKind(latest.mode as IngestMode);
}

const KIND_TEXT: Record<DatasetKind, string> = {
  demo: 'the synthetic demo data',
  real: 'real data (raw files or downloads)',
};

/** Throws (exit code 2) when an ingest of `mode` would mix with what the store holds. */
export async function refuseMixedData(
  store: Store,
  config: Pick<Config, 'embedded' | 'home'>,
  mode: IngestMode,
): Promise<void> {
  const stored = await storedDatasetKind(store);
  const incoming = datasetKind(mode);
  if (stored === undefined || stored === incoming) return;
  const where = config.embedded ? `DCGRID_HOME ${config.home}` : `the database DATABASE_URL names`;
  const clean = config.embedded
    ? `start clean with \`rm -rf ${config.home}\`, or keep it and give another --home (DCGRID_HOME)`
    : 'use an empty database (DATABASE_URL), or drop the schema dcgrid in this one';
  throw new DcgridError(
    ErrorCodes.CONFIG_INVALID,
    `${where} holds ${KIND_TEXT[stored]}; ${KIND_TEXT[incoming]} would mix with it: ${clean}`,
  );
}

import { sql, type Kysely } from 'kysely';

/**
 * dc_load_mw becomes causal (each hour from what was published before it, docs/FEATURES.md); the
 * energy-conserving proxy, which scales each hour to its whole CSO quarter with hindsight, moves to
 * dc_load_analysis_mw. Rows stored before this migration get the analysis value on the next ingest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dcgrid.features_hourly ADD COLUMN dc_load_analysis_mw double precision`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dcgrid.features_hourly DROP COLUMN dc_load_analysis_mw`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * The API asks "has a forecast been issued since?" on every cache check (src/serve/plugins/cache.ts):
 * max(issued_at) must be an index lookup, not a scan of every forecast ever issued.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX forecasts_issued_at ON dcgrid.forecasts (issued_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX dcgrid.forecasts_issued_at`.execute(db);
}

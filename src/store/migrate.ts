import { Migrator, sql, type Kysely } from 'kysely';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Database } from './database.js';
import { migrationProvider } from './migrations/index.js';

/** Brings the schema to the latest migration; the same list runs on PGlite and PostgreSQL. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  await sql`CREATE SCHEMA IF NOT EXISTS dcgrid`.execute(db);
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: 'dcgrid' });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new DcgridError(
      ErrorCodes.DATABASE,
      `database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

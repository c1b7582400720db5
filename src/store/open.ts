import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { migrateToLatest } from './migrate.js';
import { connectPglite } from './pglite/connect.js';
import { connectPostgres } from './postgres/connect.js';
import type { Store } from './store.js';

/** The embedded database's folder. */
export function embeddedDataDir(config: Pick<Config, 'home'>): string {
  return join(config.home, 'db');
}

/**
 * Opens the store the settings name (PostgreSQL when DATABASE_URL is set, the embedded PGlite
 * database under DCGRID_HOME/db otherwise) and migrates it.
 */
export async function openStore(
  config: Pick<Config, 'DATABASE_URL' | 'home'>,
  options: { owner?: string } = {},
): Promise<Store> {
  const store =
    config.DATABASE_URL !== undefined
      ? await connectPostgres(config.DATABASE_URL)
      : await connectPglite({ dataDir: embeddedDataDir(config), owner: options.owner ?? 'dcgrid' });
  try {
    await migrateToLatest(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

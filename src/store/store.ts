import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export type StoreKind = 'postgres' | 'pglite';

/** Work inside one transaction on one session: queries through `db`, bulk loads through `copyIn`. */
export interface StoreTransaction {
  readonly db: Kysely<Database>;
  /**
   * Loads rows given in PostgreSQL's text COPY format (tab-separated, `\N` for NULL, one row per
   * line; see copy-text.ts) into `table`.
   */
  copyIn(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void>;
}

/** The feature store: PGlite embedded under DCGRID_HOME, or a PostgreSQL server (DATABASE_URL). */
export interface Store {
  readonly kind: StoreKind;
  /** Where the data live, for messages ("PGlite at ...", "PostgreSQL at host:port/db"). */
  readonly description: string;
  readonly db: Kysely<Database>;
  /** Runs `fn` in a transaction: all of it commits, or none of it does. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

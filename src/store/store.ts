import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export type StoreKind = 'postgres' | 'pglite';

/** Work inside one transaction on one session: queries through `db`, bulk loads through `copyIn`. */
export interface StoreTransaction {
  readonly db: Kysely<Database>;
  /**
   * Loads rows into `table`: chunks of PostgreSQL's text COPY format (tab-separated, `\N` for
   * NULL, one row per line; copy-text.ts), or of its binary format (copy-binary.ts).
   */
  copyIn(
    table: string,
    columns: readonly string[],
    chunks: Iterable<string> | Iterable<Uint8Array>,
    format?: 'text' | 'binary',
  ): Promise<void>;
  /** The result of `query` (a SELECT) in PostgreSQL's binary COPY format (read with BinaryCopyReader). */
  copyOut(query: string): Promise<Uint8Array>;
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

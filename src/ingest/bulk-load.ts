/**
 * Loading a whole table that is empty: its primary key is dropped, the rows copied in, and the key
 * built once at the end (in the same transaction). Building the index from sorted data is about
 * twice as fast as maintaining it row by row (bench/ingest.ts); if the rows hold a duplicate key,
 * re-adding the key fails and the transaction rolls back with nothing written.
 */
import { sql } from 'kysely';
import type { StoreTransaction } from '../store/store.js';

export interface KeyedTable {
  /** Schema-qualified, e.g. dcgrid.observations. */
  table: string;
  /** The primary key constraint's name, kept the same as the migration created it. */
  constraint: string;
  keyColumns: readonly string[];
}

/**
 * Takes the lock every ingest takes first, so that two ingests run one after the other and an
 * empty table stays empty until this transaction loads it. Readers are not blocked.
 */
export async function lockForIngest(tx: StoreTransaction, tables: readonly string[]): Promise<void> {
  await sql`LOCK TABLE ${sql.join(tables.map((t) => sql.table(t)))} IN SHARE ROW EXCLUSIVE MODE`.execute(
    tx.db,
  );
}

/**
 * `whileKeyBuilds` runs once the key's rebuild has been sent: the server builds the index while
 * this process does other work (on PostgreSQL; PGlite runs both in this thread, one after the other).
 */
export async function copyIntoEmptyTable(
  tx: StoreTransaction,
  target: KeyedTable,
  columns: readonly string[],
  chunks: Iterable<Uint8Array>,
  whileKeyBuilds?: () => void,
): Promise<void> {
  await sql`ALTER TABLE ${sql.table(target.table)} DROP CONSTRAINT ${sql.ref(target.constraint)}`.execute(
    tx.db,
  );
  await tx.copyIn(target.table, columns, chunks, 'binary');
  const keyBuilt =
    sql`ALTER TABLE ${sql.table(target.table)} ADD CONSTRAINT ${sql.ref(target.constraint)} PRIMARY KEY (${sql.join(
      target.keyColumns.map((c) => sql.ref(c)),
    )})`.execute(tx.db);
  if (whileKeyBuilds) {
    // Once the queued promise callbacks have run, the statement is on its way to the server.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      whileKeyBuilds();
    } catch (error) {
      await keyBuilt.catch(() => undefined);
      throw error;
    }
  }
  await keyBuilt;
}

import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { acquireDatabaseLock } from './lock.js';
import { Mutex, sessionDialect, type RawSession } from '../session-dialect.js';
import type { Store, StoreTransaction } from '../store.js';

const INT8_OID = 20;

export interface PgliteOptions {
  /** Data directory; undefined = in memory (tests). */
  dataDir?: string;
  /** A data-directory tarball (from dumpDataDir) to start from, instead of running initdb. */
  loadDataDir?: Blob;
  /** Who holds the lock, for the message another process sees. */
  owner?: string;
}

/**
 * Opens the embedded database. PGlite is one session in this process: every query takes turns,
 * and a lock file keeps a second process from opening the same data directory.
 */
export interface PgliteStore extends Store {
  /** The data directory as an uncompressed tarball (PGlite's dumpDataDir). */
  dumpDataDir(): Promise<Blob>;
}

export async function connectPglite(options: PgliteOptions = {}): Promise<PgliteStore> {
  const { dataDir, loadDataDir, owner = 'dcgrid' } = options;
  let releaseLock: (() => Promise<void>) | undefined;
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    releaseLock = await acquireDatabaseLock(dataDir, owner);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(loadDataDir !== undefined ? { loadDataDir } : {}),
      parsers: { [INT8_OID]: Number },
    });
  } catch (error) {
    await releaseLock?.();
    throw error;
  }
  const session: RawSession = {
    query: async (sql, params) => {
      const result = await pglite.query(sql, params as unknown[]);
      return { rows: result.rows, affectedRows: result.affectedRows };
    },
  };
  const mutex = new Mutex();
  const db = new Kysely<Database>({ dialect: sessionDialect(session, mutex) });
  const description = dataDir !== undefined ? `PGlite at ${dataDir}` : 'PGlite in memory';

  return {
    kind: 'pglite',
    description,
    db,
    async transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      const release = await mutex.lock();
      // The mutex is held for the whole transaction; the transaction's Kysely must not take it again.
      const txDb = new Kysely<Database>({ dialect: sessionDialect(session) });
      try {
        await pglite.query('BEGIN');
        const result = await fn({
          db: txDb,
          copyIn: async (table, columns, chunks, format = 'text') => {
            const blob = new Blob([...(chunks as Iterable<string | Uint8Array>)]);
            await pglite.query(
              `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT ${format})`,
              [],
              {
                blob,
              },
            );
          },
          copyOut: async (query) => {
            const result = await pglite.query(`COPY (${query}) TO '/dev/blob' WITH (FORMAT binary)`);
            if (result.blob === undefined) throw new Error('PGlite returned no COPY data');
            return new Uint8Array(await result.blob.arrayBuffer());
          },
        });
        await pglite.query('COMMIT');
        return result;
      } catch (error) {
        await pglite.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        release();
      }
    },
    async dumpDataDir() {
      const release = await mutex.lock();
      try {
        return await pglite.dumpDataDir('none');
      } finally {
        release();
      }
    },
    async close() {
      await db.destroy();
      const release = await mutex.lock();
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        release();
        await releaseLock?.();
      }
    },
  };
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { connectionLostError, isConnectionLost } from '../connection-loss.js';
import type { Database } from '../database.js';
import { sessionDialect, type RawSession } from '../session-dialect.js';
import type { Store, StoreTransaction } from '../store.js';

const INT8_OID = 20;

/** bigint counts and identities as JS numbers, as PGlite returns them: ours stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function clientSession(client: pg.PoolClient): RawSession {
  return {
    query: async (sql, params) => {
      const result = await client.query({ text: sql, values: params as unknown[] });
      return { rows: result.rows, affectedRows: result.rowCount ?? undefined };
    },
  };
}

export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** Opens a pool on DATABASE_URL and checks that the server answers. */
export async function connectPostgres(url: string): Promise<Store> {
  // A server that does not answer fails the connection in seconds instead of hanging a command.
  const pool = new pg.Pool({ connectionString: url, max: 4, types, connectionTimeoutMillis: 15_000 });
  const description = describeUrl(url);
  // An idle connection the server ends (a restart, DROP DATABASE ... WITH (FORCE) in tests) is
  // reported here, not as an unhandled 'error' event that ends the process; the pool replaces it.
  pool.on('error', (error) => {
    process.emitWarning(`${description}: idle connection lost: ${error.message}`);
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new DcgridError(
      ErrorCodes.DATABASE,
      `cannot connect to ${description}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  return {
    kind: 'postgres',
    description,
    db,
    async transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw isConnectionLost(error) ? connectionLostError(description, error, 'a transaction') : error;
      }
      // A connection that dies between two statements of the transaction emits 'error' on the
      // client: it is kept here (the next statement fails with it) and the client is discarded.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      const txDb = new Kysely<Database>({ dialect: sessionDialect(clientSession(client)) });
      let committing = false;
      try {
        await client.query('BEGIN');
        const result = await fn({
          db: txDb,
          copyIn: async (table, columns, chunks, format = 'text') => {
            const stream = client.query(
              copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT ${format})`),
            );
            await pipeline(Readable.from(chunks), stream);
          },
          copyOut: async (query) => {
            const parts: Buffer[] = [];
            const stream = client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT binary)`));
            for await (const part of stream) parts.push(part as Buffer);
            return Buffer.concat(parts);
          },
        });
        committing = true;
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // A server restart in the middle (EPIPE while copying, 57P01, "Connection terminated"):
        // the server rolls the transaction back itself; this says so in one line (exit 4).
        const cause = lost ?? error;
        if (isConnectionLost(cause) || isConnectionLost(error)) {
          lost ??= error instanceof Error ? error : new Error(String(error));
          const doing = committing
            ? 'COMMIT (whether it took effect is unknown until the server is back)'
            : 'a transaction, which was rolled back';
          throw connectionLostError(description, cause, doing);
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(lost);
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

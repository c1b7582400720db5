/**
 * Read-only commands keep working while `dcgrid serve` holds the embedded database: they read the
 * same answers from its API (the address the server wrote into the database's lock) and say so.
 * Commands that write (ingest, train, pipeline, promote) still stop with the lock's message, which
 * names the API calls to use: a write through the API needs API_TOKEN and is the operator's choice.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Store } from '../store/store.js';
import { DatabaseHeldByServerError } from '../store/pglite/lock.js';
import type { CommandContext } from './context.js';

/** GETs a path of the server's API as JSON; a problem answer becomes an error carrying its detail. */
export async function getFromApi(serverUrl: string, path: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(new URL(path, serverUrl), { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new DcgridError(
      ErrorCodes.DATABASE_LOCKED,
      `the API server at ${serverUrl} holds the embedded database but did not answer ${path}: ${(error as Error).message}`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    { detail?: string; code?: string } | undefined;
  if (response.ok) return body;
  const detail = body?.detail ?? `HTTP ${response.status}`;
  throw new DcgridError(
    response.status === 404 ? ErrorCodes.NOT_FOUND : ErrorCodes.DATABASE,
    `${detail} (from the API at ${serverUrl})`,
  );
}

/**
 * Runs `local` on the store, or `remote` against the API when the server holds the embedded
 * database and has said where it listens.
 */
export async function fromStoreOrApi<T>(
  ctx: CommandContext,
  local: (store: Store) => Promise<T>,
  remote: (serverUrl: string) => Promise<T>,
): Promise<T> {
  let store: Store;
  try {
    store = await ctx.store();
  } catch (error) {
    if (!(error instanceof DatabaseHeldByServerError) || error.serverUrl === undefined) throw error;
    ctx.out.info(`the API server at ${error.serverUrl} holds the embedded database: reading through its API`);
    return remote(error.serverUrl);
  }
  return local(store);
}

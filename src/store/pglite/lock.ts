import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';

interface LockInfo {
  pid: number;
  owner: string;
  since: string;
  /** The API's address, once `dcgrid serve` listens: other commands can read through it. */
  url?: string;
}

/** The embedded database is held by `dcgrid serve`; `serverUrl` is its address when it listens. */
export class DatabaseHeldByServerError extends DcgridError {
  constructor(
    message: string,
    readonly serverUrl: string | undefined,
  ) {
    super(ErrorCodes.DATABASE_LOCKED, message);
    this.name = 'DatabaseHeldByServerError';
  }
}

function lockPath(dataDir: string): string {
  return join(dataDir, '..', `${dataDir.split('/').pop() ?? 'db'}.lock`);
}

/** Adds the server's address to a lock this process holds (no-op when it holds none). */
export async function recordServerUrl(dataDir: string, url: string): Promise<void> {
  const path = lockPath(dataDir);
  const current = await readLock(path);
  if (current?.pid !== process.pid) return;
  await writeFile(path, JSON.stringify({ ...current, url }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded database's lock file, or explains who holds it. A lock left by a process
 * that no longer exists (killed with -9) is taken over.
 */
export async function acquireDatabaseLock(dataDir: string, owner: string): Promise<() => Promise<void>> {
  const path = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, owner, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return async () => {
        const current = await readLock(path);
        if (current?.pid === process.pid) await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(path);
      if (holder && isAlive(holder.pid)) {
        if (holder.owner.startsWith('dcgrid serve')) {
          throw new DatabaseHeldByServerError(
            `the API server (${holder.owner}${holder.url ? ` at ${holder.url}` : ''}, process ${holder.pid}, since ${holder.since}) holds the embedded database at ${dataDir}. ` +
              'Use the API instead (GET /api/forecast, /api/models, /api/data/report; POST /api/pipeline/runs, /api/models/promote, ' +
              '/api/models/rollback with API_TOKEN; docs/API.md), stop the server, or set DATABASE_URL to a PostgreSQL server that many processes can share.',
            holder.url,
          );
        }
        throw new DcgridError(
          ErrorCodes.DATABASE_LOCKED,
          `the embedded database at ${dataDir} is in use by process ${holder.pid} (${holder.owner}, since ${holder.since}). ` +
            'PGlite allows one process at a time: stop that process, or set DATABASE_URL to a PostgreSQL server that many processes can share.',
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new DcgridError(ErrorCodes.DATABASE_LOCKED, `could not take the database lock ${path}`);
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

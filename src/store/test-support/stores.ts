/**
 * Fresh, isolated stores for tests on both backends: a new database on the PostgreSQL server
 * (TEST_DATABASE_URL, default the machine's 127.0.0.1:5432/test), or a new in-memory PGlite
 * started from a migrated template (initdb takes seconds; loading a template about one).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrationProvider } from '../migrations/index.js';
import { migrateToLatest } from '../migrate.js';
import { connectPglite } from '../pglite/connect.js';
import { connectPostgres } from '../postgres/connect.js';
import type { Store, StoreKind } from '../store.js';

export const TEST_BACKENDS: readonly StoreKind[] = ['postgres', 'pglite'];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** A URL other connections (or child processes) can use; undefined for in-memory PGlite. */
  readonly url: string | undefined;
  dispose(): Promise<void>;
}

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  return kind === 'postgres' ? createPostgresTestStore() : createPgliteTestStore();
}

/** A short-lived client on the test server; a connection the server ends fails its query, not the process. */
function adminClient(): pg.Client {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  client.on('error', () => undefined);
  return client;
}

async function createPostgresTestStore(): Promise<TestStore> {
  const name = `dcgrid_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = adminClient();
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const store = await connectPostgres(url.toString());
  await migrateToLatest(store.db);
  return {
    ...store,
    url: url.toString(),
    async dispose() {
      await store.close();
      const cleanup = adminClient();
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

async function templatePath(): Promise<string> {
  const names = Object.keys(await migrationProvider.getMigrations()).join(',');
  const key = Buffer.from(names).toString('base64url').slice(-24);
  return join(tmpdir(), `dcgrid-pglite-template-${key}.tar`);
}

async function createPgliteTestStore(): Promise<TestStore> {
  const path = await templatePath();
  if (!existsSync(path)) {
    const template = await connectPglite();
    await migrateToLatest(template.db);
    const dump = await template.dumpDataDir();
    await template.close();
    // Written under a temporary name so that a parallel test file never reads half of it.
    const partial = `${path}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
  }
  const store = await connectPglite({ loadDataDir: new Blob([await readFile(path)]) });
  await migrateToLatest(store.db);
  return { ...store, url: undefined, dispose: () => store.close() };
}

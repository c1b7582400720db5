/**
 * A PostgreSQL server of the test's own (initdb into a temporary folder, started on a free port)
 * that a fault drill may stop and restart without touching the shared server on 5432. initdb and
 * postgres refuse to run as root: as root, they run as the `postgres` user (runuser). Stopped and
 * removed by `dispose()`, and at process exit as a last resort, so a failing test leaves no server
 * behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian and the CI image put the server binaries (PG_BIN overrides). */
export function postgresBinDir(): string | undefined {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const version of readdirSync(root).sort().reverse()) candidates.push(join(root, version, 'bin'));
  }
  return candidates.find((dir) => dir !== undefined && existsSync(join(dir, 'initdb')));
}

export interface PrivateCluster {
  readonly port: number;
  /** postgres://root@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** A new database on this server; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (every session is ended, as in a real restart), then start again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = userInfo().uid === 0;

/** Runs a server binary, as the postgres user when this process is root. */
function runPg(bin: string, args: string[]): void {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('no PostgreSQL server binaries (initdb) found; set PG_BIN');
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-pgcluster-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(root, uid, gid);
  }
  await chmod(root, 0o700);
  const data = join(root, 'data');
  const port = await freePort();
  const ctl = join(bin, 'pg_ctl');
  runPg(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'root', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    runPg(ctl, ['-D', data, '-o', options, '-l', join(root, 'server.log'), '-w', '-t', '120', 'start']);
  };
  const stop = async () => {
    runPg(ctl, ['-D', data, '-m', 'fast', '-w', '-t', '120', 'stop']);
  };
  // Last resort when a test run dies before dispose(): an immediate stop, synchronously.
  const atExit = () => {
    const args = ['-D', data, '-m', 'immediate', 'stop'];
    spawnSync(
      asRoot ? 'runuser' : join(bin, 'pg_ctl'),
      asRoot ? ['-u', 'postgres', '--', ctl, ...args] : args,
    );
  };
  process.once('exit', atExit);
  await start();
  const url = `postgres://root@127.0.0.1:${port}/postgres`;
  let disposed = false;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://root@127.0.0.1:${port}/${name}`;
    },
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    start,
    async dispose() {
      if (disposed) return;
      disposed = true;
      process.off('exit', atExit);
      try {
        runPg(ctl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

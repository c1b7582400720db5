/**
 * Fault drills, lost services: a private PostgreSQL server (initdb in a temporary folder, its own
 * port; src/store/test-support/private-cluster.ts) restarted in the middle of an ingest's bulk
 * COPY, of a pipeline run and of a `schedule` run; and an MLflow server (the stand-in) stopped in
 * the middle of `train`; the embedded store's disk filling up during an ingest (a small tmpfs).
 *
 * The moment is made certain, not timed: a test-only trigger makes the command's session wait for
 * an advisory lock the test holds (inside the COPY, or while registering a model), the test waits
 * until the server shows that session waiting, and restarts the server then.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { migrateToLatest } from '../store/migrate.js';
import { connectPostgres } from '../store/postgres/connect.js';
import {
  postgresBinDir,
  startPrivateCluster,
  type PrivateCluster,
} from '../store/test-support/private-cluster.js';
import { MlflowStandIn } from '../tracking/test-support/mlflow-server.js';
import { champion, dataState, runningRuns, withStore, type DrillTarget } from './test-support/drills.js';
import { runCliProcess, spawnCli, type CliExit } from './test-support/spawn-cli.js';
import { ExitCode } from './exit-codes.js';

const SETTINGS = {
  FORECAST_HORIZON_H: '24',
  CONTEXT_LENGTH_H: '168',
  VALIDATION_HOURS: '168',
  TRAIN_DAYS: '42',
  BACKTEST_WEEKS: '1',
  SEED: '7',
};
const GATE_KEY = 4242;

function ok(exit: CliExit): CliExit {
  if (exit.code !== 0 || /\n\s+at /.test(exit.stderr))
    throw new Error(`exit ${exit.code ?? exit.signal}:\n${exit.stderr}`);
  return exit;
}

/** The one error line a failed command prints (and that nothing else, no stack trace, follows). */
function errorLine(exit: CliExit): string {
  expect(exit.stderr).not.toMatch(/\n\s+at /);
  const lines = exit.stderr.split('\n').filter((l) => l.startsWith('error: '));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

function client(url: string): pg.Client {
  const c = new pg.Client({ connectionString: url });
  // The server restarts under this client on purpose.
  c.on('error', () => undefined);
  return c;
}

/**
 * Makes every INSERT (and COPY row) into `table` wait for the advisory lock GATE_KEY, and takes
 * that lock in a session of the test: a command writing to `table` stops there, mid-transaction.
 */
async function closeGate(url: string, table: string): Promise<pg.Client> {
  const admin = client(url);
  await admin.connect();
  await admin.query(`
    CREATE OR REPLACE FUNCTION public.drill_gate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${GATE_KEY}); RETURN NEW; END $$`);
  await admin.query(`DROP TRIGGER IF EXISTS drill_gate ON ${table}`);
  await admin.query(
    `CREATE TRIGGER drill_gate BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION public.drill_gate()`,
  );
  await admin.query('BEGIN');
  await admin.query(`SELECT pg_advisory_xact_lock(${GATE_KEY})`);
  return admin;
}

async function openGate(url: string, table: string): Promise<void> {
  const admin = client(url);
  await admin.connect();
  try {
    await admin.query(`DROP TRIGGER IF EXISTS drill_gate ON ${table}`);
  } finally {
    await admin.end();
  }
}

/** Resolves once a session runs `pattern` and waits for the gate (polled; no deadline of its own). */
async function waitAtGate(url: string, pattern: string, ended: () => boolean): Promise<void> {
  const watcher = client(url);
  await watcher.connect();
  try {
    for (;;) {
      if (ended()) throw new Error('the command ended before it reached the gate');
      const { rows } = await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND query ILIKE $1`,
        [pattern],
      );
      if (rows[0]!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await watcher.end().catch(() => undefined);
  }
}

const hasServer = postgresBinDir() !== undefined;

describe.runIf(hasServer)('a PostgreSQL server restarted mid-run', () => {
  let cluster: PrivateCluster;
  let root = '';
  let raw = '';
  let drill: DrillTarget & { kind: 'postgres' };
  let env: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dcgrid-drills-restart-'));
    raw = join(root, 'raw');
    await writeDemoRawDir(raw, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 9, 15) });
    cluster = await startPrivateCluster();
    const url = await cluster.createDatabase('drill');
    drill = { kind: 'postgres', url, home: join(root, 'home') };
    env = { ...SETTINGS, DATABASE_URL: url, DCGRID_HOME: drill.home };
    const store = await connectPostgres(url);
    try {
      await migrateToLatest(store.db);
    } finally {
      await store.close();
    }
  }, 300_000);

  afterAll(async () => {
    await cluster?.dispose();
    if (root) await rm(root, { recursive: true, force: true });
  }, 120_000);

  it('during the bulk COPY of an ingest: exit 4, one line, failed report stored, nothing else; a re-run stores what an uninterrupted run does', async () => {
    const gate = await closeGate(drill.url, 'dcgrid.observations');
    const cli = spawnCli(['--no-progress', '--raw-dir', raw, 'ingest'], env);
    await waitAtGate(drill.url, 'COPY%', () => cli.child.exitCode !== null);
    await cluster.restart();
    await gate.end().catch(() => undefined);
    const exit = await cli.exited;
    expect(exit.code).toBe(ExitCode.DATABASE);
    const line = errorLine(exit);
    expect(line).toContain(`lost the connection to PostgreSQL at 127.0.0.1:${cluster.port}/drill`);
    expect(line).toMatch(/failed ingest report \d+ recorded/);
    await openGate(drill.url, 'dcgrid.observations');
    await withStore(drill, async (store) => {
      const state = await dataState(store);
      expect([state.observations, state.features, state.cso]).toEqual([0, 0, 0]);
      const reports = await store.db
        .selectFrom('dcgrid.ingest_reports')
        .select(['status', 'error'])
        .execute();
      expect(reports.map((r) => r.status)).toEqual(['failed']);
      expect(reports[0]!.error).toContain('lost the connection');
    });

    ok(await runCliProcess(['--no-progress', '--raw-dir', raw, 'ingest'], env));
    const referenceUrl = await cluster.createDatabase('reference');
    const referenceEnv = { ...env, DATABASE_URL: referenceUrl, DCGRID_HOME: join(root, 'reference') };
    ok(await runCliProcess(['--no-progress', '--raw-dir', raw, 'ingest'], referenceEnv));
    const reference = await withStore({ kind: 'postgres', url: referenceUrl, home: '' }, dataState);
    expect(await withStore(drill, dataState)).toEqual(reference);
  }, 300_000);

  it('during a pipeline run: exit 4, the run is FAILED (not RUNNING), no champion; a re-run finishes', async () => {
    const args = [
      '--no-progress',
      'pipeline',
      '--no-ingest',
      '--targets',
      'demand_mw',
      '--models',
      'snaive168',
    ];
    const gate = await closeGate(drill.url, 'dcgrid.models');
    const cli = spawnCli(args, env);
    await waitAtGate(drill.url, '%insert into "dcgrid"."models"%', () => cli.child.exitCode !== null);
    await cluster.restart();
    await gate.end().catch(() => undefined);
    const exit = await cli.exited;
    expect(exit.code).toBe(ExitCode.DATABASE);
    expect(errorLine(exit)).toContain(`lost the connection to PostgreSQL at 127.0.0.1:${cluster.port}/drill`);
    await openGate(drill.url, 'dcgrid.models');
    await withStore(drill, async (store) => {
      expect(await runningRuns(store)).toEqual([]);
      expect(await champion(store)).toBeNull();
    });
    ok(await runCliProcess(args, env));
    await withStore(drill, async (store) => {
      expect(await runningRuns(store)).toEqual([]);
      expect(await champion(store)).toBe('snaive168 v1');
    });
  }, 300_000);

  it('during a scheduled run: the service logs the failure, stays up, marks the run FAILED and stops cleanly', async () => {
    const gate = await closeGate(drill.url, 'dcgrid.models');
    const cli = spawnCli(
      [
        'schedule',
        '--cron',
        '0 0 1 1 *',
        '--run-now',
        '--no-ingest',
        '--targets',
        'demand_mw',
        '--models',
        'snaive24',
      ],
      env,
    );
    await waitAtGate(drill.url, '%insert into "dcgrid"."models"%', () => cli.child.exitCode !== null);
    await cluster.restart();
    await gate.end().catch(() => undefined);
    await cli.waitFor(({ stderr }) => stderr.includes('scheduled pipeline run failed'));
    expect(cli.child.exitCode).toBeNull();
    await openGate(drill.url, 'dcgrid.models');
    await withStore(drill, async (store) => {
      expect(await runningRuns(store)).toEqual([]);
      expect(await champion(store)).toBe('snaive168 v1');
    });
    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(ExitCode.OK);
    expect(exit.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);

  it('with MLflow stopped mid-train: exit 7 in one line, the run does not stay RUNNING, the champion is unchanged', async () => {
    const server = await MlflowStandIn.start();
    const before = await withStore(drill, champion);
    const cli = spawnCli(['--no-progress', 'train', '--model', 'snaive24', '--target', 'demand_mw'], {
      ...env,
      MLFLOW_TRACKING_URI: server.url,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (server.requests.some((r) => r.path.endsWith('/runs/create'))) {
            clearInterval(check);
            resolve();
          } else if (cli.child.exitCode !== null) {
            clearInterval(check);
            reject(new Error(`train ended before it created its MLflow run:\n${cli.stderr()}`));
          }
        }, 50);
      });
    } finally {
      await server.close();
    }
    const exit = await cli.exited;
    expect(exit.code).toBe(ExitCode.MLOPS);
    expect(errorLine(exit)).toContain(server.url.replace(/\/$/, ''));
    await withStore(drill, async (store) => {
      expect(await runningRuns(store)).toEqual([]);
      expect(await champion(store)).toBe(before);
    });
  }, 300_000);
});

/**
 * A small tmpfs of its own (`mount -t tmpfs`, root only), else false: the drill then limits the
 * size of any file the command writes instead (RLIMIT_FSIZE), which fails the same writes with
 * EFBIG rather than ENOSPC. DRILL_DISK=ulimit picks the second where both work.
 */
function mountTmpfs(dir: string, size: string): boolean {
  if (process.env.DRILL_DISK === 'ulimit') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'dcgrid-drill', dir], { stdio: 'pipe' });
    return true;
  } catch (error) {
    console.info(
      `disk-full drill: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); ` +
        'limiting the file size (ulimit -f) instead',
    );
    return false;
  }
}

describe('a full disk under the embedded store', () => {
  let dir = '';
  let mounted = false;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dcgrid-drills-disk-'));
    mounted = mountTmpfs(dir, '40m');
  });
  afterAll(async () => {
    if (mounted) execFileSync('umount', [dir]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ingest exits 4 with one line naming the database folder; with room again a re-run stores everything', async () => {
    const raw = join(dir, '..', `${basename(dir)}-raw`);
    await writeDemoRawDir(raw, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 9, 15) });
    try {
      const home = join(dir, 'home');
      const args = ['--no-progress', '--raw-dir', raw, 'ingest'];
      const exit = await runCliProcess(args, { DCGRID_HOME: home }, mounted ? {} : { fileSizeLimitKb: 8192 });
      console.info(`disk-full drill (${mounted ? 'tmpfs 40 MB' : 'ulimit -f 8192'}): ${exit.stderr.trim()}`);
      expect(exit.code).toBe(ExitCode.DATABASE);
      const line = errorLine(exit);
      const reason = mounted ? 'no space left on the device' : 'file too large';
      expect(line).toContain(`cannot write to ${join(home, 'db')}: ${reason}`);
      expect(line).not.toContain('[object Object]');
      if (mounted) execFileSync('mount', ['-o', 'remount,size=400m', dir]);
      ok(await runCliProcess(args, { DCGRID_HOME: home }));
      const state = await withStore({ kind: 'pglite', home }, dataState);
      expect(state.observations).toBeGreaterThan(0);
      const reports = await withStore({ kind: 'pglite', home }, (store) =>
        store.db.selectFrom('dcgrid.ingest_reports').select(['status', 'rows_written']).execute(),
      );
      // The failed ingest committed nothing: the re-run wrote every reading.
      expect(reports.at(-1)).toMatchObject({ status: 'succeeded' });
      expect(reports.at(-1)!.rows_written).toBeGreaterThanOrEqual(state.observations);
    } finally {
      await rm(raw, { recursive: true, force: true });
    }
  }, 300_000);
});

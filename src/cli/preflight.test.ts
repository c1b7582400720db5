/**
 * What a newcomer meets first: wrong settings and folders fail in one line with exit code 2 before
 * anything is created, `--resume` with nothing to resume says so, demo and real data never mix,
 * and the help's own examples are accepted.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHyperParams } from '../models/tft/config.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { ExitCode } from './exit-codes.js';
import { modelParamsOption } from './options.js';
import { buildProgram } from './program.js';
import { runCli } from './test-support/run-cli.js';

describe('settings and folders are checked first', () => {
  let root = '';
  const saved = { ...process.env };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dcgrid-preflight-'));
    delete process.env.DATABASE_URL;
    delete process.env.DCGRID_RAW_DIR;
    delete process.env.ARTIFACT_URI;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('refuses a home under /proc in one line, exit 2', async () => {
    const result = await runCli('--home', '/proc/nope', 'models', 'list');
    expect(result.exitCode).toBe(ExitCode.USAGE);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('DCGRID_HOME=/proc/nope');
    expect(existsSync('/proc/nope')).toBe(false);
  });

  it('refuses a home that is a file, naming it', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const result = await runCli('--json', '--home', file, 'data', 'report');
    expect(result.exitCode).toBe(ExitCode.USAGE);
    const body = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'E_CONFIG_INVALID' });
    expect(body.error.message).toContain(`DCGRID_HOME=${file}: this is a file`);
  });

  it('reports a missing --raw-dir before creating the home or a database', async () => {
    const home = join(root, 'home-missing-raw');
    const result = await runCli('--home', home, '--raw-dir', join(root, 'nope'), 'ingest');
    expect(result.exitCode).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain(`DCGRID_RAW_DIR (--raw-dir)=${join(root, 'nope')}: no such folder`);
    expect(existsSync(home)).toBe(false);
    const pipeline = await runCli('--home', home, '--raw-dir', join(root, 'nope'), 'pipeline');
    expect(pipeline.exitCode).toBe(ExitCode.USAGE);
    expect(existsSync(home)).toBe(false);
  });

  it('accepts the --params example that `pipeline --help` prints', () => {
    const pipeline = buildProgram().commands.find((c) => c.name() === 'pipeline')!;
    const help = pipeline.options.find((o) => o.long === '--params')!.description;
    const example = /'(\{.*\})'/.exec(help)![1]!;
    const params = modelParamsOption(example)!;
    expect(parseHyperParams(params.tft).maxEpochs).toBe(5);
  });

  it('names --model-version, not --version, for a model version of forecast', () => {
    const forecast = buildProgram().commands.find((c) => c.name() === 'forecast')!;
    const longs = forecast.options.map((o) => o.long);
    expect(longs).toContain('--model-version');
    expect(longs).not.toContain('--version');
  });
});

describe('demo and real data, and --resume', () => {
  let store: TestStore;
  let root = '';
  const saved = { ...process.env };
  beforeAll(async () => {
    store = await createTestStore('postgres');
    root = await mkdtemp(join(tmpdir(), 'dcgrid-preflight-db-'));
    Object.assign(process.env, { DATABASE_URL: store.url!, DCGRID_HOME: join(root, 'home') });
    delete process.env.DCGRID_RAW_DIR;
  });
  afterAll(async () => {
    process.env = saved;
    await store?.dispose();
  });

  it('says there is nothing to resume and exits non-zero instead of starting a run', async () => {
    const result = await runCli('pipeline', '--resume', '--no-ingest', '--targets', 'demand_mw');
    expect(result.exitCode).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain('nothing to resume');
    const runs = await store.db.selectFrom('dcgrid.runs').select('run_id').execute();
    expect(runs).toEqual([]);
  });

  it('refuses real files in a store that holds the demo data, and says how to start clean', async () => {
    await store.db
      .insertInto('dcgrid.ingest_reports')
      .values({
        started_at: new Date(),
        finished_at: new Date(),
        status: 'succeeded',
        mode: 'demo',
        raw_dir: null,
        region: 'ALL',
        rows_written: 1,
        report: '{}',
        error: null,
      })
      .execute();
    const raw = join(root, 'raw');
    await mkdir(raw);
    const result = await runCli('--raw-dir', raw, 'ingest');
    expect(result.exitCode).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain('holds the synthetic demo data');
    expect(result.stderr).toContain('use an empty database');
    const reports = await store.db.selectFrom('dcgrid.ingest_reports').select('mode').execute();
    expect(reports.map((r) => r.mode)).toEqual(['demo']);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoRawDir } from '../../sources/demo/generate.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { ExitCode } from '../exit-codes.js';
import { runCli } from '../test-support/run-cli.js';

describe('dcgrid ingest and data report', () => {
  let store: TestStore;
  let raw = '';
  const saved = { ...process.env };
  beforeAll(async () => {
    store = await createTestStore('postgres');
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-cli-ingest-'));
    raw = join(root, 'raw');
    await writeDemoRawDir(raw, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 8, 15) });
    Object.assign(process.env, { DATABASE_URL: store.url!, DCGRID_HOME: join(root, 'home') });
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await store?.dispose();
  });

  it('ingests a raw folder and prints the stored report as JSON', async () => {
    const ingest = await runCli('--json', '--raw-dir', raw, 'ingest');
    expect(ingest.exitCode).toBe(ExitCode.OK);
    const result = JSON.parse(ingest.stdout) as {
      reportId: number;
      report: { rowsWritten: { observations: number } };
    };
    expect(result.report.rowsWritten.observations).toBeGreaterThan(1000);
    const report = await runCli('--json', 'data', 'report');
    expect(JSON.parse(report.stdout)).toMatchObject({ id: result.reportId, status: 'succeeded' });
    const human = await runCli('data', 'report', '--id', String(result.reportId));
    expect(human.stdout).toContain('series coverage');
    expect(human.stdout).toContain('source disagreements');
  });

  it('exits 3 with a JSON error naming the folder when there is nothing to read', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dcgrid-cli-empty-'));
    const result = await runCli('--json', '--raw-dir', empty, 'ingest');
    expect(result.exitCode).toBe(ExitCode.INPUT);
    const body = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('E_INPUT_EMPTY');
    expect(body.error.message).toContain(empty);
  });

  it('exits 2 on an invalid setting', async () => {
    const result = await runCli('--region', 'FR', 'data', 'report');
    expect(result.exitCode).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain('REGION');
  });
});

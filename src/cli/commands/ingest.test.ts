import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoRawDir } from '../../sources/demo/generate.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { ExitCode } from '../exit-codes.js';
import { runCli } from '../test-support/run-cli.js';

describe('dcgrid ingest, data report, train and forecast', () => {
  let store: TestStore;
  let raw = '';
  const saved = { ...process.env };
  beforeAll(async () => {
    store = await createTestStore('postgres');
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-cli-ingest-'));
    raw = join(root, 'raw');
    await writeDemoRawDir(raw, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 8, 22) });
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

  it('trains, registers and forecasts through the command line', async () => {
    Object.assign(process.env, {
      FORECAST_HORIZON_H: '24',
      BACKTEST_WEEKS: '1',
      VALIDATION_HOURS: '0',
      TRAIN_DAYS: '14',
      ARTIFACT_URI: `file://${process.env.DCGRID_HOME}/artifacts`,
    });
    const train = await runCli('--json', 'train', '--model', 'snaive168', '--target', 'demand_mw');
    expect(train.exitCode).toBe(ExitCode.OK);
    expect(JSON.parse(train.stdout)).toMatchObject({ model: 'snaive168', version: 1, alias: 'champion' });
    const forecast = await runCli('--json', 'forecast', '--target', 'demand_mw');
    expect(forecast.exitCode).toBe(ExitCode.OK);
    const issued = JSON.parse(forecast.stdout) as {
      origin: string;
      hours: Array<{ p10: number; p50: number; p90: number }>;
    };
    expect(issued.origin).toBe('2024-09-22T00:00:00.000Z');
    expect(issued.hours).toHaveLength(24);
    const unknown = await runCli('train', '--model', 'arima', '--target', 'demand_mw');
    expect(unknown.exitCode).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toContain('known models: snaive24');
    const unknownForecast = await runCli('forecast', '--model', 'arima', '--target', 'demand_mw');
    expect(unknownForecast.exitCode).toBe(ExitCode.USAGE);

    // --model picks that model's newest version; --model-version a given one.
    const again = await runCli('--json', 'train', '--model', 'snaive168', '--target', 'demand_mw');
    expect(JSON.parse(again.stdout)).toMatchObject({ model: 'snaive168', version: 2 });
    const newest = await runCli('--json', 'forecast', '--target', 'demand_mw', '--model', 'snaive168');
    expect(JSON.parse(newest.stdout)).toMatchObject({ model: 'snaive168', version: 2 });
    const first = await runCli(
      '--json',
      'forecast',
      '--target',
      'demand_mw',
      '--model',
      'snaive168',
      '--model-version',
      '1',
    );
    expect(JSON.parse(first.stdout)).toMatchObject({ model: 'snaive168', version: 1 });
    const human = await runCli('forecast', '--target', 'demand_mw');
    expect(human.exitCode).toBe(ExitCode.OK);
    // A day-ahead horizon fits in the table: every hour is printed, so no "showing N of M".
    expect(human.stdout).not.toContain('showing');
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

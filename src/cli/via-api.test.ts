/**
 * While `dcgrid serve` holds the embedded database, the read-only commands answer through its API
 * (the same answers) and the commands that write stop with a message naming the server's address.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../lib/logger.js';
import { openRegistry } from '../registry/open.js';
import { registration } from '../registry/test-support/fixtures.js';
import { startServer, type RunningServer } from '../serve/server.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { openStore } from '../store/open.js';
import { ExitCode } from './exit-codes.js';
import { runCli } from './test-support/run-cli.js';

describe('read-only commands while the API server holds the embedded database', () => {
  const saved = { ...process.env };
  let root: string;
  let config: Config;
  let server: RunningServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dcgrid-via-api-'));
    const env = {
      DCGRID_HOME: join(root, 'home'),
      DCGRID_RAW_DIR: join(root, 'raw'),
      ARTIFACT_URI: `file://${join(root, 'artifacts')}`,
      REGION: 'IE',
      TARGETS: 'dc_load_mw',
      API_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    delete process.env.DATABASE_URL;
    delete process.env.MLFLOW_TRACKING_URI;
    Object.assign(process.env, env);
    await writeDemoRawDir(env.DCGRID_RAW_DIR, { from: Date.UTC(2024, 9, 1), to: Date.UTC(2024, 10, 1) });
    const ingest = await runCli('--json', 'ingest');
    expect(ingest.exitCode, ingest.stderr).toBe(0);

    config = loadConfig({ ...process.env }, { dotenv: false });
    const store = await openStore(config);
    try {
      const registry = openRegistry(config, store);
      await registry.registerModelVersion(registration({ mase: 0.9 }));
      await registry.registerModelVersion(registration({ model: 'tft', mase: 0.7, seed: 2 }));
    } finally {
      await store.close();
    }
    server = await startServer(config, createLogger('via-api-test', 'silent'), {
      signals: false,
      webRoot: join(root, 'no-dashboard'),
    });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    process.env = saved;
    await rm(root, { recursive: true, force: true });
  });

  it('`models list` answers what GET /api/models answers, newest first, and says where it read', async () => {
    const listed = await runCli('--json', 'models', 'list');
    expect(listed.exitCode, listed.stderr).toBe(0);
    const fromCli = JSON.parse(listed.stdout) as Array<{ model: string; version: number; alias: string }>;
    const api = (await (await fetch(`${server.url}/api/models?region=IE`)).json()) as {
      versions: Array<{ model: string; version: number; alias: string; createdAt: string }>;
    };
    expect(fromCli).toEqual(
      [...api.versions].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version),
    );
    expect(fromCli.map((v) => v.model)).toEqual(['tft', 'xgb']);
    expect(fromCli.find((v) => v.alias === 'champion')?.model).toBe('tft');

    const human = await runCli('models', 'list', '--model', 'xgb');
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain(`the API server at ${server.url} holds the embedded database`);
    expect(human.stdout).toMatch(/xgb/);
    expect(human.stdout).not.toMatch(/\btft\b/);
  });

  it('`data report` answers the latest ingest through the API, and a missing id is not found', async () => {
    const report = await runCli('--json', 'data', 'report');
    expect(report.exitCode, report.stderr).toBe(0);
    const fromCli = JSON.parse(report.stdout) as {
      id: number;
      status: string;
      report: { rowsWritten?: unknown };
    };
    const api = (await (await fetch(`${server.url}/api/data/report`)).json()) as {
      id: number;
      report: unknown;
    };
    expect(fromCli.id).toBe(api.id);
    expect(fromCli.status).toBe('succeeded');
    expect(fromCli.report).toEqual(api.report);

    const missing = await runCli('data', 'report', '--id', '999');
    expect(missing.exitCode).toBe(ExitCode.INPUT);
    expect(missing.stderr).toContain('no ingest report 999');
  });

  it('a command that writes stops at once with the server address and the API calls to use', async () => {
    const train = await runCli('train', '--model', 'snaive168', '--target', 'dc_load_mw');
    expect(train.exitCode).toBe(ExitCode.DATABASE);
    expect(train.stderr).toContain(`at ${server.url}`);
    expect(train.stderr).toContain('POST /api/pipeline/runs');
  });
});

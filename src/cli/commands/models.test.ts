import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileArtifactStore } from '../../artifacts/file/store.js';
import { ModelRegistry } from '../../registry/registry.js';
import { registration } from '../../registry/test-support/fixtures.js';
import { createTestStore, type TestStore } from '../../store/test-support/stores.js';
import { runScript } from '../../tracking/test-support/child.js';
import { ExitCode } from '../exit-codes.js';
import { runCli } from '../test-support/run-cli.js';

const dcgrid = runCli;

describe('dcgrid models', () => {
  let store: TestStore;
  let home: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    store = await createTestStore('postgres');
    home = await mkdtemp(join(tmpdir(), 'dcgrid-cli-models-'));
    Object.assign(process.env, {
      DATABASE_URL: store.url!,
      DCGRID_HOME: home,
      ARTIFACT_URI: `file://${home}/artifacts`,
      REGION: 'IE',
      TARGETS: 'dc_load_mw',
      PROMOTION_METRIC: 'day_ahead_mase',
    });
    delete process.env.MLFLOW_TRACKING_URI;
    const registry = new ModelRegistry(store, new FileArtifactStore(`file://${home}/artifacts`), {
      promotionMetric: 'day_ahead_mase',
      code: { version: '0.1.0', gitCommit: null },
    });
    await registry.registerModelVersion(registration({ mase: 0.9 }));
    await registry.registerModelVersion(registration({ mase: 1.2, seed: 2 }));
    await registry.registerModelVersion(registration({ model: 'tft', mase: 0.7, seed: 3 }));
    await registry.registerModelVersion(registration({ region: 'NI', mase: 0.5, seed: 4 }));
  });
  afterEach(() => {
    process.exitCode = 0;
  });
  afterAll(async () => {
    process.env = saved;
    await store?.dispose();
    await rm(home, { recursive: true, force: true });
  });

  it('lists the versions of --region as JSON', async () => {
    const { stdout, exitCode } = await dcgrid('--json', 'models', 'list');
    expect(exitCode).toBe(0);
    const rows = JSON.parse(stdout) as Array<{
      model: string;
      version: number;
      alias: string;
      region: string;
    }>;
    expect(rows.map((r) => `${r.region}:${r.model}:${r.version}:${r.alias}`)).toEqual([
      'IE:tft:1:champion',
      'IE:xgb:2:challenger',
      'IE:xgb:1:challenger',
    ]);
    const ni = JSON.parse((await dcgrid('--json', '--region', 'ni', 'models', 'list')).stdout) as unknown[];
    expect(ni).toHaveLength(1);
    const all = JSON.parse(
      (await dcgrid('--json', 'models', 'list', '--all-regions', '--model', 'xgb')).stdout,
    ) as unknown[];
    expect(all).toHaveLength(3);
  });

  it('lists as a table for people, with the promotion metric', async () => {
    const { stdout } = await dcgrid('models', 'list', '--target', 'dc_load_mw');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^region\s+target\s+model\s+version\s+alias\s+day_ahead_mase\s+created\s+run$/);
    expect(lines[2]).toMatch(/^IE\s+dc_load_mw\s+tft\s+1\s+champion\s+0\.7\s/);
    expect(lines).toHaveLength(5);
  });

  it('promotes and rolls back', async () => {
    const promoted = await dcgrid('models', 'promote', 'xgb', 'v1', '--reason', 'tft drifts in winter');
    expect(promoted.exitCode).toBe(0);
    expect(promoted.stdout).toBe(
      'IE/dc_load_mw: champion is now xgb v1 (was tft v1, now challenger)\ntft drifts in winter\n',
    );
    const rolled = await dcgrid('--json', 'models', 'rollback');
    expect(JSON.parse(rolled.stdout)).toMatchObject({
      champion: { model: 'tft', version: 1 },
      previous: { model: 'xgb', version: 1, alias: 'retired' },
      changed: true,
    });
  });

  it('fails with the exit code of the kind of error', async () => {
    const missing = await dcgrid('--json', 'models', 'promote', 'xgb', '9');
    expect(missing.exitCode).toBe(ExitCode.INPUT);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'E_NOT_FOUND', message: 'IE/dc_load_mw/xgb v9 is not registered' },
    });
    const badTarget = await dcgrid('models', 'rollback', '--target', 'load');
    expect(badTarget.exitCode).toBe(ExitCode.USAGE);
    expect(badTarget.stderr).toContain('--target must be one of');
    const nothing = await dcgrid('--region', 'ALL', 'models', 'rollback');
    expect(nothing.exitCode).toBe(ExitCode.MLOPS);
    expect(nothing.stderr).toBe('error: ALL/dc_load_mw has no champion to roll back from\n');
  });

  it('is wired into the dcgrid command line', async () => {
    const { code, stdout, stderr } = await runScript('src/cli/main.ts', ['--json', 'models', 'list'], {});
    expect(stderr.replace(/\(node:\d+\) Warning[\s\S]*$/, '')).toBe('');
    expect(code).toBe(0);
    const viaMain = JSON.parse(stdout) as unknown[];
    expect(viaMain).toEqual(JSON.parse((await dcgrid('--json', 'models', 'list')).stdout));
  });
});

/** SIGTERM stops every command, checked on a real child process of `bin/dcgrid.js`. */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { ExitCode } from './exit-codes.js';

const BIN = fileURLToPath(new URL('../../bin/dcgrid.js', import.meta.url));

/** Starts `dcgrid <args>`, sends SIGTERM once stdout shows `marker`, and waits for the exit. */
function terminateAfter(args: string[], env: Record<string, string>, marker: string) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes(marker) && child.exitCode === null && !child.killed) child.kill('SIGTERM');
  });
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('SIGTERM', () => {
  let store: TestStore;
  let home = '';
  beforeAll(async () => {
    store = await createTestStore('postgres');
    home = await mkdtemp(join(tmpdir(), 'dcgrid-signals-'));
  });
  afterAll(() => store?.dispose());

  it('ends a schedule waiting for its next tick, cleanly (exit 0)', async () => {
    const result = await terminateAfter(
      ['schedule', '--cron', '0 0 1 1 *', '--no-ingest'],
      { DATABASE_URL: store.url!, DCGRID_HOME: home },
      'next run',
    );
    expect(result.signal).toBeNull();
    expect(result.code).toBe(ExitCode.OK);
    expect(result.stderr).toContain('SIGTERM');
  }, 240_000);

  it('stops a pipeline in the middle of its work with exit code 130', async () => {
    const result = await terminateAfter(
      ['pipeline', '--targets', 'demand_mw', '--models', 'snaive168', '--no-progress'],
      { DATABASE_URL: store.url!, DCGRID_HOME: home },
      'SYNTHETIC DEMO DATA',
    );
    expect(result.signal).toBeNull();
    expect(result.code).toBe(ExitCode.INTERRUPTED);
    expect(result.stderr).toContain('SIGTERM');
  }, 240_000);
});

/**
 * Real MLflow tracking servers for tests (MLflow 2.22 from ../shared/tools/mlflow-test-server.sh),
 * one per artifact mode: `proxied` (--serve-artifacts, MLflow's default) and `local`
 * (--no-serve-artifacts with a local artifact folder). CI starts both (scripts/mlflow-test-servers.sh)
 * and names them in MLFLOW_TEST_URI_PROXIED and MLFLOW_TEST_URI_LOCAL. Without those variables a
 * server already answering on the default port of its mode is used, or one is started there (about
 * 30 s; the script installs Debian packages on first use). Only outside CI may a server that cannot
 * be had skip the tests, with the reason printed; in CI (CI set) that is an error.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ArtifactMode = 'proxied' | 'local';

export interface RealMlflowServer {
  mode: ArtifactMode;
  url: string;
}

const SCRIPT = fileURLToPath(new URL('../../../../shared/tools/mlflow-test-server.sh', import.meta.url));
const ENV = { proxied: 'MLFLOW_TEST_URI_PROXIED', local: 'MLFLOW_TEST_URI_LOCAL' } as const;
const DEFAULT_PORT = { proxied: 5055, local: 5056 } as const;

/** A busy machine can keep a gunicorn worker from answering for a while: ask three times. */
async function healthy(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) })).ok) return true;
    } catch {
      // asked again below
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return false;
}

/** The mode a running server is in, from where its Default experiment keeps artifacts. */
async function modeOf(url: string): Promise<ArtifactMode | undefined> {
  try {
    const response = await fetch(`${url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default`, {
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { experiment?: { artifact_location?: string } };
    const location = body.experiment?.artifact_location;
    if (location === undefined) return undefined;
    return location.startsWith('mlflow-artifacts:') ? 'proxied' : 'local';
  } catch {
    return undefined;
  }
}

function startWithScript(mode: ArtifactMode, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, 'start'], {
      env: {
        ...process.env,
        MLFLOW_PORT: String(port),
        MLFLOW_WORK: join(tmpdir(), `dcgrid-mlflow-test-${mode}`),
        MLFLOW_ARTIFACTS: mode,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(`http://127.0.0.1:${port}`);
      else
        reject(new Error(`mlflow-test-server.sh start (${mode}) exited ${code}: ${out.trim().slice(-500)}`));
    });
  });
}

async function findServer(mode: ArtifactMode): Promise<RealMlflowServer> {
  const named = process.env[ENV[mode]];
  if (named !== undefined && named !== '') {
    const url = named.replace(/\/+$/, '');
    if (!(await healthy(url))) throw new Error(`${ENV[mode]}=${url} does not answer on /health`);
    const actual = await modeOf(url);
    if (actual !== mode) throw new Error(`${ENV[mode]}=${url} runs with ${actual ?? 'unknown'} artifacts`);
    return { mode, url };
  }
  const url = `http://127.0.0.1:${DEFAULT_PORT[mode]}`;
  if (await healthy(url)) {
    const actual = await modeOf(url);
    if (actual === mode) return { mode, url };
    throw new Error(`the MLflow server on ${url} runs with ${actual ?? 'unknown'} artifacts, not ${mode}`);
  }
  if (!existsSync(SCRIPT)) throw new Error(`no server on ${url} and no ${SCRIPT} to start one`);
  // Test files run in parallel: one starts the server, the others wait for it.
  const lock = join(tmpdir(), `dcgrid-mlflow-test-${mode}.lock`);
  const deadline = Date.now() + 300_000;
  while (true) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 5 minutes; remove it if no test runs`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (await healthy(url)) return { mode, url };
    return { mode, url: await startWithScript(mode, DEFAULT_PORT[mode]) };
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

export interface RealMlflowServers {
  servers: RealMlflowServer[];
  /** Why some are missing (outside CI only). */
  skipped: string[];
}

/** Both real servers, or (outside CI) the ones that could be had and why the others could not. */
export async function realMlflowServers(): Promise<RealMlflowServers> {
  const found = await Promise.allSettled((['proxied', 'local'] as const).map(findServer));
  const servers: RealMlflowServer[] = [];
  const skipped: string[] = [];
  for (const [index, result] of found.entries()) {
    const mode = index === 0 ? 'proxied' : 'local';
    if (result.status === 'fulfilled') servers.push(result.value);
    else skipped.push(`${mode}: ${(result.reason as Error).message}`);
  }
  if (skipped.length > 0) {
    if (process.env.CI) throw new Error(`CI needs both real MLflow servers: ${skipped.join('; ')}`);
    console.warn(`real MLflow tests skipped (not in CI): ${skipped.join('; ')}`);
  }
  return { servers, skipped };
}

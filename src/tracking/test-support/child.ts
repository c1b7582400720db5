/** Runs a test-support script in a child process (node + tsx) and waits for its "READY ..." line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** The words after the first line that starts with `marker`. */
  ready: Promise<string[]>;
  /** Resolves with the exit code or the signal name. */
  exited: Promise<number | string>;
  stderr(): string;
}

export function startChild(script: string, env: Record<string, string>, marker = 'READY'): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const ready = new Promise<string[]>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith(`${marker} `) || l === marker);
      if (line !== undefined) resolve(line.split(' ').slice(1));
    });
    void exited.then((how) => reject(new Error(`child exited (${how}) before "${marker}":\n${stderr}`)));
  });
  return { process: child, ready, exited, stderr: () => stderr };
}

/** Runs a script to its end (node + tsx) and returns its exit code and output. */
export function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: signal ?? code ?? -1, stdout, stderr }));
  });
}

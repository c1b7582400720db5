/**
 * `dcgrid <args>` as a user runs it: a separate process of bin/dcgrid.js (the compiled CLI when it
 * is fresh, else the sources through tsx), for tests that kill it, stop its database under it or
 * read its exit code. The environment is the test's, less the settings that would point the child
 * at something else (a DATABASE_URL or MLflow server of the machine), plus `env`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DCGRID_BIN = fileURLToPath(new URL('../../../bin/dcgrid.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Settings a child must not inherit from the machine running the tests. */
const ISOLATED = ['DATABASE_URL', 'MLFLOW_TRACKING_URI', 'DCGRID_HOME', 'DCGRID_RAW_DIR', 'ARTIFACT_STORE'];

export interface CliExit {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `check` holds for the output so far; rejects if the process ends first. */
  waitFor(check: (output: { stdout: string; stderr: string }) => boolean): Promise<void>;
  readonly exited: Promise<CliExit>;
}

export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ISOLATED) delete base[key];
  return { ...base, ...env };
}

export interface SpawnOptions {
  /**
   * RLIMIT_FSIZE of the child in KiB (`ulimit -f`, with SIGXFSZ ignored so that a write past it
   * fails with EFBIG instead of killing the process): a full disk where no small file system can
   * be mounted.
   */
  fileSizeLimitKb?: number;
}

export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): CliProcess {
  const command = [process.execPath, DCGRID_BIN, ...args];
  const [file, argv] =
    options.fileSizeLimitKb === undefined
      ? [command[0]!, command.slice(1)]
      : ['bash', ['-c', `trap '' XFSZ; ulimit -f ${options.fileSizeLimitKb}; exec "$0" "$@"`, ...command]];
  const child = spawn(file, argv, {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    notify();
  });
  const exited = new Promise<CliExit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor(check) {
      return new Promise<void>((resolve, reject) => {
        const test = () => {
          if (check({ stdout, stderr })) {
            waiters.delete(test);
            resolve();
          }
        };
        waiters.add(test);
        test();
        void exited.then((how) => {
          if (!waiters.has(test)) return;
          waiters.delete(test);
          if (check({ stdout, stderr })) resolve();
          else
            reject(new Error(`dcgrid ${args.join(' ')} ended (${how.code ?? how.signal}) first:\n${stderr}`));
        });
      });
    },
  };
}

/** Runs `dcgrid <args>` to its end. */
export function runCliProcess(
  args: readonly string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<CliExit> {
  return spawnCli(args, env, options).exited;
}

import { join } from 'node:path';
import type { Command } from 'commander';
import { checkConfigPaths, type PathNeeds } from '../config/check-paths.js';
import type { Config } from '../config/config.js';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
import { connectionLostError, isConnectionLost } from '../store/connection-loss.js';
import { diskFullError } from '../store/disk-full.js';
import { exitCodeFor, ExitCode } from './exit-codes.js';
import { createOutput, type Output } from './output.js';
import { createProgress, type Progress } from './progress.js';

export interface GlobalOptions {
  json?: boolean;
  rawDir?: string;
  region?: string;
  home?: string;
  progress?: boolean;
  logJson?: boolean;
}

/** What every command gets: settings, printers, progress, a cancellation signal and the store. */
export interface CommandContext {
  readonly config: Config;
  readonly out: Output;
  readonly progress: Progress;
  /** Structured logs: DCGRID_HOME/logs/dcgrid.log, or stderr with --log-json (and for services). */
  readonly log: Logger;
  /** Aborted on the first Ctrl-C / SIGTERM: long work stops cleanly at the next step. */
  readonly signal: AbortSignal;
  /** Opens the store (migrated) on first use; closed when the command ends. */
  store(): Promise<Store>;
}

export interface CommandOptions extends PathNeeds {
  /** A long-running service (schedule, serve): its logs are JSON lines on stderr. */
  service?: boolean;
}

/** After the first Ctrl-C / SIGTERM, work that does not reach a check within this stops anyway. */
export const INTERRUPT_GRACE_MS = 10_000;

/** Settings with the command line's overrides applied (flags win over env and .env). */
export async function configFromOptions(options: GlobalOptions): Promise<Config> {
  const { loadConfig } = await import('../config/config.js');
  const overrides: Record<string, string> = {};
  if (options.rawDir !== undefined) overrides.DCGRID_RAW_DIR = options.rawDir;
  if (options.region !== undefined) overrides.REGION = options.region.toUpperCase();
  if (options.home !== undefined) overrides.DCGRID_HOME = options.home;
  return loadConfig({ ...process.env, ...overrides });
}

/** Where the CLI's structured logs go unless --log-json. */
export function logFile(config: Pick<Config, 'home'>): string {
  return join(config.home, 'logs', 'dcgrid.log');
}

/** One line for an error a person reads: no stack trace (that goes to the log). */
export function describeError(error: unknown): string {
  if (isDcgridError(error)) return error.message;
  const errno = error as NodeJS.ErrnoException;
  if (errno instanceof Error && typeof errno.code === 'string' && typeof errno.path === 'string') {
    const reasons: Record<string, string> = {
      EROFS: 'read-only file system',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOSPC: 'no space left on the device',
      ENOENT: 'no such file or folder',
    };
    return `${errno.syscall ?? 'access'} ${errno.path}: ${reasons[errno.code] ?? errno.code}`;
  }
  return error instanceof Error ? error.message : describeThrown(error);
}

/**
 * A thrown value that is not an Error (a string, an emscripten/PGlite status object, a plain
 * object from a library): its own words where it has any, else its JSON, never "[object Object]".
 */
export function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const { message, status, code, name, errno } = value as Record<string, unknown>;
  const parts = [
    name,
    code,
    typeof errno === 'number' ? `errno ${errno}` : undefined,
    status,
    message,
  ].filter((part): part is string | number => typeof part === 'string' || typeof part === 'number');
  if (parts.length > 0) return `${parts.join(': ')}`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && json !== '{}') return json.length > 300 ? `${json.slice(0, 300)}...` : json;
  } catch {
    // A cycle: fall through.
  }
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return `a thrown ${ctor && ctor !== 'Object' ? ctor : 'object'} without a message`;
}

/**
 * Faults of the machine rather than the input, as E_DATABASE (exit 4): a lost connection to the
 * PostgreSQL server, a full disk or a file-size limit under the store or the artifact folder.
 */
export function classifyFault(
  error: unknown,
  store: Pick<Store, 'kind' | 'description'> | undefined,
  dataDir?: string,
): unknown {
  if (isDcgridError(error)) return error;
  if (store?.kind === 'postgres' && isConnectionLost(error))
    return connectionLostError(store.description, error);
  const full = diskFullError(error, store, dataDir);
  return full ?? error;
}

/**
 * Runs a command body: checks the settings and the folders they name before anything is opened
 * or written, prints errors as one clear line (or JSON with --json) and sets the exit code. The
 * first Ctrl-C / SIGTERM asks the work to stop at its next check; a second one, or the first not
 * honoured within INTERRUPT_GRACE_MS, ends the process with exit code 130.
 */
export async function runCommand(
  command: Command,
  body: (ctx: CommandContext) => Promise<void>,
  options: CommandOptions = {},
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const json = globals.json === true;
  const out = createOutput(json);
  const controller = new AbortController();
  let interrupts = 0;
  let graceTimer: NodeJS.Timeout | undefined;
  const quit = () => {
    process.stderr.write('stopped\n');
    process.exit(ExitCode.INTERRUPTED);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) quit();
    process.stderr.write(`\n${signal}: stopping after the current step (again to quit at once)\n`);
    graceTimer = setTimeout(quit, INTERRUPT_GRACE_MS).unref();
    controller.abort(new DcgridError(ErrorCodes.INTERRUPTED, `interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let store: Store | undefined;
  let log: Logger | undefined;
  let openLog: (() => Logger) | undefined;
  let logTarget = '';
  // Progress goes to stderr, so it stays on with --json (stdout carries the JSON).
  const progress = createProgress({ enabled: globals.progress !== false });
  const failure: FailureContext = { json, logTarget: '' };
  active = failure;
  const reportFailure = (error: unknown) => failed(error, failure);
  try {
    const config = await configFromOptions(globals);
    if (config.DATABASE_URL === undefined) failure.dataDir = join(config.home, 'db');
    await checkConfigPaths(config, options);
    const { createLogger, sendLogsTo } = await import('../lib/logger.js');
    const toStderr = globals.logJson === true || options.service === true;
    logTarget = toStderr ? '' : logFile(config);
    sendLogsTo(toStderr ? 'stderr' : { file: logTarget });
    const logger = () => (log ??= createLogger('dcgrid', config.LOG_LEVEL));
    openLog = logger;
    failure.openLog = logger;
    failure.logTarget = logTarget;
    const ctx: CommandContext = {
      config,
      out,
      progress,
      get log() {
        return logger();
      },
      signal: controller.signal,
      store: async () => {
        if (store === undefined) {
          const { openStore } = await import('../store/open.js');
          store = await openStore(config, { owner: `dcgrid ${command.name()}` });
          failure.store = store;
        }
        return store;
      },
    };
    await body(ctx);
  } catch (thrown) {
    progress.stop();
    process.exitCode = reportFailure(thrown);
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    try {
      // A store whose server is gone (or whose disk is full) may fail to close: the command's
      // own error has been reported already, so this one only goes to the log.
      await store?.close();
    } catch (error) {
      if (process.exitCode === 0 || process.exitCode === undefined) process.exitCode = reportFailure(error);
      else openLog?.().warn({ err: error }, 'closing the store failed');
    } finally {
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      if (active === failure) active = undefined;
    }
  }
}

interface FailureContext {
  json: boolean;
  logTarget: string;
  store?: Store | undefined;
  /** The embedded database's folder (for messages about a full disk before the store is open). */
  dataDir?: string;
  openLog?: () => Logger;
}

/** The command running now, for failures that escape it (an error thrown from a callback). */
let active: FailureContext | undefined;

/** Prints `error` as one line (or JSON) and returns the exit code. */
function failed(thrown: unknown, context: FailureContext): number {
  const error = classifyFault(thrown, context.store, context.dataDir);
  const code = exitCodeFor(error);
  let message = describeError(error);
  if (!isDcgridError(error) && context.openLog !== undefined) {
    try {
      context.openLog().error({ err: error }, message);
      if (context.logTarget) message += ` (details in ${context.logTarget})`;
    } catch {
      // A log that cannot be written (a full disk) must not hide the error itself.
    }
  }
  if (context.json) {
    process.stdout.write(
      `${JSON.stringify({ error: { code: isDcgridError(error) ? error.code : 'E_UNEXPECTED', message } })}\n`,
    );
  } else {
    process.stderr.write(`error: ${message}\n`);
  }
  return code;
}

/**
 * For main.ts: an error that escaped every command (an uncaught exception or rejection from a
 * library callback, e.g. a socket's EPIPE or PGlite failing inside its own event handler) is
 * printed like a command's error, as one line, and the process exits with its code.
 */
export function reportEscapedError(error: unknown): number {
  return failed(error, active ?? { json: false, logTarget: '' });
}

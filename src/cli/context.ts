import { join } from 'node:path';
import type { Command } from 'commander';
import { checkConfigPaths, type PathNeeds } from '../config/check-paths.js';
import type { Config } from '../config/config.js';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
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
  return error instanceof Error ? error.message : String(error);
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
  try {
    const config = await configFromOptions(globals);
    await checkConfigPaths(config, options);
    const { createLogger, sendLogsTo } = await import('../lib/logger.js');
    const toStderr = globals.logJson === true || options.service === true;
    logTarget = toStderr ? '' : logFile(config);
    sendLogsTo(toStderr ? 'stderr' : { file: logTarget });
    const logger = () => (log ??= createLogger('dcgrid', config.LOG_LEVEL));
    openLog = logger;
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
        }
        return store;
      },
    };
    await body(ctx);
  } catch (error) {
    progress.stop();
    const code = exitCodeFor(error);
    let message = describeError(error);
    if (!isDcgridError(error) && openLog !== undefined) {
      openLog().error({ err: error }, message);
      if (logTarget) message += ` (details in ${logTarget})`;
    }
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ error: { code: isDcgridError(error) ? error.code : 'E_UNEXPECTED', message } })}\n`,
      );
    } else {
      process.stderr.write(`error: ${message}\n`);
    }
    process.exitCode = code;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    try {
      await store?.close();
    } finally {
      if (graceTimer !== undefined) clearTimeout(graceTimer);
    }
  }
}

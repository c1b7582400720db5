import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { openStore } from '../store/open.js';
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
}

/** What every command gets: settings, printers, progress, a cancellation signal and the store. */
export interface CommandContext {
  readonly config: Config;
  readonly out: Output;
  readonly progress: Progress;
  readonly log: Logger;
  /** Aborted on the first Ctrl-C / SIGTERM: long work stops cleanly at the next step. */
  readonly signal: AbortSignal;
  /** Opens the store (migrated) on first use; closed when the command ends. */
  store(): Promise<Store>;
}

/** Settings with the command line's overrides applied (flags win over env and .env). */
export function configFromOptions(options: GlobalOptions): Config {
  const overrides: Record<string, string> = {};
  if (options.rawDir !== undefined) overrides.DCGRID_RAW_DIR = options.rawDir;
  if (options.region !== undefined) overrides.REGION = options.region.toUpperCase();
  if (options.home !== undefined) overrides.DCGRID_HOME = options.home;
  return loadConfig({ ...process.env, ...overrides });
}

/**
 * Runs a command body with a context, prints errors as one clear line (or JSON with --json) and
 * sets the exit code. A second Ctrl-C exits at once.
 */
export async function runCommand(
  command: Command,
  body: (ctx: CommandContext) => Promise<void>,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const json = globals.json === true;
  const out = createOutput(json);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.INTERRUPTED);
    process.stderr.write(`\n${signal}: stopping after the current step (again to quit at once)\n`);
    controller.abort(new DcgridError(ErrorCodes.INTERRUPTED, `interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let store: Store | undefined;
  const progress = createProgress({ enabled: !json && globals.progress !== false });
  try {
    const config = configFromOptions(globals);
    const ctx: CommandContext = {
      config,
      out,
      progress,
      log: createLogger('dcgrid', config.LOG_LEVEL),
      signal: controller.signal,
      store: async () => {
        store ??= await openStore(config, { owner: `dcgrid ${command.name()}` });
        return store;
      },
    };
    await body(ctx);
  } catch (error) {
    progress.stop();
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ error: { code: isDcgridError(error) ? error.code : 'E_UNEXPECTED', message } })}\n`,
      );
    } else {
      process.stderr.write(`error: ${message}\n`);
      if (!isDcgridError(error) && error instanceof Error && error.stack)
        process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = code;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store?.close();
  }
}

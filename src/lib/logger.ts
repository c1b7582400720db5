import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs (pino JSON lines). Services log to stderr; the CLI sends them to a file under
 * DCGRID_HOME (or to stderr with --log-json) so that people read its own printed output instead.
 * Loggers created after `sendLogsTo` write where it says; before, to stderr.
 */
let destination: DestinationStream | undefined;

export function sendLogsTo(target: 'stderr' | { file: string }): void {
  destination =
    target === 'stderr'
      ? pino.destination(2)
      : pino.destination({ dest: target.file, mkdir: true, append: true, sync: true });
}

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level }, destination ?? pino.destination(2));
}

export type { Logger };

import { pino, type Logger } from 'pino';

/**
 * Structured logs (JSON lines on stderr) for services and background work. CLI output meant for
 * people goes to stdout through the CLI's own printers instead.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level }, pino.destination(2));
}

export type { Logger };

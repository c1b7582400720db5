/**
 * A PostgreSQL server that restarts, crashes or drops the network in the middle of a command:
 * how such an error is recognised (whatever layer threw it: a socket write's EPIPE during COPY,
 * pg's "Connection terminated unexpectedly", the server's 57P01 "terminating connection due to
 * administrator command"), how it is reported (one line, exit 4), and how a short piece of
 * bookkeeping (a failed report, a run's end) is retried until the server is back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';

const SOCKET_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTCONN',
  'ETIMEDOUT',
]);
/** SQLSTATEs of a server that is going away or not yet back: admin/crash shutdown, starting up. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03']);
const MESSAGES = [
  /connection terminated/i,
  /not queryable/i,
  /terminating connection/i,
  /server closed the connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** The error and its causes, innermost last (a cycle or a very deep chain is cut). */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && out.length < 8 && !out.includes(current)) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

/** True when `error` (or one of its causes) says the connection to the server is gone. */
export function isConnectionLost(error: unknown): boolean {
  if (isDcgridError(error, ErrorCodes.DATABASE) && (error as LostConnection).connectionLost === true)
    return true;
  return chain(error).some((e) => {
    if (typeof e !== 'object' || e === null) return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (
      typeof code === 'string' &&
      (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))
    )
      return true;
    return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
  });
}

/** The most telling reason in the chain: the server's own words when it sent any. */
export function lossReason(error: unknown): string {
  const messages = chain(error)
    .map((e) => (e instanceof Error ? e.message : typeof e === 'string' ? e : undefined))
    .filter((m): m is string => m !== undefined && m.length > 0);
  const server = messages.find((m) => /terminating connection|starting up|shutting down/i.test(m));
  return (server ?? messages[0] ?? 'connection lost').split('\n')[0]!;
}

interface LostConnection extends DcgridError {
  connectionLost: true;
}

/** An E_DATABASE error (exit 4) saying that the connection to `description` was lost, and while doing what. */
export function connectionLostError(description: string, error: unknown, doing?: string): DcgridError {
  if (isDcgridError(error) && (error as Partial<LostConnection>).connectionLost === true) return error;
  const during = doing !== undefined ? ` during ${doing}` : '';
  const lost = new DcgridError(
    ErrorCodes.DATABASE,
    `lost the connection to ${description}${during} (${lossReason(error)})`,
    {},
    { cause: error },
  ) as LostConnection;
  lost.connectionLost = true;
  return lost;
}

/** The same error with a note appended to its one-line message (still E_DATABASE, still a lost connection). */
export function withNote(error: DcgridError, note: string): DcgridError {
  const noted = new DcgridError(error.code, `${error.message}; ${note}`, {}, { cause: error.cause ?? error });
  if ((error as Partial<LostConnection>).connectionLost === true)
    (noted as LostConnection).connectionLost = true;
  return noted;
}

export interface RetryOptions {
  /** How long to keep trying, in total (default 20 s: a restart takes a few seconds). */
  budgetMs?: number;
  /** First pause between tries; doubled up to 2 s. */
  delayMs?: number;
}

/**
 * Runs `fn`, and while it fails because the server is unreachable, tries again after a pause, for
 * at most `budgetMs`: for short bookkeeping writes after a lost connection (the failed report, the
 * run's end). Any other error, or the last one, is thrown.
 */
export async function retryWhileDisconnected<T>(
  fn: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.budgetMs ?? 20_000);
  let delay = options.delayMs ?? 250;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isConnectionLost(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

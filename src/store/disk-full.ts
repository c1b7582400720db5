/**
 * A full disk (or a file-size limit, or a quota) under the embedded database or the artifact
 * folder, recognised whichever layer reports it: Node's ENOSPC/EFBIG/EDQUOT with a path, PGlite's
 * emscripten ErrnoError (a plain object with a numeric errno and no message), or PostgreSQL's own
 * "could not extend file ...: No space left on device" (SQLSTATE 53100) from inside PGlite.
 * It becomes one line naming the path, exit 4.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { Store } from './store.js';

/** Emscripten's errno numbers (PGlite's file system layer) for the ways a write runs out of room. */
const EMSCRIPTEN_ERRNO: Record<number, string> = { 51: 'ENOSPC', 22: 'EFBIG', 19: 'EDQUOT' };
const NODE_CODES = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EFBIG: 'file too large for the limit set on this process or file system',
  EDQUOT: 'disk quota exceeded',
  '53100': 'no space left on the device',
};
const POSTGRES_DISK_FULL =
  /no space left on device|could not extend file|file too large|disk quota exceeded/i;

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && out.length < 8 && !out.includes(current)) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

/** Which kind of "out of room" `error` reports (ENOSPC, EFBIG, EDQUOT, 53100), and the path when it names one. */
export function diskFullKind(error: unknown): { kind: string; path?: string } | undefined {
  for (const e of chain(error)) {
    if (typeof e !== 'object' || e === null) continue;
    const { code, errno, path, message, name } = e as Record<string, unknown>;
    if (typeof code === 'string' && NODE_CODES.has(code))
      return { kind: code, ...(typeof path === 'string' ? { path } : {}) };
    if (code === '53100') return { kind: '53100' };
    if (name === 'ErrnoError' && typeof errno === 'number' && EMSCRIPTEN_ERRNO[errno] !== undefined)
      return { kind: EMSCRIPTEN_ERRNO[errno] };
    if (typeof message === 'string' && POSTGRES_DISK_FULL.test(message)) {
      return {
        kind: /file too large/i.test(message) ? 'EFBIG' : /quota/i.test(message) ? 'EDQUOT' : 'ENOSPC',
      };
    }
  }
  return undefined;
}

/**
 * An E_DATABASE error (exit 4) for a full disk, naming the path: the one in the error, else the
 * embedded database's folder (PGlite's errors name none). Undefined when `error` is something else.
 */
export function diskFullError(
  error: unknown,
  store: Pick<Store, 'kind' | 'description'> | undefined,
  fallbackPath?: string,
): DcgridError | undefined {
  const found = diskFullKind(error);
  if (found === undefined) return undefined;
  const where =
    found.path ??
    (store?.kind === 'pglite' ? store.description.replace(/^PGlite at /, '') : undefined) ??
    fallbackPath ??
    store?.description;
  const reason = REASONS[found.kind] ?? found.kind;
  const what = where !== undefined ? `cannot write to ${where}` : 'cannot write';
  return new DcgridError(
    ErrorCodes.DATABASE,
    `${what}: ${reason}; free some space (or raise the limit) and run the command again ` +
      '(what was being written was not committed)',
    {},
    { cause: error },
  );
}

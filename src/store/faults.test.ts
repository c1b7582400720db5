/** How a lost PostgreSQL connection and a full disk are recognised and worded (the drills run them for real). */
import { describe, expect, it } from 'vitest';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';
import { describeThrown } from '../cli/context.js';
import { connectionLostError, isConnectionLost, retryWhileDisconnected } from './connection-loss.js';
import { diskFullError } from './disk-full.js';

const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
const adminShutdown = Object.assign(new Error('terminating connection due to administrator command'), {
  code: '57P01',
});

describe('a lost connection', () => {
  it('is recognised from the socket, from the server and through causes; other errors are not', () => {
    expect(isConnectionLost(epipe)).toBe(true);
    expect(isConnectionLost(adminShutdown)).toBe(true);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('outer', { cause: epipe }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionLost('text')).toBe(false);
  });

  it("becomes one E_DATABASE line naming the server and, first, the server's own words", () => {
    const error = connectionLostError(
      'PostgreSQL at h:5/db',
      new Error('x', { cause: adminShutdown }),
      'COPY',
    );
    expect(isDcgridError(error, ErrorCodes.DATABASE)).toBe(true);
    expect(error.message).toBe(
      'lost the connection to PostgreSQL at h:5/db during COPY (terminating connection due to administrator command)',
    );
    expect(connectionLostError('elsewhere', error)).toBe(error);
  });

  it('is retried while it lasts, and other errors are not retried', async () => {
    let calls = 0;
    const value = await retryWhileDisconnected(
      async () => {
        calls += 1;
        if (calls < 3) throw epipe;
        return 'stored';
      },
      { delayMs: 1 },
    );
    expect([value, calls]).toEqual(['stored', 3]);
    calls = 0;
    const other = new DcgridError(ErrorCodes.VALUE_INVALID, 'bad');
    await expect(
      retryWhileDisconnected(async () => {
        calls += 1;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
    await expect(retryWhileDisconnected(() => Promise.reject(epipe), { budgetMs: 0 })).rejects.toBe(epipe);
  });
});

describe('a full disk', () => {
  const pglite = { kind: 'pglite' as const, description: 'PGlite at /home/u/.dcgrid/db' };

  it("names Node's path, or the embedded database's folder for PGlite's errors", () => {
    const node = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/art/models/x.json',
    });
    expect(diskFullError(node, pglite)?.message).toMatch(
      /^cannot write to \/art\/models\/x\.json: no space left/,
    );
    // PGlite's emscripten error: a plain object, errno 51 (ENOSPC) and no message.
    const errno = Object.assign(Object.create({ constructor: { name: 'ErrnoError' } }) as object, {
      name: 'ErrnoError',
      errno: 51,
    });
    expect(diskFullError(errno, undefined, '/home/u/.dcgrid/db')?.message).toMatch(
      /^cannot write to \/home\/u\/\.dcgrid\/db: no space left/,
    );
    const server = Object.assign(
      new Error('could not extend file "base/5/16711": wrote only 4096 of 8192 bytes'),
      {
        code: '53100',
      },
    );
    const error = diskFullError(server, pglite);
    expect(isDcgridError(error, ErrorCodes.DATABASE)).toBe(true);
    expect(error?.message).toMatch(/^cannot write to \/home\/u\/\.dcgrid\/db: no space left/);
    expect(diskFullError(new Error('syntax error'), pglite)).toBeUndefined();
  });
});

describe('a thrown value that is not an Error', () => {
  it('is printed from its own fields or as JSON, never [object Object]', () => {
    expect(describeThrown({ name: 'ErrnoError', errno: 51 })).toBe('ErrnoError: errno 51');
    expect(describeThrown({ status: 500, message: 'boom' })).toBe('500: boom');
    expect(describeThrown({ a: 1 })).toBe('{"a":1}');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeThrown(cycle)).toBe('a thrown object without a message');
    expect(describeThrown(undefined)).toBe('undefined');
  });
});

/**
 * Write endpoints need `Authorization: Bearer <API_TOKEN>`. No header: 401. A wrong token: 403.
 * No API_TOKEN configured: writes are disabled (403), never open. Read endpoints stay open.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { ApiError, ApiErrorCodes } from '../errors.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function requireToken(apiToken: string | undefined): preHandlerAsyncHookHandler {
  const expected = apiToken !== undefined && apiToken.length > 0 ? digest(apiToken) : undefined;
  return async (request) => {
    if (expected === undefined) {
      throw new ApiError(
        403,
        ApiErrorCodes.WRITES_DISABLED,
        'write endpoints are disabled: the server has no API_TOKEN set',
      );
    }
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw new ApiError(
        401,
        ApiErrorCodes.UNAUTHORIZED,
        'this endpoint needs Authorization: Bearer <API_TOKEN>',
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new ApiError(
        401,
        ApiErrorCodes.UNAUTHORIZED,
        'the Authorization header must be "Bearer <API_TOKEN>"',
      );
    }
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      throw new ApiError(403, ApiErrorCodes.FORBIDDEN, 'the bearer token is not the API_TOKEN');
    }
  };
}

/** OpenAPI security requirement for the write routes. */
export const bearerSecurity = [{ bearerAuth: [] }];

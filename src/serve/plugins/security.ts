/**
 * CORS (API_CORS_ORIGINS: '*' or a list of origins; unset: none, the dashboard is same-origin)
 * and security headers (API_SECURITY_HEADERS, on by default: CSP, nosniff, frame, referrer and
 * cross-origin policies). The request id comes back as `x-request-id` so a user can quote it.
 *
 * The security headers never vary between requests, so they are built once and set in one call
 * from a synchronous hook: a per-request middleware (helmet's) cost about six points of the
 * forecast route's throughput against a bare route (bench/api.ts).
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
].join('; ');

/** The headers every answer carries when API_SECURITY_HEADERS is on. */
export function securityHeaders(crossOrigin: boolean): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    // With CORS origins configured, other sites may read the answers: the resource policy must allow it.
    'cross-origin-resource-policy': crossOrigin ? 'cross-origin' : 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
  };
}

export async function registerSecurity(
  app: FastifyInstance,
  config: Pick<Config, 'API_CORS_ORIGINS' | 'API_SECURITY_HEADERS'>,
): Promise<void> {
  const origins = config.API_CORS_ORIGINS;
  const crossOrigin = origins !== undefined && origins.length > 0;
  const headers = config.API_SECURITY_HEADERS ? securityHeaders(crossOrigin) : {};
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers).header('x-request-id', request.id);
    done();
  });
  if (crossOrigin) {
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'Accept'],
      exposedHeaders: ['ETag', 'Link', 'X-Request-Id'],
      maxAge: 600,
    });
  }
}

/**
 * CORS (API_CORS_ORIGINS: '*' or a list of origins; unset: none, the dashboard is same-origin)
 * and security headers (API_SECURITY_HEADERS, on by default: CSP, nosniff, frame and referrer
 * policies). The request id comes back as `x-request-id` so a user can quote it.
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';

export async function registerSecurity(
  app: FastifyInstance,
  config: Pick<Config, 'API_CORS_ORIGINS' | 'API_SECURITY_HEADERS'>,
): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const origins = config.API_CORS_ORIGINS;
  if (origins !== undefined && origins.length > 0) {
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'Accept'],
      exposedHeaders: ['ETag', 'Link', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  if (config.API_SECURITY_HEADERS) {
    await app.register(helmet, {
      // Swagger UI (/api/docs) sets its own CSP for its static files (staticCSP).
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: origins?.length ? 'cross-origin' : 'same-origin' },
    });
  }
}

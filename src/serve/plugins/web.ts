/**
 * The dashboard hook: when the built web app exists (web/dist, or `webRoot`), it is served at `/`
 * with its files; the API and docs keep their own prefixes. Without it, `/` points to the docs.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Registers the dashboard when it is built; says whether it is. */
export async function registerWeb(app: FastifyInstance, webRoot: string): Promise<boolean> {
  const root = resolve(webRoot);
  if (existsSync(resolve(root, 'index.html'))) {
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, decorateReply: false });
    return true;
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/api/docs'));
  return false;
}

/**
 * The API as a Fastify app, built from its dependencies so that tests can start it on port 0
 * against any store. One module per concern: plugins/ (errors, security, docs, cache, metrics,
 * auth, web) and routes/ (one per resource).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteContext } from './context.js';
import type { ServeDeps } from './deps.js';
import { ResponseCache } from './plugins/cache.js';
import { registerDocs } from './plugins/docs.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerSecurity } from './plugins/security.js';
import { registerWeb } from './plugins/web.js';
import { registerRoutes } from './routes/index.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface BuiltApp {
  app: FastifyInstance;
  cache: ResponseCache;
  /** Whether the built dashboard is served at `/`. */
  dashboard: boolean;
  /** Stops background work the routes started (a pipeline run): awaited on shutdown. */
  stopBackgroundWork(): Promise<void>;
}

export async function buildApp(deps: ServeDeps): Promise<BuiltApp> {
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerSecurity(app, deps.config);
  await registerDocs(app);

  const cache = new ResponseCache(deps.store, { checkIntervalMs: deps.config.API_CACHE_CHECK_MS });
  registerMetrics(app, { store: deps.store, cache });
  const ctx: RouteContext = { deps, cache };
  const background = registerRoutes(app.withTypeProvider<ZodTypeProvider>(), ctx);
  const dashboard = await registerWeb(app, deps.webRoot ?? 'web/dist');
  await app.ready();
  return { app, cache, dashboard, stopBackgroundWork: background.stop };
}

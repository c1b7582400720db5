import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServeDeps } from './deps.js';
import type { ResponseCache } from './plugins/cache.js';

/** The Fastify instance with zod schemas as the type provider (one schema validates, types and documents). */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What each route module gets: the dependencies and the shared response cache. */
export interface RouteContext {
  deps: ServeDeps;
  cache: ResponseCache;
}

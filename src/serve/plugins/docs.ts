/**
 * OpenAPI 3.1 at /api/openapi.json and Swagger UI at /api/docs, generated from the route schemas
 * (the zod schemas that validate each request are the ones documented).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { codeVersion } from '../../artifacts/code-version.js';

export const API_TAGS = [
  { name: 'health', description: 'liveness and readiness' },
  { name: 'forecasts', description: "the champions' issued forecasts (read-only: the API never trains)" },
  { name: 'stress', description: 'grid-stress alerts, observed and forecast' },
  { name: 'data', description: 'the hourly feature table and ingest quality reports' },
  { name: 'models', description: 'registry, runs, backtests; promote and rollback (token)' },
  { name: 'pipeline', description: 'start a pipeline run (token)' },
  { name: 'advisor', description: 'energy-aware scheduling of flexible jobs' },
  {
    name: 'carbon-aware',
    description: 'Green Software Foundation Carbon Aware SDK WebAPI compatible routes (gCO2/kWh)',
  },
];

export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'dcgrid API',
        description:
          'Forecasts of data-centre electricity load and grid stress for Ireland, a scheduling advisor ' +
          'for flexible jobs, and Carbon Aware SDK compatible emissions routes. Errors are RFC 9457 ' +
          'problem documents with a stable `code`.',
        version: codeVersion().version,
      },
      tags: API_TAGS,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API_TOKEN (write endpoints only)' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

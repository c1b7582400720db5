/** `dcgrid serve`: the REST API (docs/API.md), Swagger UI at /api/docs, the dashboard at / when built. */
import type { Command } from 'commander';
import { runCommand } from '../context.js';
import { integerOption } from '../options.js';

interface ServeOptions {
  port?: string;
  host?: string;
  web?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .summary('serve forecasts, stress alerts, the scheduling advisor and Carbon Aware SDK routes over HTTP')
    .description(
      'REST API on API_HOST:API_PORT with OpenAPI at /api/openapi.json and Swagger UI at /api/docs. ' +
        'In embedded mode (no DATABASE_URL) the server holds the database: other dcgrid commands that need it stop with a message naming the server; ' +
        'use the API instead. Stops cleanly on SIGTERM / Ctrl-C (requests in flight finish).',
    )
    .option('--port <n>', 'port (API_PORT, default 8080; 0 picks a free one)')
    .option('--host <address>', 'address to listen on (API_HOST, default 127.0.0.1; 0.0.0.0 in containers)')
    .option('--web <dir>', 'built dashboard folder served at / (default web/dist, when present)')
    .action((options: ServeOptions, command: Command) =>
      runCommand(command, async (ctx) => {
        const port = integerOption(options.port, '--port');
        const config = {
          ...ctx.config,
          ...(port !== undefined ? { API_PORT: port } : {}),
          ...(options.host !== undefined ? { API_HOST: options.host } : {}),
        };
        const { startServer } = await import('../../serve/server.js');
        const server = await startServer(config, ctx.log, {
          signals: false,
          ...(options.web !== undefined ? { webRoot: options.web } : {}),
        });
        ctx.out.info(
          server.dashboard
            ? `dcgrid dashboard at ${server.url}/ , API docs at ${server.url}/api/docs; Ctrl-C to stop`
            : `dcgrid API at ${server.url} (docs: ${server.url}/api/docs; no dashboard: build it with npm run build:web); Ctrl-C to stop`,
        );
        ctx.signal.addEventListener('abort', () => void server.close(), { once: true });
        await server.closed;
      }),
    );
}

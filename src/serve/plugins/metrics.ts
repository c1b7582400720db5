/**
 * Prometheus metrics at GET /metrics: requests and latencies per route, the age of each
 * champion's latest forecast, the champions' versions, the response cache, and the process.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../../store/store.js';
import type { ResponseCache } from './cache.js';

export function registerMetrics(app: FastifyInstance, deps: { store: Store; cache: ResponseCache }): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dcgrid_' });
  const requests = new Counter({
    name: 'dcgrid_http_requests_total',
    help: 'HTTP requests by route template, method and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dcgrid_http_request_duration_seconds',
    help: 'HTTP request duration by route template and method',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'dcgrid_forecast_age_seconds',
    help: "seconds since the champion's latest forecast for (region, target) was issued",
    labelNames: ['region', 'target', 'model', 'version'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await sql<{
        region: string;
        target: string;
        model: string;
        version: number;
        issued: Date;
      }>`
        SELECT m.region, m.target, m.model, m.version, max(f.issued_at) AS issued
        FROM dcgrid.models m
        JOIN dcgrid.forecasts f ON f.region = m.region AND f.target = m.target AND f.model = m.model AND f.version = m.version
        WHERE m.alias = 'champion'
        GROUP BY m.region, m.target, m.model, m.version`.execute(deps.store.db);
      for (const r of rows) {
        this.set(
          { region: r.region, target: r.target, model: r.model, version: String(r.version) },
          (Date.now() - new Date(r.issued).getTime()) / 1000,
        );
      }
    },
  });
  new Gauge({
    name: 'dcgrid_champion_version',
    help: 'the champion version of each (region, target) and its model',
    labelNames: ['region', 'target', 'model'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await deps.store.db
        .selectFrom('dcgrid.models')
        .select(['region', 'target', 'model', 'version'])
        .where('alias', '=', 'champion')
        .execute();
      for (const r of rows) this.set({ region: r.region, target: r.target, model: r.model }, r.version);
    },
  });
  new Gauge({
    name: 'dcgrid_response_cache_entries',
    help: 'answers held in the in-memory response cache',
    registers: [registry],
    collect() {
      this.set(deps.cache.size);
    },
  });
  new Counter({
    name: 'dcgrid_response_cache_invalidations_total',
    help: 'times the response cache was emptied because the data changed',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(deps.cache.invalidations);
    },
  });

  // Label sets are resolved once per (method, route, status): prom-client hashes labels on every
  // call otherwise, a measurable share of a cached answer's cost.
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let child = children.get(key);
    if (child === undefined) {
      child = {
        count: requests.labels(request.method, route, String(reply.statusCode)),
        time: duration.labels(request.method, route),
      };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

/**
 * Registry, runs and backtests: GET /api/models, /api/runs, /api/backtests (read); POST
 * /api/models/promote and /api/models/rollback (Bearer API_TOKEN).
 */
import { z } from 'zod';
import { loadBacktest } from '../../backtest/store.js';
import { versionJson } from '../../registry/version-json.js';
import type { RunStatusValue } from '../../store/schema/mlops.js';
import type { ApiApp, RouteContext } from '../context.js';
import { bearerSecurity, requireToken } from '../plugins/auth.js';
import {
  errorResponses,
  problemSchema,
  regionParam,
  resolveRegion,
  resolveTarget,
  targetParam,
} from '../schemas/common.js';

const finite = (v: number) => (Number.isFinite(v) ? v : null);

const versionSchema = z.object({
  region: z.string(),
  target: z.string(),
  model: z.string(),
  version: z.number().int(),
  alias: z.string(),
  artifactUri: z.string(),
  runId: z.string().nullable(),
  metrics: z.record(z.string(), z.number().nullable()),
  dataFingerprint: z.string(),
  createdAt: z.string(),
  mlflow: z.object({ name: z.string(), version: z.string().nullable() }).nullable(),
});

const eventSchema = z.object({
  eventId: z.number().int(),
  region: z.string(),
  target: z.string(),
  model: z.string(),
  version: z.number().int(),
  action: z.string(),
  alias: z.string(),
  reason: z.string(),
  runId: z.string().nullable(),
  createdAt: z.string(),
});

const aliasChangeSchema = z.object({
  region: z.string(),
  target: z.string(),
  champion: z.object({ model: z.string(), version: z.number().int() }),
  previous: z.object({ model: z.string(), version: z.number().int(), alias: z.string() }).optional(),
  changed: z.boolean(),
  reason: z.string(),
});

const writeErrors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};

export function registerModelRoutes(app: ApiApp, { deps }: RouteContext): void {
  const { registry, store, config } = deps;

  app.get(
    '/api/models',
    {
      schema: {
        tags: ['models'],
        summary: 'registered versions, champions and the promotion history',
        querystring: z.object({
          region: regionParam,
          target: targetParam.describe('filter by target (default: all)'),
        }),
        response: {
          200: z.object({
            champions: z.array(versionSchema),
            versions: z.array(versionSchema),
            history: z.array(eventSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const region = resolveRegion(request.query.region, config);
      const target =
        request.query.target === undefined ? undefined : resolveTarget(request.query.target, config);
      const versions = await registry.list({ region, ...(target ? { target } : {}) });
      const targets = [...new Set(versions.map((v) => v.target))];
      const history = (await Promise.all(targets.map((t) => registry.history({ region, target: t })))).flat();
      const json = versions.map(versionJson);
      return {
        champions: json.filter((v) => v.alias === 'champion'),
        versions: json,
        history: history
          .sort((a, b) => b.eventId - a.eventId)
          .map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
      };
    },
  );

  const guard = requireToken(config.API_TOKEN);
  app.post(
    '/api/models/promote',
    {
      preHandler: guard,
      schema: {
        tags: ['models'],
        summary: 'make a registered version champion (Bearer API_TOKEN)',
        security: bearerSecurity,
        body: z.object({
          region: regionParam,
          target: targetParam,
          model: z.string().regex(/^[a-z0-9]+$/),
          version: z.number().int().positive(),
          reason: z.string().max(500).optional(),
        }),
        response: { 200: aliasChangeSchema, ...writeErrors },
      },
    },
    async (request) => {
      const b = request.body;
      const region = resolveRegion(b.region, config);
      const target = resolveTarget(b.target, config);
      const change = await registry.promote(
        { region, target, model: b.model, version: b.version },
        b.reason ?? `promoted through the API (request ${request.id})`,
      );
      return change;
    },
  );

  app.post(
    '/api/models/rollback',
    {
      preHandler: guard,
      schema: {
        tags: ['models'],
        summary: 'put back the previous champion; the current one is retired (Bearer API_TOKEN)',
        security: bearerSecurity,
        body: z.object({ region: regionParam, target: targetParam }),
        response: { 200: aliasChangeSchema, ...writeErrors },
      },
    },
    async (request) => {
      const region = resolveRegion(request.body.region, config);
      const target = resolveTarget(request.body.target, config);
      return registry.rollback({ region, target });
    },
  );

  app.get(
    '/api/runs',
    {
      schema: {
        tags: ['models'],
        summary:
          'tracked runs (training, backtests, pipelines), newest first, with params and last metric values',
        querystring: z.object({
          name: z.string().max(250).optional().describe('run name, e.g. pipeline, train xgb demand_mw'),
          status: z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({
            runs: z.array(
              z.object({
                runId: z.string(),
                name: z.string(),
                status: z.string(),
                startTime: z.string(),
                endTime: z.string().nullable(),
                error: z.string().nullable(),
                params: z.record(z.string(), z.string()),
                metrics: z.record(z.string(), z.number().nullable()),
                tags: z.record(z.string(), z.string()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const runs = await store.db
        .selectFrom('dcgrid.runs')
        .selectAll()
        .$if(q.name !== undefined, (qb) => qb.where('name', '=', q.name!))
        .$if(q.status !== undefined, (qb) => qb.where('status', '=', q.status as RunStatusValue))
        .orderBy('start_time', 'desc')
        .limit(q.limit)
        .execute();
      const ids = runs.map((r) => r.run_id);
      const [params, metrics, tags] =
        ids.length === 0
          ? [[], [], []]
          : await Promise.all([
              store.db.selectFrom('dcgrid.run_params').selectAll().where('run_id', 'in', ids).execute(),
              store.db
                .selectFrom('dcgrid.run_metrics')
                .select(['run_id', 'key', 'value', 'step'])
                .where('run_id', 'in', ids)
                .orderBy('step')
                .execute(),
              store.db.selectFrom('dcgrid.run_tags').selectAll().where('run_id', 'in', ids).execute(),
            ]);
      const byRun = <T extends { run_id: string }>(rows: T[], id: string) =>
        rows.filter((r) => r.run_id === id);
      return {
        runs: runs.map((r) => ({
          runId: r.run_id,
          name: r.name,
          status: r.status,
          startTime: new Date(r.start_time).toISOString(),
          endTime: r.end_time === null ? null : new Date(r.end_time).toISOString(),
          error: r.error,
          params: Object.fromEntries(byRun(params, r.run_id).map((p) => [p.key, p.value])),
          // The last value of each metric (the end of a training curve; backtest metrics have one).
          metrics: Object.fromEntries(byRun(metrics, r.run_id).map((m) => [m.key, finite(Number(m.value))])),
          tags: Object.fromEntries(byRun(tags, r.run_id).map((t) => [t.key, t.value])),
        })),
      };
    },
  );

  app.get(
    '/api/backtests',
    {
      schema: {
        tags: ['models'],
        summary: 'backtests, newest first: metrics per model for day-ahead, week-ahead and each horizon hour',
        querystring: z.object({
          region: regionParam,
          target: targetParam.describe('filter by target (default: all)'),
          limit: z.coerce.number().int().min(1).max(50).default(5),
        }),
        response: {
          200: z.object({
            backtests: z.array(
              z.object({
                backtestId: z.string(),
                createdAt: z.string(),
                region: z.string(),
                target: z.string(),
                models: z.array(z.string()),
                horizonHours: z.number().int(),
                origins: z.number().int(),
                firstOrigin: z.string(),
                lastOrigin: z.string(),
                runId: z.string().nullable(),
                metrics: z.record(
                  z.string(),
                  z.object({
                    dayAhead: z.record(z.string(), z.number().nullable()),
                    weekAhead: z.record(z.string(), z.number().nullable()),
                    byHorizon: z
                      .record(z.string(), z.array(z.number().nullable()))
                      .describe('metric -> values for horizon hours 1..H'),
                  }),
                ),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const region = resolveRegion(q.region, config);
      const target = q.target === undefined ? undefined : resolveTarget(q.target, config);
      const headers = await store.db
        .selectFrom('dcgrid.backtests')
        .select('backtest_id')
        .where('region', '=', region)
        .$if(target !== undefined, (qb) => qb.where('target', '=', target!))
        .orderBy('created_at', 'desc')
        .limit(q.limit)
        .execute();
      const backtests = [];
      for (const { backtest_id } of headers) {
        const b = await loadBacktest(store.db, backtest_id);
        const clean = (values: Record<string, number>) =>
          Object.fromEntries(Object.entries(values).map(([k, v]) => [k, finite(v)]));
        backtests.push({
          backtestId: b.backtestId,
          createdAt: b.createdAt.toISOString(),
          region: b.region,
          target: b.target,
          models: b.models,
          horizonHours: b.horizon,
          origins: b.originCount,
          firstOrigin: b.firstOrigin.toISOString(),
          lastOrigin: b.lastOrigin.toISOString(),
          runId: b.runId,
          metrics: Object.fromEntries(
            Object.entries(b.metrics).map(([model, m]) => {
              const names = Object.keys(m.scopes.day_ahead);
              return [
                model,
                {
                  dayAhead: clean(m.scopes.day_ahead),
                  weekAhead: clean(m.scopes.week_ahead),
                  byHorizon: Object.fromEntries(
                    names.map((n) => [n, m.byHorizon.map((h) => finite((h as Record<string, number>)[n]!))]),
                  ),
                },
              ];
            }),
          ),
        });
      }
      return { backtests };
    },
  );
}

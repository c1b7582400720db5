/**
 * GET /api/models/{region}/{target}/{model}/{version}: one registered version as its metadata
 * describes it (features, parameters, training window, backtest metrics) with the model's own
 * explanations in `details`: XGBoost gain importance per quantile booster, TFT variable-selection
 * weights and attention. Read from the registry's copy of metadata.json (no artifact download).
 */
import { z } from 'zod';
import type { ApiApp, RouteContext } from '../context.js';
import { notFound } from '../errors.js';
import { errorResponses, resolveRegion, resolveTarget } from '../schemas/common.js';

const params = z.object({
  region: z.string().min(1).max(8).describe('IE, NI or ALL'),
  target: z.string().min(1).max(64).describe('forecast target, e.g. demand_mw'),
  model: z.string().regex(/^[a-z0-9]+$/, 'model names are lower-case letters and digits'),
  version: z.coerce.number().int().positive(),
});

const answer = z.object({
  region: z.string(),
  target: z.string(),
  model: z.string(),
  version: z.number().int(),
  alias: z.string(),
  runId: z.string().nullable(),
  createdAt: z.string(),
  metrics: z.record(z.string(), z.number().nullable()),
  features: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  horizon: z.number().int().nullable(),
  contextLength: z.number().int().nullable(),
  quantiles: z.array(z.number()),
  trainingWindow: z.object({ from: z.string(), to: z.string() }).nullable(),
  dataFingerprint: z.string(),
  details: z
    .record(z.string(), z.unknown())
    .describe(
      'model-specific: xgb gainImportance / totalGainImportance (quantile -> feature -> value); ' +
        'tft variableSelection (static / encoder / decoder weights) and attention',
    ),
});

interface StoredMetadata {
  features?: string[];
  params?: Record<string, unknown>;
  horizon?: number;
  contextLength?: number;
  quantiles?: number[];
  trainingWindow?: { from: string; to: string } | null;
  details?: Record<string, unknown>;
}

export function registerModelVersionRoutes(app: ApiApp, { deps }: RouteContext): void {
  app.get(
    '/api/models/:region/:target/:model/:version',
    {
      schema: {
        tags: ['models'],
        summary: 'one registered version: metadata, metrics and explanations (importance, variable weights)',
        params,
        response: { 200: answer, ...errorResponses },
      },
    },
    async (request) => {
      const p = request.params;
      const region = resolveRegion(p.region, deps.config);
      const target = resolveTarget(p.target, deps.config);
      const row = await deps.store.db
        .selectFrom('dcgrid.models')
        .selectAll()
        .where('region', '=', region)
        .where('target', '=', target)
        .where('model', '=', p.model)
        .where('version', '=', p.version)
        .executeTakeFirst();
      if (row === undefined) throw notFound(`no version ${p.model} v${p.version} of ${region}/${target}`);
      const json = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);
      const metadata = (json(row.metadata) ?? {}) as StoredMetadata;
      return {
        region,
        target,
        model: row.model,
        version: row.version,
        alias: row.alias,
        runId: row.run_id,
        createdAt: new Date(row.created_at).toISOString(),
        metrics: (json(row.metrics) ?? {}) as Record<string, number | null>,
        features: metadata.features ?? [],
        params: metadata.params ?? {},
        horizon: metadata.horizon ?? null,
        contextLength: metadata.contextLength ?? null,
        quantiles: metadata.quantiles ?? [],
        trainingWindow: metadata.trainingWindow ?? null,
        dataFingerprint: row.data_fingerprint,
        details: metadata.details ?? {},
      };
    },
  );
}

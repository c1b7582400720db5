/**
 * Backtest results in the store: one row in dcgrid.backtests (settings, origins, timings) and the
 * metric values in dcgrid.backtest_metrics, written in one transaction (all or nothing).
 */
import type { Kysely } from 'kysely';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { copyChunks, type CopyValue } from '../store/copy-text.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/store.js';
import { SCOPES, type BacktestResult, type Scope } from './engine.js';
import { EVENT_METRIC_NAMES } from './event-metrics.js';
import { METRIC_NAMES, type MetricName, type MetricValues } from './metrics.js';

const METRIC_COLUMNS = ['backtest_id', 'model', 'scope', 'horizon_h', 'metric', 'value'] as const;

/** Every metric value of a result as backtest_metrics rows (NaN becomes NULL). */
export function* metricRows(result: BacktestResult): Generator<CopyValue[]> {
  const rowsOf = function* (model: string, scope: string, horizon: number, values: MetricValues) {
    for (const metric of METRIC_NAMES)
      yield [result.backtestId, model, scope, horizon, metric, values[metric]];
  };
  for (const entry of result.models) {
    for (const [h, values] of entry.byHorizon.entries()) yield* rowsOf(entry.model, 'horizon', h + 1, values);
    for (const scope of Object.keys(SCOPES) as Scope[]) {
      yield* rowsOf(entry.model, scope, 0, entry.scopes[scope]);
      // Event classifiers: their pooled event metrics, named event_<metric> (docs/BACKTESTING.md).
      const events = entry.events?.[scope].metrics;
      if (events !== undefined) {
        for (const metric of EVENT_METRIC_NAMES)
          yield [result.backtestId, entry.model, scope, 0, `event_${metric}`, events[metric]];
      }
    }
  }
}

/** Writes a backtest and its metrics in one transaction; returns the number of metric rows. */
export async function saveBacktest(
  store: Store,
  result: BacktestResult,
  runId: string | null = null,
): Promise<number> {
  const { config, origins } = result;
  let count = 0;
  const counted = function* () {
    for (const row of metricRows(result)) {
      count++;
      yield row;
    }
  };
  await store.transaction(async (tx) => {
    await tx.db
      .insertInto('dcgrid.backtests')
      .values({
        backtest_id: result.backtestId,
        created_at: result.createdAt,
        region: config.region,
        target: config.target,
        models: result.models.map((m) => m.model),
        horizon_h: config.horizon,
        origins: origins.length,
        first_origin: new Date(origins[0]!),
        last_origin: new Date(origins.at(-1)!),
        refit_every_h: config.refitEveryH,
        config: JSON.stringify({
          ...config,
          originTimes: origins.map((o) => new Date(o).toISOString()),
          frame: {
            from: new Date(result.frame.from).toISOString(),
            to: new Date(result.frame.to).toISOString(),
          },
          seconds: result.seconds,
          models: result.models.map(({ model, fits, fitSeconds, forecastSeconds }) => ({
            model,
            fits,
            fitSeconds,
            forecastSeconds,
          })),
        }),
        run_id: runId,
      })
      .execute();
    await tx.copyIn('dcgrid.backtest_metrics', METRIC_COLUMNS, copyChunks(counted(), 5_000));
  });
  return count;
}

export interface StoredBacktest {
  backtestId: string;
  createdAt: Date;
  region: string;
  target: string;
  models: string[];
  horizon: number;
  originCount: number;
  firstOrigin: Date;
  lastOrigin: Date;
  refitEveryH: number;
  config: Record<string, unknown>;
  runId: string | null;
  /** metrics[model]: the pooled scopes and the per-hour values (index h - 1); NULL reads back as NaN. */
  metrics: Record<string, { scopes: Record<Scope, MetricValues>; byHorizon: MetricValues[] }>;
}

function emptyValues(): MetricValues {
  return Object.fromEntries(METRIC_NAMES.map((name) => [name, Number.NaN])) as MetricValues;
}

/** Reads a stored backtest back; NOT_FOUND when there is none with that id. */
export async function loadBacktest(db: Kysely<Database>, backtestId: string): Promise<StoredBacktest> {
  const header = await db
    .selectFrom('dcgrid.backtests')
    .selectAll()
    .where('backtest_id', '=', backtestId)
    .executeTakeFirst();
  if (header === undefined)
    throw new DcgridError(ErrorCodes.NOT_FOUND, `No backtest ${backtestId} in the store.`);
  const rows = await db
    .selectFrom('dcgrid.backtest_metrics')
    .select(['model', 'scope', 'horizon_h', 'metric', 'value'])
    .where('backtest_id', '=', backtestId)
    .execute();
  const metrics: StoredBacktest['metrics'] = {};
  for (const model of header.models) {
    metrics[model] = {
      scopes: { day_ahead: emptyValues(), week_ahead: emptyValues() },
      byHorizon: Array.from({ length: header.horizon_h }, emptyValues),
    };
  }
  for (const row of rows) {
    const entry = metrics[row.model];
    if (entry === undefined) continue;
    const target =
      row.scope === 'horizon' ? entry.byHorizon[row.horizon_h - 1] : entry.scopes[row.scope as Scope];
    if (target !== undefined)
      target[row.metric as MetricName] = row.value === null ? Number.NaN : Number(row.value);
  }
  const config = (typeof header.config === 'string' ? JSON.parse(header.config) : header.config) as Record<
    string,
    unknown
  >;
  return {
    backtestId: header.backtest_id,
    createdAt: header.created_at,
    region: header.region,
    target: header.target,
    models: header.models,
    horizon: header.horizon_h,
    originCount: header.origins,
    firstOrigin: header.first_origin,
    lastOrigin: header.last_origin,
    refitEveryH: header.refit_every_h,
    config,
    runId: header.run_id,
    metrics,
  };
}

/**
 * Issuing a forecast: the champion (or a named version) of a (region, target) forecasts the
 * `horizon` hours after the last observed hour; the rows go to dcgrid.forecasts with the version
 * and the run that trained it. Issuing the same forecast again replaces it row for row.
 */
import { sql } from 'kysely';
import type { Region } from '../config/config.js';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { getModelFactory, modelInputColumns } from '../models/catalog.js';
import { forecastAt, quantileRow } from '../models/harness.js';
import { DEFAULT_QUANTILES, type Forecast } from '../models/types.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { ModelVersionRecord, VersionRef } from '../registry/types.js';
import { copyChunks } from '../store/copy-text.js';
import type { Store } from '../store/store.js';
import { loadTargetFrame, nextHour } from './training-data.js';

export interface ForecastRequest {
  region: Region;
  target: string;
  horizon: number;
  /** A model's version (its newest when `version` is absent); default: the champion. */
  version?: { model: string; version?: number };
  /** Issue from this origin instead of the hour after the last observed one (backfills). */
  origin?: number;
  /** Forecast as if the store ended here: only hours that start before it count (UTC epoch ms). */
  asOf?: number;
}

export interface IssuedForecast {
  version: ModelVersionRecord;
  forecast: Forecast;
  rowsWritten: number;
}

export async function issueForecast(
  deps: { store: Store; registry: ModelRegistry },
  request: ForecastRequest,
): Promise<IssuedForecast> {
  const { store, registry } = deps;
  const { region, target, horizon } = request;
  let ref: VersionRef;
  if (request.version !== undefined) {
    const { model } = request.version;
    getModelFactory(model); // an unknown name is a settings error before any lookup
    ref = {
      region,
      target,
      model,
      version: request.version.version ?? (await newestVersion(registry, { region, target, model })),
    };
  } else {
    const champion = await registry.getChampion({ region, target });
    if (champion === undefined) {
      throw new DcgridError(
        ErrorCodes.NOT_FOUND,
        `no champion model for ${target} in ${region}: train one first (dcgrid train --target ${target})`,
      );
    }
    ref = champion;
  }
  const { record, files, metadata } = await registry.loadVersion(ref);
  const factory = getModelFactory(record.model);
  const model = await factory.load(files);
  try {
    const data = await loadTargetFrame(store, {
      region,
      target,
      columns: modelInputColumns(metadata.params, record.model),
      ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
    });
    const origin = request.origin ?? nextHour(data.lastObserved);
    const forecast = await forecastAt(model, data.frame, origin, { horizon, quantiles: DEFAULT_QUANTILES });
    const p10 = quantileRow(forecast, 0.1);
    const p50 = quantileRow(forecast, 0.5);
    const p90 = quantileRow(forecast, 0.9);
    const rows = Array.from(forecast.ts, (ts, h) => [
      region,
      target,
      record.model,
      record.version,
      new Date(origin),
      new Date(ts),
      p10[h]!,
      p50[h]!,
      p90[h]!,
      forecast.probability?.[h] ?? null,
      record.runId,
    ]);
    const rowsWritten = await store.transaction(async (tx) => {
      await tx.db
        .deleteFrom('dcgrid.forecasts')
        .where('region', '=', region)
        .where('target', '=', target)
        .where('model', '=', record.model)
        .where('version', '=', record.version)
        .where('origin', '=', new Date(origin))
        .execute();
      await tx.copyIn(
        'dcgrid.forecasts',
        [
          'region',
          'target',
          'model',
          'version',
          'origin',
          'ts_utc',
          'p10',
          'p50',
          'p90',
          'probability',
          'run_id',
        ],
        copyChunks(rows),
      );
      return rows.length;
    });
    return { version: record, forecast, rowsWritten };
  } finally {
    model.dispose();
  }
}

async function newestVersion(
  registry: ModelRegistry,
  series: { region: Region; target: string; model: string },
): Promise<number> {
  const versions = await registry.list(series);
  const newest = Math.max(...versions.map((v) => v.version));
  if (!Number.isFinite(newest)) {
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `no ${series.model} version is registered for ${series.target} in ${series.region}: ` +
        `train one first (dcgrid train --model ${series.model} --target ${series.target})`,
    );
  }
  return newest;
}

/** The latest forecast issued for a (region, target) by its current champion (what the API serves). */
export async function latestChampionForecast(
  deps: { store: Store; registry: ModelRegistry },
  series: { region: Region; target: string },
) {
  const champion = await deps.registry.getChampion(series);
  if (champion === undefined) return undefined;
  const latest = await deps.store.db
    .selectFrom('dcgrid.forecasts')
    .select((eb) => eb.fn.max('origin').as('origin'))
    .where('region', '=', series.region)
    .where('target', '=', series.target)
    .where('model', '=', champion.model)
    .where('version', '=', champion.version)
    .executeTakeFirst();
  if (latest?.origin == null) return undefined;
  const rows = await deps.store.db
    .selectFrom('dcgrid.forecasts')
    .select(['ts_utc', 'p10', 'p50', 'p90', 'run_id'])
    .where('region', '=', series.region)
    .where('target', '=', series.target)
    .where('model', '=', champion.model)
    .where('version', '=', champion.version)
    .where(sql<boolean>`origin = ${latest.origin}`)
    .orderBy('ts_utc')
    .execute();
  return { champion, origin: latest.origin as Date, rows };
}

/**
 * Reading issued forecasts back: the latest forecast of the champion (or of a named version) of a
 * (region, target), with the hour the data behind it ended. Reads dcgrid.forecasts only.
 */
import { sql } from 'kysely';
import type { ForecastTarget, Region } from '../../config/config.js';
import type { ModelRegistry } from '../../registry/registry.js';
import type { ModelVersionRecord } from '../../registry/types.js';
import type { Store } from '../../store/store.js';
import { notFound } from '../errors.js';

export const TARGET_UNITS: Record<ForecastTarget, string> = {
  dc_load_mw: 'MW',
  demand_mw: 'MW',
  wind_mw: 'MW',
  solar_mw: 'MW',
  net_load_mw: 'MW',
  price_eur_mwh: 'EUR/MWh',
  co2_intensity: 'gCO2/kWh',
  stress_score: 'z',
  stress_event: 'probability',
};

export interface ForecastPoint {
  ts: Date;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** P(event) of an event classifier (target stress_event); null for quantile forecasts. */
  probability: number | null;
}

export interface StoredForecast {
  region: Region;
  target: ForecastTarget;
  version: ModelVersionRecord;
  origin: Date;
  issuedAt: Date;
  /** The last hour with an observed value of the target (the data's freshness). */
  lastObserved: Date | null;
  points: ForecastPoint[];
}

export interface ForecastSelector {
  region: Region;
  target: ForecastTarget;
  model?: string | undefined;
  version?: number | undefined;
}

/** The version a request means: the champion, a model's latest version, or a model's given version. */
export async function selectVersion(
  registry: ModelRegistry,
  selector: ForecastSelector,
): Promise<ModelVersionRecord> {
  const { region, target, model, version } = selector;
  if (model === undefined) {
    const champion = await registry.getChampion({ region, target });
    if (champion === undefined)
      throw notFound(`no champion model for ${target} in ${region}: run the pipeline for this target first`);
    return champion;
  }
  const versions = await registry.list({ region, target, model });
  if (versions.length === 0) throw notFound(`unknown model "${model}" for ${target} in ${region}`);
  if (version === undefined) return versions[0]!;
  const found = versions.find((v) => v.version === version);
  if (found === undefined)
    throw notFound(
      `${model} has no version ${version} for ${target} in ${region} (has ${versions.map((v) => v.version).join(', ')})`,
    );
  return found;
}

export async function lastObservedHour(
  store: Store,
  region: Region,
  column: ForecastTarget,
): Promise<Date | null> {
  const row = await store.db
    .selectFrom('dcgrid.features_hourly')
    .select((eb) => eb.fn.max('ts_utc').as('last'))
    .where('region', '=', region)
    .where(sql.ref(column), 'is not', null)
    .executeTakeFirst();
  return row?.last == null ? null : new Date(row.last);
}

/** The latest forecast of the selected version, or undefined when it has issued none. */
export async function readLatestForecast(
  deps: { store: Store; registry: ModelRegistry },
  selector: ForecastSelector,
): Promise<StoredForecast | undefined> {
  const { store } = deps;
  const version = await selectVersion(deps.registry, selector);
  const { region, target } = selector;
  const latest = await store.db
    .selectFrom('dcgrid.forecasts')
    .select((eb) => eb.fn.max('origin').as('origin'))
    .where('region', '=', region)
    .where('target', '=', target)
    .where('model', '=', version.model)
    .where('version', '=', version.version)
    .executeTakeFirst();
  if (latest?.origin == null) return undefined;
  const origin = new Date(latest.origin);
  const rows = await store.db
    .selectFrom('dcgrid.forecasts')
    .select(['ts_utc', 'p10', 'p50', 'p90', 'probability', 'issued_at'])
    .where('region', '=', region)
    .where('target', '=', target)
    .where('model', '=', version.model)
    .where('version', '=', version.version)
    .where('origin', '=', origin)
    .orderBy('ts_utc')
    .execute();
  const issuedAt = rows.reduce((max, r) => (r.issued_at > max ? r.issued_at : max), rows[0]!.issued_at);
  return {
    region,
    target,
    version,
    origin,
    issuedAt: new Date(issuedAt),
    lastObserved: await lastObservedHour(store, region, target),
    points: rows.map((r) => ({
      ts: new Date(r.ts_utc),
      p10: r.p10,
      p50: r.p50,
      p90: r.p90,
      probability: r.probability,
    })),
  };
}

/** Like readLatestForecast, but a missing forecast is a 404 that says what to do. */
export async function requireLatestForecast(
  deps: { store: Store; registry: ModelRegistry },
  selector: ForecastSelector,
): Promise<StoredForecast> {
  const forecast = await readLatestForecast(deps, selector);
  if (forecast === undefined) {
    const who = selector.model ?? 'its champion';
    throw notFound(
      `no forecast issued for ${selector.target} in ${selector.region} by ${who} yet: run dcgrid forecast`,
    );
  }
  return forecast;
}

export function clipPoints(points: ForecastPoint[], from?: Date, to?: Date): ForecastPoint[] {
  if (from === undefined && to === undefined) return points;
  const lo = from?.getTime() ?? -Infinity;
  const hi = to?.getTime() ?? Infinity;
  return points.filter((p) => p.ts.getTime() >= lo && p.ts.getTime() < hi);
}

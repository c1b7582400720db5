/**
 * Stress alerts: observed hours whose stored stress_score is at or above the threshold, with each
 * stored component's part of the score (docs/FEATURES.md, stress_score), and the hours the
 * stress_score champion forecasts above it.
 */
import { sql } from 'kysely';
import type { Config, Region } from '../../config/config.js';
import {
  STRESS_COMPONENT_COLUMNS,
  STRESS_COMPONENTS,
  stressBand,
  stressBandFloors,
  type StressComponent,
  type StressComponentColumn,
} from '../../features/stress.js';
import type { ModelRegistry } from '../../registry/registry.js';
import type { Store } from '../../store/store.js';
import { readLatestForecast, lastObservedHour } from './forecasts.js';

const HOUR = 3_600_000;

export type Band = 'normal' | 'elevated' | 'high' | 'critical';

/** Bands around the alert threshold T: the features' one definition (stressBandFloors), as the stored stress_band. */
export const bandFloors = stressBandFloors;

export function bandOf(score: number | null, threshold: number): Band | null {
  return score === null ? null : stressBand(score, threshold);
}

export interface ComponentPart {
  /** The component as stored (stress_<component> columns, score units). */
  value: number | null;
  /** Its weighted part of the score: w_i c_i / sqrt(sum w_j^2 over the components present). */
  contribution: number | null;
}

export interface ObservedAlert {
  ts: Date;
  score: number;
  band: Band;
  partial: boolean;
  components: Record<StressComponent, ComponentPart>;
  /** Components that pushed the score up, largest part first. */
  drivers: StressComponent[];
}

export interface ForecastAlert {
  ts: Date;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  band: Band | null;
  /** expected: the median is at or above the threshold; possible: only P90 is. */
  level: 'expected' | 'possible';
  /** P(stress_event) in the hour from the stress_event champion's latest forecast; null where it has none. */
  eventProbability: number | null;
}

export interface StressAlerts {
  region: Region;
  threshold: number;
  from: Date;
  to: Date;
  lastObserved: Date | null;
  observed: ObservedAlert[];
  forecast:
    | { model: string; version: number; origin: Date; issuedAt: Date; hours: ForecastAlert[] }
    | { missing: string };
  /** The event classifier whose probabilities the forecast hours carry, or why there is none. */
  events:
    | { model: string; version: number; origin: Date; issuedAt: Date; alertProbability: number }
    | { missing: string };
}

type StressRow = { ts_utc: Date; stress_score: number; flags: string[] } & Record<
  StressComponentColumn,
  number | null
>;

export async function readStressAlerts(
  deps: {
    store: Store;
    registry: ModelRegistry;
    config: Pick<Config, 'STRESS_WEIGHTS'> & Partial<Pick<Config, 'STRESS_EVENT_ALERT_PROBABILITY'>>;
  },
  request: { region: Region; threshold: number; from?: Date | undefined; to?: Date | undefined },
): Promise<StressAlerts> {
  const { store, config } = deps;
  const { region, threshold } = request;
  const lastObserved = await lastObservedHour(store, region, 'stress_score');
  const forecast = await readLatestForecast(deps, { region, target: 'stress_score' }).catch(() => undefined);
  const eventForecast = await readLatestForecast(deps, { region, target: 'stress_event' }).catch(
    () => undefined,
  );
  const probabilities = new Map<number, number>();
  for (const p of eventForecast?.points ?? []) {
    if (p.probability !== null) probabilities.set(p.ts.getTime(), p.probability);
  }
  const latest = lastObserved?.getTime() ?? Date.now();
  const from = request.from ?? new Date(latest - 6 * 24 * HOUR - 23 * HOUR);
  const to = request.to ?? new Date(forecast ? forecast.points.at(-1)!.ts.getTime() + HOUR : latest + HOUR);

  // The stored components (written with the score by the feature build and rebuild-stress).
  const columns = STRESS_COMPONENTS.map((c) => sql.ref(STRESS_COMPONENT_COLUMNS[c]));
  const { rows } = await sql<StressRow>`
    SELECT ts_utc, stress_score, flags, ${sql.join(columns)}
    FROM dcgrid.features_hourly
    WHERE region = ${region} AND ts_utc >= ${from} AND ts_utc < ${to} AND stress_score >= ${threshold}
    ORDER BY ts_utc`.execute(store.db);
  const weights = config.STRESS_WEIGHTS;
  const observed: ObservedAlert[] = rows.map((r) => {
    const value = (c: StressComponent) => r[STRESS_COMPONENT_COLUMNS[c]];
    const present = STRESS_COMPONENTS.filter((c) => weights[c] > 0 && value(c) !== null);
    const norm = Math.sqrt(present.reduce((sum, c) => sum + weights[c] ** 2, 0));
    const parts = Object.fromEntries(
      STRESS_COMPONENTS.map((c) => {
        const v = value(c);
        return [
          c,
          {
            value: v,
            contribution: v !== null && weights[c] > 0 && norm > 0 ? (weights[c] * v) / norm : null,
          },
        ];
      }),
    ) as Record<StressComponent, ComponentPart>;
    const drivers = STRESS_COMPONENTS.filter((c) => (parts[c].contribution ?? 0) > 0).sort(
      (a, b) => parts[b].contribution! - parts[a].contribution!,
    );
    return {
      ts: new Date(r.ts_utc),
      score: r.stress_score,
      band: bandOf(r.stress_score, threshold)!,
      partial: r.flags.includes('stress_partial'),
      components: parts,
      drivers,
    };
  });

  const forecastPart: StressAlerts['forecast'] =
    forecast === undefined
      ? {
          missing: `no stress_score forecast for ${region}: the pipeline keeps one when TARGETS includes stress_score`,
        }
      : {
          model: forecast.version.model,
          version: forecast.version.version,
          origin: forecast.origin,
          issuedAt: forecast.issuedAt,
          hours: forecast.points
            .filter((p) => p.ts >= from && p.ts < to && (p.p90 ?? p.p50 ?? -Infinity) >= threshold)
            .map(({ probability: _quantileForecast, ...p }) => ({
              ...p,
              band: bandOf(p.p50, threshold),
              level: p.p50 !== null && p.p50 >= threshold ? ('expected' as const) : ('possible' as const),
              eventProbability: probabilities.get(p.ts.getTime()) ?? null,
            })),
        };
  const events: StressAlerts['events'] =
    eventForecast === undefined || probabilities.size === 0
      ? {
          missing: `no stress_event forecast for ${region}: the pipeline keeps one when TARGETS includes stress_event (model xgbevent)`,
        }
      : {
          model: eventForecast.version.model,
          version: eventForecast.version.version,
          origin: eventForecast.origin,
          issuedAt: eventForecast.issuedAt,
          alertProbability: config.STRESS_EVENT_ALERT_PROBABILITY ?? 0.3,
        };
  return { region, threshold, from, to, lastObserved, observed, forecast: forecastPart, events };
}

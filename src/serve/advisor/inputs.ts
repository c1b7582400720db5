/**
 * The advisor's hourly inputs over a window: what is known where it is known (stored hours of
 * price_eur_mwh, which include the SEM day-ahead prices once published for the next day, and
 * observed co2_intensity / stress_score), and the champions' latest forecasts beyond.
 */
import { sql } from 'kysely';
import type { Region } from '../../config/config.js';
import type { ModelRegistry } from '../../registry/registry.js';
import type { Store } from '../../store/store.js';
import { readLatestForecast } from '../queries/forecasts.js';
import { HOUR_MS, type Band, type HourInputs, type Quantity } from './plan.js';

export const QUANTITY_TARGET = {
  price: 'price_eur_mwh',
  carbon: 'co2_intensity',
  stress: 'stress_score',
} as const satisfies Record<Quantity, string>;

/** Which hours of a quantity came from where. */
export interface SourceSpan {
  from: number;
  to: number;
  source: 'day-ahead' | 'observed' | 'forecast' | 'missing';
  model?: string;
  version?: number;
  origin?: number;
}

export interface WindowInputs {
  hours: HourInputs[];
  sources: Record<Quantity, SourceSpan[]>;
}

export async function loadWindowInputs(
  deps: { store: Store; registry: ModelRegistry },
  request: { region: Region; from: number; to: number },
): Promise<WindowInputs> {
  const { region, from, to } = request;
  const count = Math.round((to - from) / HOUR_MS);
  const hours: HourInputs[] = Array.from({ length: count }, (_, h) => ({ ts: from + h * HOUR_MS }));
  const labels: Record<Quantity, Array<Omit<SourceSpan, 'from' | 'to'>>> = {
    price: hours.map(() => ({ source: 'missing' as const })),
    carbon: hours.map(() => ({ source: 'missing' as const })),
    stress: hours.map(() => ({ source: 'missing' as const })),
  };
  const { rows } = await sql<{
    ts_utc: Date;
    price_eur_mwh: number | null;
    co2_intensity: number | null;
    stress_score: number | null;
  }>`
    SELECT ts_utc, price_eur_mwh, co2_intensity, stress_score FROM dcgrid.features_hourly
    WHERE region = ${region} AND ts_utc >= ${new Date(from)} AND ts_utc < ${new Date(to)}`.execute(
    deps.store.db,
  );
  for (const row of rows) {
    const h = Math.round((new Date(row.ts_utc).getTime() - from) / HOUR_MS);
    for (const [q, target] of Object.entries(QUANTITY_TARGET) as Array<[Quantity, keyof typeof row]>) {
      const value = row[target] as number | null;
      if (value === null) continue;
      hours[h]![q] = { p10: value, p50: value, p90: value };
      labels[q][h] = { source: q === 'price' ? 'day-ahead' : 'observed' };
    }
  }
  for (const [q, target] of Object.entries(QUANTITY_TARGET) as Array<
    [Quantity, (typeof QUANTITY_TARGET)[Quantity]]
  >) {
    if (hours.every((h) => h[q] !== undefined)) continue;
    const forecast = await readLatestForecast(deps, { region, target }).catch(() => undefined);
    if (forecast === undefined) continue;
    for (const point of forecast.points) {
      const h = Math.round((point.ts.getTime() - from) / HOUR_MS);
      if (h < 0 || h >= count || hours[h]![q] !== undefined || point.p50 === null) continue;
      const band: Band = { p10: point.p10 ?? point.p50, p50: point.p50, p90: point.p90 ?? point.p50 };
      hours[h]![q] = band;
      labels[q][h] = {
        source: 'forecast',
        model: forecast.version.model,
        version: forecast.version.version,
        origin: forecast.origin.getTime(),
      };
    }
  }
  const spans = (q: Quantity): SourceSpan[] => {
    const out: SourceSpan[] = [];
    labels[q].forEach((label, h) => {
      const last = out.at(-1);
      const ts = from + h * HOUR_MS;
      if (
        last !== undefined &&
        last.to === ts &&
        last.source === label.source &&
        last.version === label.version &&
        last.model === label.model
      ) {
        last.to = ts + HOUR_MS;
      } else {
        out.push({ ...label, from: ts, to: ts + HOUR_MS });
      }
    });
    return out;
  };
  return { hours, sources: { price: spans('price'), carbon: spans('carbon'), stress: spans('stress') } };
}

/**
 * Writes metered load in the telemetry CSV format parseTelemetryCsv reads. Used for test fixtures
 * and the offline demo data.
 */
import type { Region } from '../../config/config.js';
import { utcToIrishWallMs } from '../../lib/time.js';
import { csvField } from '../csv-lines.js';
import type { Observation } from '../types.js';

export interface TelemetryRow {
  tsUtc: number;
  mw: number | null;
  site?: string;
  region?: Region;
}

/**
 * How to write timestamps: `utc` ("2025-07-01T12:00:00Z"), `offset` (Irish local time with its
 * offset, "2025-07-01T13:00:00+01:00") or `naive-local` (Irish local time without an offset, the
 * way many meter exports write it; the repeated autumn hour is then written twice, in time order).
 */
export type TimestampStyle = 'utc' | 'offset' | 'naive-local';

export function writeTelemetryCsv(rows: readonly TelemetryRow[], style: TimestampStyle = 'utc'): string {
  const withSite = rows.some((r) => r.site !== undefined);
  const withRegion = rows.some((r) => r.region !== undefined);
  const header = ['timestamp', 'mw', ...(withSite ? ['site'] : []), ...(withRegion ? ['region'] : [])];
  const lines = [header.join(',')];
  for (const row of rows) {
    const cells = [formatTimestamp(row.tsUtc, style), row.mw === null ? '' : String(row.mw)];
    if (withSite) cells.push(csvField(row.site ?? ''));
    if (withRegion) cells.push(row.region ?? '');
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Telemetry rows from `dc_load_mw` observations (one site, the observation's region). */
export function telemetryRowsOf(observations: readonly Observation[]): TelemetryRow[] {
  return observations
    .filter((o) => o.series === 'dc_load_mw')
    .map((o) => ({ tsUtc: o.tsUtc, mw: o.value, region: o.region }));
}

function formatTimestamp(tsUtc: number, style: TimestampStyle): string {
  if (style === 'utc') return `${new Date(tsUtc).toISOString().slice(0, 19)}Z`;
  const wall = utcToIrishWallMs(tsUtc);
  const local = new Date(wall).toISOString().slice(0, 19);
  if (style === 'naive-local') return local.replace('T', ' ');
  return `${local}${wall === tsUtc ? '+00:00' : '+01:00'}`;
}

/**
 * Writes price observations in Ember's own per-country CSV format, late timestamps included, so a
 * written file reads back through parseEmberCsv to the same true-time prices. Used for test
 * fixtures and the offline demo data.
 */
import { HOUR_MS, utcToIrishWallMs } from '../../lib/time.js';
import type { Observation } from '../types.js';
import { EMBER_TIMESTAMP_LAG_MS } from './parse.js';

export const EMBER_HEADER = 'Country,ISO3 Code,Datetime (UTC),Datetime (Local),Price (EUR/MWhe)';

export interface EmberWriteOptions {
  /** How late to write the timestamps; Ember's real Irish file is 24 h late. */
  lagMs?: number;
}

/** Hourly `price_eur_mwh` records (true UTC hour starts) to Ember's Ireland.csv text. */
export function writeEmberCsv(records: readonly Observation[], options: EmberWriteOptions = {}): string {
  const lag = options.lagMs ?? EMBER_TIMESTAMP_LAG_MS;
  const prices = records
    .filter((r) => r.series === 'price_eur_mwh' && r.intervalMin === 60 && r.tsUtc % HOUR_MS === 0)
    .sort((a, b) => a.tsUtc - b.tsUtc);
  const lines = [EMBER_HEADER];
  for (const { tsUtc, value } of prices) {
    const emberUtc = tsUtc + lag;
    lines.push(
      `Ireland,IRL,${formatNaive(emberUtc)},${formatNaive(utcToIrishWallMs(emberUtc))},${formatPrice(value)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatNaive(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Ember writes floats the way pandas does: whole numbers keep one decimal ("146.0"). */
function formatPrice(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/**
 * Cross-checks Ember's Irish prices against SEMOpx's own day-ahead results on the overlap of the
 * two real files, to keep the 24-hour correction and the half-hour rule honest.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../lib/time.js';
import { parseSemopxFile } from '../semopx/parse.js';
import type { Observation } from '../types.js';
import { EMBER_TIMESTAMP_LAG_MS, parseEmberFile, SEM_HALF_HOURLY_FROM_UTC } from './parse.js';

const RAW = fileURLToPath(new URL('../../../../shared/data/raw/', import.meta.url));

let ember: Observation[];
let semopx: Map<number, Observation>;

beforeAll(async () => {
  ember = (await parseEmberFile(`${RAW}ember/Ireland.csv`)).records.filter((r) => r.value !== null);
  const sem = await parseSemopxFile(`${RAW}semopx/semopx_day_ahead_index_prices_2025-01-01_2026-02-04.csv`);
  semopx = new Map(
    sem.records.filter((r) => r.region === 'IE' && r.series === 'price_eur_mwh').map((r) => [r.tsUtc, r]),
  );
});

function matchShare(shiftMs: number): { matches: number; compared: number } {
  let matches = 0;
  let compared = 0;
  for (const hour of ember) {
    if (hour.tsUtc >= SEM_HALF_HOURLY_FROM_UTC) continue;
    const unit = semopx.get(hour.tsUtc + shiftMs);
    if (unit === undefined || unit.intervalMin !== 60) continue;
    compared++;
    if (unit.value === hour.value) matches++;
  }
  return { matches, compared };
}

describe("Ember's Irish timestamps against SEMOpx", () => {
  it('match SEMOpx hour for hour once shifted back 24 h, and almost never without the shift', () => {
    const corrected = matchShare(0);
    expect(corrected.compared).toBeGreaterThan(6_000);
    expect(corrected.matches / corrected.compared).toBeGreaterThan(0.98);
    const asPublished = matchShare(EMBER_TIMESTAMP_LAG_MS);
    expect(asPublished.matches / asPublished.compared).toBeLessThan(0.01);
  });

  it("carry the first half-hour's price, not the hour's mean, in the half-hourly era", () => {
    let first = 0;
    let mean = 0;
    let compared = 0;
    for (const hour of ember) {
      const a = semopx.get(hour.tsUtc);
      const b = semopx.get(hour.tsUtc + HOUR_MS / 2);
      if (hour.tsUtc < SEM_HALF_HOURLY_FROM_UTC || a?.value == null || b?.value == null) continue;
      compared++;
      if (a.value === hour.value) first++;
      if (Math.abs((a.value + b.value) / 2 - (hour.value as number)) < 0.005 && a.value !== b.value) mean++;
    }
    expect(compared).toBeGreaterThan(2_500);
    expect(first / compared).toBeGreaterThan(0.9);
    expect(mean / compared).toBeLessThan(0.05);
  });
});

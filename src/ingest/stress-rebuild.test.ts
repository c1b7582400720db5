import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures, type FeatureRow } from '../features/build.js';
import { stressBand } from '../features/stress.js';
import { regular } from '../features/test-support/points.js';
import { failure } from '../lib/test-support/errors.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { writeFeatures } from './features-store.js';
import { rebuildStress } from './stress-rebuild.js';

// Thirteen months of hourly IE data from 1 Jan 2022, so that every component has its reference.
const T0 = Date.UTC(2022, 0, 1);
const HOURS = 8760 + 24 * 40;
const series = [
  regular(
    'dashboard',
    'demand_mw',
    'IE',
    T0,
    60,
    HOURS,
    (i) => 4000 + 800 * Math.sin((2 * Math.PI * i) / 24) + i / 50,
  ),
  regular('dashboard', 'wind_mw', 'IE', T0, 60, HOURS, (i) => 1500 + 1400 * Math.sin(i / 37)),
  regular('dashboard', 'snsp', 'ALL', T0, 60, HOURS, (i) => 0.45 + 0.3 * Math.sin(i / 37)),
  regular('dashboard', 'ic_ewic_mw', 'IE', T0, 60, HOURS, (i) =>
    i % 500 < 20 ? null : 400 * Math.sin(i / 9),
  ),
  regular(
    'ember',
    'price_eur_mwh',
    'IE',
    T0,
    60,
    HOURS,
    (i) => 90 + 60 * Math.sin((2 * Math.PI * i) / 24 - 1),
  ),
];
const OLD = { net_load: 1, renewables: 0, price: 0, interconnector: 0, snsp: 0 };
const NEW = { net_load: 0.5, renewables: 0.25, price: 0.3, interconnector: 0.15, snsp: 0.1 };

const build = (weights: typeof NEW) =>
  buildFeatures({ region: 'IE', series, cso: [], stressWeights: weights, stressAlertThreshold: 2 }).rows;

interface StoredStress {
  ts: number;
  stress_score: number | null;
  stress_band: string | null;
  stress_net_load: number | null;
  stress_renewables: number | null;
  stress_price: number | null;
  stress_interconnector: number | null;
  stress_snsp: number | null;
  flags: string[];
}

async function stored(store: TestStore, region: 'IE' | 'NI'): Promise<StoredStress[]> {
  const rows = await store.db
    .selectFrom('dcgrid.features_hourly')
    .select([
      'ts_utc',
      'stress_score',
      'stress_band',
      'stress_net_load',
      'stress_renewables',
      'stress_price',
      'stress_interconnector',
      'stress_snsp',
      'flags',
    ])
    .where('region', '=', region)
    .orderBy('ts_utc')
    .execute();
  return rows.map(({ ts_utc, ...rest }) => ({ ts: new Date(ts_utc).getTime(), ...rest }));
}

const expected = (rows: FeatureRow[]): StoredStress[] =>
  rows.map((r) => ({
    ts: r.ts,
    stress_score: r.stress_score,
    stress_band: r.stress_band,
    stress_net_load: r.stress_net_load,
    stress_renewables: r.stress_renewables,
    stress_price: r.stress_price,
    stress_interconnector: r.stress_interconnector,
    stress_snsp: r.stress_snsp,
    flags: [...r.flags],
  }));

describe('rebuild-stress on PostgreSQL', () => {
  let store: TestStore;
  const oldRows = build(OLD);
  const newRows = build(NEW);

  beforeAll(async () => {
    store = await createTestStore('postgres');
    // IE rows built with the old weights, and the same hours stored again as NI.
    const ni = oldRows.map((r) => ({ ...r, region: 'NI' as const }));
    await store.transaction((tx) => writeFeatures(tx, [...oldRows, ...ni], { tableEmpty: false }));
  }, 120_000);
  afterAll(() => store?.dispose());

  it('recomputes every stored hour as a fresh build with the new weights would, and is idempotent', async () => {
    expect(newRows.some((r) => r.stress_band === 'high' || r.stress_band === 'critical')).toBe(true);
    expect(newRows.filter((r) => r.flags.includes('stress_partial')).length).toBeGreaterThan(0);
    const before = await stored(store, 'IE');
    expect(before).toEqual(expected(oldRows));

    const first = await rebuildStress(store, { alertThreshold: 2, weights: NEW });
    expect(first.regions.map((r) => r.region)).toEqual(['IE', 'NI']);
    expect(first.regions[0]!.hours).toBe(HOURS);
    expect(first.regions[0]!.changed).toBeGreaterThan(HOURS / 2);
    const after = await stored(store, 'IE');
    const want = expected(newRows);
    expect(after.map((r) => r.flags)).toEqual(want.map((r) => r.flags));
    expect(after.map((r) => r.stress_band)).toEqual(want.map((r) => r.stress_band));
    for (const column of ['stress_score', 'stress_net_load', 'stress_price', 'stress_snsp'] as const) {
      after.forEach((row, i) => {
        const w = want[i]![column];
        if (w === null) expect(row[column]).toBeNull();
        else expect(row[column]).toBeCloseTo(w, 10);
      });
    }

    const again = await rebuildStress(store, { alertThreshold: 2, weights: NEW });
    expect(again.regions.map((r) => r.changed)).toEqual([0, 0]);
  }, 120_000);

  it('moves the stored bands with STRESS_ALERT_THRESHOLD, leaving the scores as they are', async () => {
    const before = await stored(store, 'IE');
    const moved = await rebuildStress(store, { alertThreshold: 3, weights: NEW, regions: ['IE'] });
    const after = await stored(store, 'IE');
    const changedBands = before.filter((r, i) => r.stress_band !== after[i]!.stress_band).length;
    expect(changedBands).toBeGreaterThan(0);
    expect(moved.regions[0]!.changed).toBe(changedBands);
    after.forEach((row, i) => {
      expect(row.stress_score).toBe(before[i]!.stress_score);
      expect(row.stress_band).toBe(row.stress_score === null ? null : stressBand(row.stress_score, 3));
    });
    await rebuildStress(store, { alertThreshold: 2, weights: NEW, regions: ['IE'] });
    expect(await stored(store, 'IE')).toEqual(before);
  }, 120_000);

  it('recomputes the stress-event labels with the settings given, as a fresh build would', async () => {
    const settings = { netLoadQuantile: 0.9, snspMargin: 0.2, priceRatio: 1.5 };
    const fresh = buildFeatures({
      region: 'IE',
      series,
      cso: [],
      stressWeights: NEW,
      stressAlertThreshold: 2,
      stressEvents: settings,
    }).rows;
    const labels = (rows: Array<Record<string, unknown>>) =>
      rows.map((r) => [r.event_tight, r.event_snsp, r.event_price_spike, r.stress_event]);
    const read = async () =>
      labels(
        await store.db
          .selectFrom('dcgrid.features_hourly')
          .select(['event_tight', 'event_snsp', 'event_price_spike', 'stress_event'])
          .where('region', '=', 'IE')
          .orderBy('ts_utc')
          .execute(),
      );
    // The defaults (the first test's rebuild) are what a default build gives.
    expect(await read()).toEqual(labels(newRows as unknown as Array<Record<string, unknown>>));
    const result = await rebuildStress(store, {
      alertThreshold: 2,
      weights: NEW,
      events: settings,
      regions: ['IE'],
    });
    expect(result.regions[0]!.changed).toBeGreaterThan(0);
    const after = await read();
    expect(after).toEqual(labels(fresh as unknown as Array<Record<string, unknown>>));
    // Each label is both true and false somewhere, and the union is known somewhere.
    for (let k = 0; k < 4; k++) {
      expect(after.some((row) => row[k] === true)).toBe(true);
      expect(after.some((row) => row[k] === false)).toBe(true);
    }
    await rebuildStress(store, { alertThreshold: 2, weights: NEW, regions: ['IE'] });
    expect(await read()).toEqual(labels(newRows as unknown as Array<Record<string, unknown>>));
  }, 120_000);

  it('leaves a gap in the stored hours out of the reference instead of shifting later hours', async () => {
    const gap = T0 + 9000 * 3_600_000;
    await sql`DELETE FROM dcgrid.features_hourly WHERE ts_utc = ${new Date(gap)}`.execute(store.db);
    await rebuildStress(store, { alertThreshold: 2, weights: NEW, regions: ['IE'] });
    const after = await stored(store, 'IE');
    expect(after).toHaveLength(HOURS - 1);
    // Hours before the gap are what a full build gives (they only look back); the hour after it
    // keeps its own time and SNSP term (no shift), its reference just lacks the deleted hour.
    const want = expected(newRows);
    expect(after.slice(0, 9000)).toEqual(want.slice(0, 9000));
    expect(after[9000]!.ts).toBe(gap + 3_600_000);
    expect(after[9000]!.stress_snsp).toBeCloseTo(want[9001]!.stress_snsp!, 12);
  }, 120_000);

  it('writes nothing when a region fails part-way (one transaction)', async () => {
    const before = await stored(store, 'IE');
    await sql`UPDATE dcgrid.features_hourly SET flags = '{bogus_flag}' WHERE region = 'NI' AND ts_utc = ${new Date(T0 + 5 * 3_600_000)}`.execute(
      store.db,
    );
    const error = await failure(rebuildStress(store, { alertThreshold: 2, weights: OLD }));
    expect(error.code).toBe('E_VALUE_INVALID');
    expect(error.message).toMatch(/NI 2022-01-01T05:00:00.000Z: unknown flag "bogus_flag"/);
    expect(await stored(store, 'IE')).toEqual(before);
  }, 120_000);

  it('stops before writing when interrupted, and rejects bad weights', async () => {
    const before = await stored(store, 'IE');
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      rebuildStress(store, { alertThreshold: 2, weights: OLD, regions: ['IE'], signal: controller.signal }),
    );
    expect(error.code).toBe('E_INTERRUPTED');
    const bad = await failure(
      rebuildStress(store, { alertThreshold: 2, weights: { ...OLD, net_load: -1 }, regions: ['IE'] }),
    );
    expect(bad.code).toBe('E_CONFIG_INVALID');
    expect(await stored(store, 'IE')).toEqual(before);
  }, 120_000);
});

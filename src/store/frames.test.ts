import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { frameBefore, loadHourlyFrame } from './frames.js';
import { createTestStore, type TestStore } from './test-support/stores.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('loadHourlyFrame', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    await store.db
      .insertInto('dcgrid.features_hourly')
      .values([
        { region: 'IE', ts_utc: new Date(T0), demand_mw: 3000, wind_mw: 500, flags: [] },
        { region: 'IE', ts_utc: new Date(T0 + H), demand_mw: null, wind_mw: 600, flags: [] },
        { region: 'IE', ts_utc: new Date(T0 + 3 * H), demand_mw: 3300, wind_mw: null, flags: [] },
        { region: 'NI', ts_utc: new Date(T0), demand_mw: 700, flags: [] },
      ])
      .execute();
  });
  afterAll(() => store?.dispose());

  it('fills missing hours and NULLs with NaN on a contiguous grid', async () => {
    const frame = await loadHourlyFrame(store.db, { region: 'IE', columns: ['demand_mw', 'wind_mw'] });
    expect([...frame.ts]).toEqual([T0, T0 + H, T0 + 2 * H, T0 + 3 * H]);
    expect([...frame.columns.demand_mw!]).toEqual([3000, NaN, NaN, 3300]);
    expect([...frame.columns.wind_mw!]).toEqual([500, 600, NaN, NaN]);
  });

  it('limits to a range and refuses unknown columns', async () => {
    const frame = await loadHourlyFrame(store.db, {
      region: 'IE',
      columns: ['demand_mw'],
      from: T0 + H,
      to: T0 + 4 * H,
    });
    expect(frame.ts[0]).toBe(T0 + H);
    const error = await loadHourlyFrame(store.db, { region: 'IE', columns: ['flags'] }).catch(
      (e: unknown) => e,
    );
    expect(isDcgridError(error, 'E_NOT_FOUND')).toBe(true);
  });

  it('slices what a model may see before an origin', async () => {
    const frame = await loadHourlyFrame(store.db, { region: 'IE', columns: ['demand_mw'] });
    const seen = frameBefore(frame, T0 + 2 * H);
    expect([...seen.ts]).toEqual([T0, T0 + H]);
  });
});

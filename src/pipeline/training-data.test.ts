import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { copyChunks, type CopyValue } from '../store/copy-text.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { loadTargetFrame } from './training-data.js';

const START = Date.UTC(2024, 0, 1);
const HOURS = 24 * 20;

describe('loadTargetFrame as of a date', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    const rows: CopyValue[][] = [];
    for (let i = 0; i < HOURS; i++) rows.push(['IE', new Date(START + i * HOUR_MS), 4000 + i, '{}']);
    await store.transaction((tx) =>
      tx.copyIn('dcgrid.features_hourly', ['region', 'ts_utc', 'demand_mw', 'flags'], copyChunks(rows)),
    );
  }, 60_000);
  afterAll(() => store?.dispose());

  it('reads only the hours before --as-of, exactly as if the store ended there', async () => {
    const asOf = START + 240 * HOUR_MS;
    const full = await loadTargetFrame(store, { region: 'IE', target: 'demand_mw', columns: [] });
    const cut = await loadTargetFrame(store, { region: 'IE', target: 'demand_mw', columns: [], asOf });
    expect(full.lastObserved).toBe(START + (HOURS - 1) * HOUR_MS);
    expect(cut.lastObserved).toBe(asOf - HOUR_MS);
    expect(cut.frame.ts).toHaveLength(240);
    expect(Array.from(cut.frame.columns.demand_mw!)).toEqual(
      Array.from(full.frame.columns.demand_mw!.subarray(0, 240)),
    );
    const last = await loadTargetFrame(store, {
      region: 'IE',
      target: 'demand_mw',
      columns: [],
      asOf,
      lastHours: 48,
    });
    expect(last.frame.ts[0]).toBe(asOf - 48 * HOUR_MS);
  });

  it('names the date when nothing is known before it', async () => {
    const error = await loadTargetFrame(store, {
      region: 'IE',
      target: 'demand_mw',
      columns: [],
      asOf: START,
    }).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_TRAINING_DATA')).toBe(true);
    expect((error as Error).message).toContain('before 2024-01-01T00:00:00.000Z');
  });
});

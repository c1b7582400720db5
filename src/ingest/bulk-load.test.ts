import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, TEST_BACKENDS, type TestStore } from '../store/test-support/stores.js';
import type { MergedSeries } from './merge.js';
import { OBSERVATIONS, writeObservations } from './observations-store.js';

const Q = 900_000;
const T0 = Date.UTC(2024, 0, 1);

function demand(values: number[], offset = 0): MergedSeries {
  return {
    source: 'dashboard',
    series: 'demand_mw',
    region: 'IE',
    ts: Float64Array.from(values, (_, i) => T0 + (i + offset) * Q),
    intervalMin: Int16Array.from(values, () => 15),
    values: Float64Array.from(values),
  };
}

async function primaryKey(store: TestStore): Promise<string | undefined> {
  const result = await sql<{ definition: string }>`
    SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
    WHERE conname = ${OBSERVATIONS.constraint} AND conrelid = 'dcgrid.observations'::regclass`.execute(
    store.db,
  );
  return result.rows[0]?.definition;
}

async function rowCount(store: TestStore): Promise<number> {
  const row = await store.db
    .selectFrom('dcgrid.observations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(TEST_BACKENDS)('bulk load into an empty table on %s', (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(kind);
  });
  afterEach(() => store?.dispose());

  it('loads every row and puts the same primary key back', async () => {
    const before = await primaryKey(store);
    expect(before).toBe('PRIMARY KEY (source, series, region, ts_utc)');
    const written = await store.transaction((tx) =>
      writeObservations(tx, [demand([3000, 3010, 3020])], { tableEmpty: true }),
    );
    expect(written).toBe(3);
    expect(await rowCount(store)).toBe(3);
    expect(await primaryKey(store)).toBe(before);
    // The key is enforced again: the same hour cannot go in twice.
    const duplicate = await store.db
      .insertInto('dcgrid.observations')
      .values({
        source: 'dashboard',
        series: 'demand_mw',
        region: 'IE',
        ts_utc: new Date(T0),
        interval_min: 15,
        value: 1,
      })
      .execute()
      .catch((e: unknown) => e);
    expect((duplicate as Error).message).toMatch(/duplicate key|unique/);
  });

  it('rolls back with nothing written and the key intact when the rows repeat a key', async () => {
    const error = await store
      .transaction((tx) =>
        writeObservations(tx, [demand([3000, 3010]), demand([3000], 1)], { tableEmpty: true }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await rowCount(store)).toBe(0);
    expect(await primaryKey(store)).toBe('PRIMARY KEY (source, series, region, ts_utc)');
  });
});

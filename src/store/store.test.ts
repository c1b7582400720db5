import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { copyChunks } from './copy-text.js';
import { connectPglite } from './pglite/connect.js';
import { createTestStore, TEST_BACKENDS, type TestStore } from './test-support/stores.js';

const COLUMNS = ['source', 'series', 'region', 'ts_utc', 'interval_min', 'value'] as const;

describe.each(TEST_BACKENDS)('store on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(() => store?.dispose());

  it('has every table of the contract in schema dcgrid', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'dcgrid' ORDER BY table_name`.execute(
      store.db,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'observations',
        'features_hourly',
        'ingest_reports',
        'cso_figures',
        'backtests',
        'backtest_metrics',
        'forecasts',
      ]),
    );
  });

  it('loads rows with COPY inside a transaction, with escapes, NULLs and arrays', async () => {
    const rows = [
      ['test', 'demand_mw', 'IE', new Date('2024-01-01T00:00:00Z'), 15, 3460.5],
      ['test', 'demand_mw', 'IE', new Date('2024-01-01T00:15:00Z'), 15, null],
      ['te\tst\\x', 'demand_mw', 'IE', new Date('2024-01-01T00:30:00Z'), 15, -1e-3],
    ] as const;
    await store.transaction((tx) => tx.copyIn('dcgrid.observations', COLUMNS, copyChunks(rows, 2)));
    const back = await store.db
      .selectFrom('dcgrid.observations')
      .select(['source', 'ts_utc', 'value'])
      .orderBy('ts_utc')
      .execute();
    expect(back).toEqual([
      { source: 'test', ts_utc: new Date('2024-01-01T00:00:00Z'), value: 3460.5 },
      { source: 'test', ts_utc: new Date('2024-01-01T00:15:00Z'), value: null },
      { source: 'te\tst\\x', ts_utc: new Date('2024-01-01T00:30:00Z'), value: -1e-3 },
    ]);
    await store.transaction((tx) =>
      tx.copyIn(
        'dcgrid.features_hourly',
        ['region', 'ts_utc', 'flags'],
        copyChunks([['IE', new Date('2024-01-01T00:00:00Z'), ['solar_missing', 'a "quoted", flag']]]),
      ),
    );
    const features = await store.db.selectFrom('dcgrid.features_hourly').select('flags').execute();
    expect(features).toEqual([{ flags: ['solar_missing', 'a "quoted", flag'] }]);
  });

  it('rolls back everything when the transaction fails', async () => {
    const before = await countObservations(store);
    const failure = store.transaction(async (tx) => {
      await tx.copyIn(
        'dcgrid.observations',
        COLUMNS,
        copyChunks([['rollback', 'demand_mw', 'IE', new Date('2025-01-01T00:00:00Z'), 15, 1]]),
      );
      await tx.db
        .insertInto('dcgrid.observations')
        .values({
          source: 'rollback',
          series: 'x',
          region: 'IE',
          ts_utc: new Date(),
          interval_min: 15,
          value: 2,
        })
        .execute();
      throw new Error('interrupted');
    });
    await expect(failure).rejects.toThrow('interrupted');
    expect(await countObservations(store)).toBe(before);
  });

  it('returns counts as numbers on both backends', async () => {
    const row = await store.db
      .selectFrom('dcgrid.observations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(typeof row.n).toBe('number');
  });
});

async function countObservations(store: TestStore): Promise<number> {
  const row = await store.db
    .selectFrom('dcgrid.observations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe('embedded database lock', () => {
  it('lets one process own a data directory and explains to the next', async () => {
    const home = await mkdtemp(join(tmpdir(), 'dcgrid-lock-'));
    const dataDir = join(home, 'db');
    const first = await connectPglite({ dataDir, owner: 'dcgrid serve' });
    try {
      const second = await connectPglite({ dataDir, owner: 'dcgrid ingest' }).catch((e: unknown) => e);
      expect(isDcgridError(second, 'E_DATABASE_LOCKED')).toBe(true);
      expect((second as Error).message).toContain(`process ${process.pid} (dcgrid serve`);
      expect((second as Error).message).toContain('DATABASE_URL');
    } finally {
      await first.close();
    }
    const again = await connectPglite({ dataDir });
    await again.close();
    await rm(home, { recursive: true, force: true });
  }, 120_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDcgridError } from '../lib/errors.js';
import { BinaryCopyReader, binaryCopyChunks } from './copy-binary.js';
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
      expect((second as Error).message).toContain(`the API server (dcgrid serve, process ${process.pid}`);
      expect((second as Error).message).toContain('DATABASE_URL');
    } finally {
      await first.close();
    }
    const again = await connectPglite({ dataDir });
    await again.close();
    await rm(home, { recursive: true, force: true });
  }, 120_000);
});

describe.each(TEST_BACKENDS)('binary COPY on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(() => store?.dispose());

  it('loads every column type, NULLs and arrays, across several chunks', async () => {
    const rows = [
      {
        ts: Date.UTC(2024, 2, 31, 1, 15),
        value: 3460.25,
        flags: ['solar_unreported', 'ünïcode "q"'],
        spike: true,
        n: 15,
      },
      { ts: Date.UTC(1999, 11, 31, 23), value: Number.NaN, flags: [], spike: null, n: 30 },
      { ts: Date.UTC(2030, 0, 1), value: -0.001, flags: ['a'], spike: false, n: 60 },
    ];
    await store.transaction(async (tx) => {
      await tx.copyIn(
        'dcgrid.features_hourly',
        ['region', 'ts_utc', 'demand_mw', 'price_spike_flag', 'flags'],
        binaryCopyChunks(
          rows,
          (b, r) => b.row(5).text('IE').timestamptz(r.ts).float8(r.value).bool(r.spike).textArray(r.flags),
          40,
        ),
        'binary',
      );
      await tx.copyIn(
        'dcgrid.observations',
        ['source', 'series', 'region', 'ts_utc', 'interval_min', 'value'],
        binaryCopyChunks(rows, (b, r) =>
          b.row(6).text('bin').text('demand_mw').text('IE').timestamptz(r.ts).int2(r.n).float8(r.value),
        ),
        'binary',
      );
    });
    const back = await store.db
      .selectFrom('dcgrid.features_hourly')
      .select(['ts_utc', 'demand_mw', 'price_spike_flag', 'flags'])
      .orderBy('ts_utc')
      .execute();
    expect(back).toEqual([
      { ts_utc: new Date(rows[1]!.ts), demand_mw: null, price_spike_flag: null, flags: [] },
      { ts_utc: new Date(rows[0]!.ts), demand_mw: 3460.25, price_spike_flag: true, flags: rows[0]!.flags },
      { ts_utc: new Date(rows[2]!.ts), demand_mw: -0.001, price_spike_flag: false, flags: ['a'] },
    ]);
    const observations = await store.db
      .selectFrom('dcgrid.observations')
      .select(['interval_min'])
      .where('source', '=', 'bin')
      .orderBy('ts_utc')
      .execute();
    expect(observations.map((o) => o.interval_min)).toEqual([30, 15, 60]);

    const bytes = await store.transaction((tx) =>
      tx.copyOut(
        "SELECT source, ts_utc, interval_min, value FROM dcgrid.observations WHERE source = 'bin' ORDER BY ts_utc",
      ),
    );
    const reader = new BinaryCopyReader(bytes);
    const read: unknown[] = [];
    while (reader.nextRow()) read.push([reader.text(), reader.timestamptz(), reader.int2(), reader.float8()]);
    expect(read).toEqual([
      ['bin', rows[1]!.ts, 30, NaN],
      ['bin', rows[0]!.ts, 15, 3460.25],
      ['bin', rows[2]!.ts, 60, -0.001],
    ]);
  });
});

import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { isDcgridError } from '../lib/errors.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { createTestStore, TEST_BACKENDS, type TestStore } from '../store/test-support/stores.js';
import { createOutput } from '../cli/output.js';
import { runIngest } from './ingest.js';
import { printIngestReport } from './print-report.js';
import { planIngest } from './plan.js';

const FROM = Date.UTC(2024, 8, 1);
const MID = Date.UTC(2024, 8, 15);
const TO = Date.UTC(2024, 8, 22);
const weights = loadConfig({}, { dotenv: false }).STRESS_WEIGHTS;

let rawEarly = '';
let rawFull = '';

async function plan(rawDir: string) {
  return planIngest(loadConfig({ DCGRID_RAW_DIR: rawDir }, { dotenv: false }));
}

async function counts(store: TestStore) {
  const count = async (table: 'dcgrid.observations' | 'dcgrid.features_hourly' | 'dcgrid.cso_figures') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    observations: await count('dcgrid.observations'),
    features: await count('dcgrid.features_hourly'),
    cso: await count('dcgrid.cso_figures'),
  };
}

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-ingest-'));
  rawEarly = join(root, 'early');
  rawFull = join(root, 'full');
  await writeDemoRawDir(rawEarly, { from: FROM, to: MID });
  await writeDemoRawDir(rawFull, { from: FROM, to: TO });
}, 120_000);

describe.each(TEST_BACKENDS)('ingest on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(() => store?.dispose());

  it('writes observations, hourly features, CSO figures and a report; a re-run writes nothing', async () => {
    const first = await runIngest(store, {
      ...(await plan(rawEarly)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    });
    const after = await counts(store);
    expect(after.observations).toBeGreaterThan(5 * 14 * 96);
    expect(after.features).toBeGreaterThan(14 * 24);
    expect(after.cso).toBeGreaterThan(20);
    expect(first.report.rowsWritten.observations).toBe(after.observations);
    expect(first.report.series.some((s) => s.source === 'eirgrid-workbook' && s.series === 'demand_mw')).toBe(
      true,
    );
    const ie = first.report.features.find((f) => f.region === 'IE')!;
    expect(ie.disagreements.some((d) => d.column === 'demand_mw' && d.winner === 'eirgrid-workbook')).toBe(
      true,
    );
    // ALL sums IE and NI, so its build meets IE's disagreement too; the printed report shows it once.
    const all = first.report.features.find((f) => f.region === 'ALL')!;
    expect(all.disagreements.some((d) => d.column === 'demand_mw' && d.region === 'IE')).toBe(true);
    let printed = '';
    printIngestReport(
      createOutput(false, (text) => (printed += text)),
      first.report,
    );
    const demandRows = printed.split('\n').filter((line) => /^dashboard\s+demand_mw\s/.test(line));
    expect(demandRows).toHaveLength(1);
    expect(demandRows[0]).toMatch(/\sIE\s/);
    const row = await store.db
      .selectFrom('dcgrid.features_hourly')
      .selectAll()
      .where('region', '=', 'IE')
      .where('ts_utc', '=', new Date(Date.UTC(2024, 8, 5, 12)))
      .executeTakeFirstOrThrow();
    expect(row.demand_mw).toBeGreaterThan(2000);
    expect(row.price_eur_mwh).not.toBeNull();
    expect(row.dc_load_mw).toBeGreaterThan(0);
    expect(row.dc_load_source).toBe('proxy');

    const again = await runIngest(store, {
      ...(await plan(rawEarly)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    });
    expect(again.report.rowsWritten).toEqual({ observations: 0, features: 0, csoFigures: 0 });
    expect(await counts(store)).toEqual(after);
    const reports = await store.db.selectFrom('dcgrid.ingest_reports').select(['status']).execute();
    expect(reports.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('adds only what is new in an incremental ingest', async () => {
    const before = await counts(store);
    const result = await runIngest(store, {
      ...(await plan(rawFull)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    });
    const after = await counts(store);
    expect(after.observations).toBeGreaterThan(before.observations);
    // Every new quarter-hour and hour is written; earlier ones only where a look-back window changed.
    expect(result.report.rowsWritten.observations).toBe(after.observations - before.observations);
    const last = await store.db
      .selectFrom('dcgrid.features_hourly')
      .select((eb) => eb.fn.max('ts_utc').as('last'))
      .where('region', '=', 'IE')
      .executeTakeFirstOrThrow();
    expect(new Date(last.last as Date).getTime()).toBeGreaterThanOrEqual(TO - 3_600_000 * 2);
  });

  it('leaves the previous state intact when an ingest fails midway, and records the failure', async () => {
    const before = await counts(store);
    const controller = new AbortController();
    const failing = runIngest(store, {
      ...(await plan(rawFull)),
      stressWeights: weights,
      stressAlertThreshold: 2,
      signal: controller.signal,
      onStep: (stage) => {
        if (stage === 'observations') controller.abort();
      },
    });
    const error = await failing.catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_INTERRUPTED')).toBe(true);
    expect(await counts(store)).toEqual(before);
    const lastReport = await store.db
      .selectFrom('dcgrid.ingest_reports')
      .select(['status', 'error'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(lastReport).toEqual({ status: 'failed', error: expect.stringContaining('interrupted') });
  });
});

describe('ingest input errors', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(() => store?.dispose());

  it('refuses conflicting duplicates across files of one source and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-conflict-'));
    const csvDir = join(dir, 'eirgrid-smartgriddashboard');
    await mkdir(csvDir, { recursive: true });
    await writeFile(
      join(csvDir, 'ROI_demandactual_24_Eirgrid.csv'),
      '01-Sep-2024 00:00:00,SYSTEM_DEMAND,ROI,3000.0\n',
    );
    await writeFile(
      join(csvDir, 'ROI_demandactual_2024-09_api.csv'),
      '01-Sep-2024 00:00:00,SYSTEM_DEMAND,ROI,3100.0\n',
    );
    const error = await runIngest(store, {
      ...(await plan(dir)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    }).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_DUPLICATE_CONFLICT')).toBe(true);
    const message = (error as Error).message;
    for (const part of [
      '3000',
      '3100',
      'ROI_demandactual_24_Eirgrid.csv',
      'ROI_demandactual_2024-09_api.csv',
    ]) {
      expect(message).toContain(part);
    }
    expect((await counts(store)).observations).toBe(0);
  });

  it('names the file of a corrupt workbook and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-corrupt-'));
    await mkdir(join(dir, 'eirgrid-system-data-qtr-hourly'), { recursive: true });
    await writeFile(
      join(dir, 'eirgrid-system-data-qtr-hourly', 'System-Data-Qtr-Hourly-2024.xlsx'),
      'not a zip',
    );
    const ember = join(dir, 'ember');
    await mkdir(ember, { recursive: true });
    for (const name of await readdir(join(rawEarly, 'ember')))
      await copyFile(join(rawEarly, 'ember', name), join(ember, name));
    const error = await runIngest(store, {
      ...(await plan(dir)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    }).catch((e: unknown) => e);
    expect(isDcgridError(error)).toBe(true);
    expect((error as Error).message).toContain('System-Data-Qtr-Hourly-2024.xlsx');
    expect((await counts(store)).observations).toBe(0);
  });

  it('says so when a raw folder holds nothing it can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcgrid-empty-'));
    const error = await runIngest(store, {
      ...(await plan(dir)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    }).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_INPUT_EMPTY')).toBe(true);
    expect((error as Error).message).toContain(dir);
  });
});

describe('two ingests at once on one PostgreSQL database', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(() => store?.dispose());

  it('run one after the other: the first loads the empty tables, the second finds nothing new', async () => {
    const request = { ...(await plan(rawEarly)), stressWeights: weights, stressAlertThreshold: 2 };
    const results = await Promise.all([runIngest(store, request), runIngest(store, request)]);
    const written = results.map((r) => r.report.rowsWritten.observations).sort((a, b) => a - b);
    const after = await counts(store);
    expect(written).toEqual([0, after.observations]);
    expect(after.observations).toBeGreaterThan(0);
  });
});

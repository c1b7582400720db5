/**
 * `dcgrid ingest` end to end, as a user runs it (a separate process), on PostgreSQL: a raw folder
 * with one bad file exits 3 with a one-line message naming the file, the line (or row, or JSON
 * position) and the column, stores a 'failed' report and changes nothing else. A DATABASE_URL
 * that is not PostgreSQL is a settings error (exit 2) naming the setting.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { workbookVariant } from '../sources/test-support/workbook-variant.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EMBER_SAMPLE = fileURLToPath(new URL('../sources/ember/fixtures/Ireland-sample.csv', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function dcgrid(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/dcgrid.js'), '--no-progress', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('dcgrid ingest refuses bad input and stores nothing', () => {
  let store: TestStore;
  let root = '';
  let env: Record<string, string> = {};
  beforeAll(async () => {
    store = await createTestStore('postgres');
    root = await mkdtemp(join(tmpdir(), 'dcgrid-bad-cli-'));
    env = { DATABASE_URL: store.url!, DCGRID_HOME: join(root, 'home') };
  }, 60_000);
  afterAll(() => store?.dispose());

  /** A raw folder holding the good Ember sample plus `bad` at `relativePath`. */
  async function rawWith(name: string, relativePath: string, bad: string | Buffer): Promise<string> {
    const raw = join(root, name);
    await mkdir(join(raw, 'ember'), { recursive: true });
    await copyFile(EMBER_SAMPLE, join(raw, 'ember', 'Ireland.csv'));
    await mkdir(join(raw, relativePath, '..'), { recursive: true });
    await writeFile(join(raw, relativePath), bad);
    return join(raw, relativePath);
  }

  const state = async () => ({
    observations: await store.db
      .selectFrom('dcgrid.observations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
    features: await store.db
      .selectFrom('dcgrid.features_hourly')
      .select((eb) => eb.fn.max('updated_at').as('last'))
      .executeTakeFirstOrThrow(),
    cso: await store.db
      .selectFrom('dcgrid.cso_figures')
      .select((eb) => eb.fn.max('ingested_at').as('last'))
      .executeTakeFirstOrThrow(),
    reports: await store.db
      .selectFrom('dcgrid.ingest_reports')
      .select(['status', 'error'])
      .orderBy('id')
      .execute(),
  });

  it('exits 3 naming file, position and column, and leaves the stored data as they were', async () => {
    const good = join(root, 'good');
    await mkdir(join(good, 'ember'), { recursive: true });
    await copyFile(EMBER_SAMPLE, join(good, 'ember', 'Ireland.csv'));
    const first = await dcgrid(env, '--raw-dir', good, 'ingest');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    const cases: Array<[string, string, string | Buffer, string]> = [
      [
        'sentinel',
        'eirgrid-smartgriddashboard/ROI_demandactual_24_Eirgrid.csv',
        '01-Jan-2024 00:00:00,SYSTEM_DEMAND,ROI,3460.0\n01-Jan-2024 00:15:00,SYSTEM_DEMAND,ROI,3455.0\n01-Jan-2024 00:30:00,SYSTEM_DEMAND,ROI,-99999\n',
        ', line 3, column "Value": Value "-99999" (-99999 as MW) is not a possible demand_mw reading',
      ],
      [
        'spring-gap',
        'eirgrid-smartgriddashboard/ROI_demandactual_23_Eirgrid.csv',
        '26-Mar-2023 00:45:00,SYSTEM_DEMAND,ROI,3221.0\n26-Mar-2023 01:15:00,SYSTEM_DEMAND,ROI,3100.0\n',
        ', line 2, column "EffectiveTime": EffectiveTime "26-Mar-2023 01:15:00" never happened',
      ],
      [
        'header',
        'eirgrid-system-data-qtr-hourly/System-Data-Qtr-Hourly-2024.xlsx',
        await workbookVariant((xml) => xml.replace('<t>IE Demand</t>', '<t>IE Demnad</t>')),
        ', row 1, column "IE Demnad": cell E1: header "IE Demnad" is not a known column; did you mean "IE Demand"?',
      ],
      [
        'utf16',
        'semopx/semopx_day_ahead_index_prices_x.csv',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('market,timestamp_utc\n', 'utf16le')]),
        ': encoding error: the file is UTF-16 (little-endian) text (byte-order mark), not UTF-8',
      ],
      [
        'json',
        'smartgriddashboard-api-samples/generation.json',
        JSON.stringify({
          Rows: [{ EffectiveTime: '04-Jun-2025 00:00:00', FieldName: 'GEN_EXP', Region: 'ROI', Value: -5e6 }],
        }),
        ', JSON Rows[0], column "Value": Value "-5000000"',
      ],
    ];
    for (const [name, path, content, expected] of cases) {
      const before = await state();
      const file = await rawWith(name, path, content);
      const run = await dcgrid(env, '--raw-dir', join(root, name), 'ingest');
      expect(run.code, name).toBe(3);
      expect(run.stderr.startsWith(`error: ${file}${expected}`), `${name}: ${run.stderr}`).toBe(true);
      expect(run.stderr.trimEnd().split('\n'), name).toHaveLength(1);
      const after = await state();
      expect(after.observations, name).toEqual(before.observations);
      expect(after.features, name).toEqual(before.features);
      expect(after.cso, name).toEqual(before.cso);
      expect(after.reports.at(-1), name).toEqual({ status: 'failed', error: expect.stringContaining(file) });
    }
  }, 600_000);

  it('exits 2 naming DATABASE_URL when it is not a PostgreSQL URL', async () => {
    for (const url of ['mysql://root@127.0.0.1:3306/dcgrid']) {
      const run = await dcgrid({ ...env, DATABASE_URL: url }, 'data', 'report');
      expect(run.code, url).toBe(2);
      expect(run.stderr, url).toContain('DATABASE_URL');
      expect(run.stderr, url).not.toContain('ENOTFOUND');
    }
  }, 120_000);
});

import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { runIngest } from './ingest.js';
import { planIngest } from './plan.js';

const FROM = Date.UTC(2024, 8, 1);
const MID = Date.UTC(2024, 8, 15);
const TO = Date.UTC(2024, 8, 22);
const weights = loadConfig({}, { dotenv: false }).STRESS_WEIGHTS;
const MEC02 = new URL('../sources/cso/fixtures/MEC02-sample.csv', import.meta.url).pathname;

async function plan(rawDir: string) {
  return planIngest(loadConfig({ DCGRID_RAW_DIR: rawDir }, { dotenv: false }));
}

describe('an incremental ingest rewrites only what it read', () => {
  let store: TestStore;
  let early = '';
  let late = '';
  beforeAll(async () => {
    store = await createTestStore('postgres');
    const root = await mkdtemp(join(tmpdir(), 'dcgrid-incremental-'));
    early = join(root, 'early');
    late = join(root, 'late');
    await writeDemoRawDir(early, { from: FROM, to: MID });
    await mkdir(join(early, 'cso'), { recursive: true });
    await copyFile(MEC02, join(early, 'cso', 'MEC02.csv'));
    await writeDemoRawDir(late, { from: MID, to: TO });
  }, 120_000);
  afterAll(() => store?.dispose());

  const csoRows = () =>
    store.db
      .selectFrom('dcgrid.cso_figures')
      .select(['year', 'quarter', 'metric', 'value', 'status', 'note', 'ingested_at'])
      .orderBy(['metric', 'year', 'quarter'])
      .execute();

  it('keeps stored CSO figures without a CSO file and writes only the new hours and their look-back', async () => {
    const first = await runIngest(store, {
      ...(await plan(early)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    });
    expect(first.report.rowsWritten.csoFigures).toBeGreaterThan(20);
    const figuresBefore = await csoRows();
    expect(figuresBefore.filter((f) => f.status === 'pxstat').length).toBeGreaterThan(0);
    const featuresBefore = first.report.rowsWritten.features;

    const second = await runIngest(store, {
      ...(await plan(late)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    });
    expect(second.report.rowsWritten.csoFigures).toBe(0);
    expect(await csoRows()).toEqual(figuresBefore);
    // The late folder adds 7 days (168 hours) for each of 3 regions; earlier hours are rewritten
    // only where a look-back window (at most a week) reaches into the new data.
    const newHours = 3 * ((TO - MID) / 3_600_000);
    expect(second.report.rowsWritten.features).toBeGreaterThanOrEqual(newHours);
    expect(second.report.rowsWritten.features).toBeLessThan(newHours + featuresBefore / 2);

    // The MEC02 file read again writes nothing; the built-in figures never replace it.
    const again = await runIngest(store, {
      ...(await plan(early)),
      stressWeights: weights,
      stressAlertThreshold: 2,
    });
    expect(again.report.rowsWritten).toEqual({ observations: 0, features: 0, csoFigures: 0 });
  });
});

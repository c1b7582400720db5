/** Studies on a store filled by the real ingest (demo raw files), on the PostgreSQL server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { runIngest } from '../ingest/ingest.js';
import { planIngest } from '../ingest/plan.js';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { loadHourlyFrame } from '../store/frames.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { parseStudy } from './definition.js';
import { summaryCsv } from './export.js';
import { getStudy, listStudies, runStudy } from './study.js';

const DATA_FROM = Date.UTC(2022, 6, 1);
const DATA_TO = Date.UTC(2023, 9, 1);
const config = loadConfig({}, { dotenv: false });
const settings = { weights: config.STRESS_WEIGHTS, alertThreshold: config.STRESS_ALERT_THRESHOLD };

let store: TestStore;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dcgrid-scenario-'));
  const raw = join(root, 'raw');
  await writeDemoRawDir(raw, { from: DATA_FROM, to: DATA_TO });
  store = await createTestStore('postgres');
  const plan = await planIngest(loadConfig({ DCGRID_RAW_DIR: raw }, { dotenv: false }));
  await runIngest(store, {
    ...plan,
    stressWeights: config.STRESS_WEIGHTS,
    stressAlertThreshold: config.STRESS_ALERT_THRESHOLD,
  });
}, 300_000);

afterAll(async () => {
  await store?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

const study = parseStudy({
  name: 'demo site',
  region: 'IE',
  from: '2023-08-01',
  to: '2023-10-01',
  scenarios: [
    { name: 'flat', addMw: 400 },
    {
      name: 'flex',
      addMw: 400,
      profile: { kind: 'flexible', share: 0.25, maxShiftH: 8, objective: 'price' },
    },
  ],
});

describe('scenario studies on stored features', () => {
  it('replays the baseline with the ingest’s own stress code: the same scores as stored', async () => {
    const { outcome } = await runStudy(store, study, settings);
    const stored = await loadHourlyFrame(store.db, {
      region: 'IE',
      columns: ['stress_score', 'net_load_mw'],
      from: study.from,
      to: study.to,
    });
    expect(outcome.ts.length).toBe((study.to - study.from) / HOUR_MS);
    let compared = 0;
    for (let h = 0; h < outcome.ts.length; h++) {
      const want = stored.columns.stress_score![h]!;
      if (Number.isNaN(want)) continue;
      expect(outcome.baseline.hourly.stress[h]).toBeCloseTo(want, 9);
      expect(outcome.baseline.hourly.netLoad[h]).toBeCloseTo(stored.columns.net_load_mw![h]!, 9);
      compared++;
    }
    expect(compared).toBeGreaterThan(0.9 * outcome.ts.length);
    const [flat, flex] = outcome.scenarios.map((s) => s.summary);
    expect(flat!.stressP99!).toBeGreaterThan(outcome.baseline.summary.stressP99!);
    expect(flex!.flex!.shiftedMwh).toBeGreaterThan(0);
    expect(flex!.flex!.savedCostEur).toBeGreaterThan(0);
  });

  it('stores the study with its results, to reopen and list later', async () => {
    const { study: saved } = await runStudy(store, study, settings);
    const again = await getStudy(store, saved.id);
    expect(again.definition).toEqual(study);
    expect(again.results).toEqual(saved.results);
    expect(again.settings).toEqual(settings);
    const list = await listStudies(store);
    expect(list[0]).toMatchObject({ id: saved.id, name: 'demo site', region: 'IE', scenarios: 2 });
    const csv = summaryCsv(again.results).trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[1]!.startsWith('baseline,baseline,0,')).toBe(true);
  });

  it('says when the period has no stored features, and when a study does not exist', async () => {
    const early = parseStudy({ ...study, from: '2019-01-01', to: '2019-02-01' });
    const error = await runStudy(store, early, settings).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('no stored features for IE');
    const missing = await getStudy(store, 999_999).catch((e: unknown) => e);
    expect(isDcgridError(missing, 'E_NOT_FOUND')).toBe(true);
  });
});

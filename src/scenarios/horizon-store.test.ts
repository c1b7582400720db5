/**
 * A study on the forecast horizon, on a store filled by the real ingest and pipeline (demo raw files,
 * 15 months, seasonal-naive champions for demand, price, CO2 intensity and the stress score), on the
 * PostgreSQL server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config/config.js';
import { computeGridFeatures } from '../features/grid-features.js';
import { computeStress } from '../features/stress.js';
import { isDcgridError } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { runPipeline } from '../pipeline/pipeline.js';
import { openRegistry } from '../registry/open.js';
import { fixtureRequest } from '../serve/test-support/served-store.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { openTracker } from '../tracking/open.js';
import { parseStudy } from './definition.js';
import { evaluateStudy } from './evaluate.js';
import { latestChampionForecast, loadStudyFrame, runStudy } from './study.js';

const DATA_FROM = Date.UTC(2022, 6, 1);
const DATA_TO = Date.UTC(2023, 9, 1);
const TARGETS = ['demand_mw', 'price_eur_mwh', 'co2_intensity', 'stress_score'];

let store: TestStore;
let root: string;
let config: Config;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dcgrid-scenario-horizon-'));
  const raw = join(root, 'raw');
  await writeDemoRawDir(raw, { from: DATA_FROM, to: DATA_TO });
  store = await createTestStore('postgres');
  config = loadConfig(
    { DCGRID_HOME: join(root, 'home'), DCGRID_RAW_DIR: raw, LOG_LEVEL: 'silent' },
    { dotenv: false },
  );
  await runPipeline(
    { config, store, tracker: openTracker(config, store), registry: openRegistry(config, store) },
    fixtureRequest(TARGETS),
  );
}, 600_000);

afterAll(async () => {
  await store?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

const settings = () => ({ weights: config.STRESS_WEIGHTS, alertThreshold: config.STRESS_ALERT_THRESHOLD });
// A week of history and the week the champions forecast.
const study = parseStudy({
  name: 'next week',
  region: 'IE',
  from: '2023-09-24',
  to: '2023-10-08',
  scenarios: [
    { name: 'flat', addMw: 400 },
    { name: 'flex', addMw: 400, profile: { kind: 'flexible', share: 0.2, maxShiftH: 24 } },
  ],
});

describe('a study on the forecast horizon', () => {
  it('labels which hours of which input came from observations, forecasts or the fallback', async () => {
    const { study: saved } = await runStudy(store, study, settings());
    const inputs = saved.results.inputs!;
    expect(inputs.observedTo).toBe(new Date(DATA_TO).toISOString());
    expect(inputs.horizonHours).toBe(168);
    const demand = await latestChampionForecast(store, 'IE', 'demand_mw');
    for (const column of ['demand_mw', 'price_eur_mwh', 'co2_intensity'] as const) {
      const forecast = await latestChampionForecast(store, 'IE', column);
      expect(inputs.sources[column].map((s) => [s.source, s.hours])).toEqual([
        ['observed', 168],
        ['forecast', 168],
      ]);
      expect(inputs.sources[column][1]).toMatchObject({
        model: forecast!.model,
        version: forecast!.version,
        origin: new Date(forecast!.origin).toISOString(),
        from: new Date(DATA_TO).toISOString(),
      });
    }
    expect(demand!.model).toBe('snaive168');
    // No champion forecasts these: the last observed week's profile.
    for (const column of ['wind_mw', 'solar_mw', 'snsp', 'ic_ewic_mw', 'dc_load_mw'] as const) {
      expect(inputs.sources[column].map((s) => [s.source, s.hours])).toEqual([
        ['observed', 168],
        ['seasonal-naive', 168],
      ]);
    }
    const [flat, flex] = saved.results.scenarios.map((s) => s.summary);
    expect(flat!.hours).toBe(14 * 24);
    expect(flat!.stressP99!).toBeGreaterThan(saved.results.baseline.summary.stressP99!);
    expect(flat!.costEur).toBeGreaterThan(0);
    expect(flex!.flex!.shiftedMwh).toBeGreaterThan(0);
    // The pessimistic path: the baseline and both scenarios again.
    expect(inputs.tight!.map((t) => t.name)).toEqual(['baseline', 'flat', 'flex']);
    const check = inputs.stressForecast!;
    expect(check.hours).toBe(168);
    expect(Number.isFinite(check.meanAbsDiff)).toBe(true);
  });

  it('reproduces the stored forecasts as its inputs, through the ingest’s feature and stress code', async () => {
    const input = await loadStudyFrame(store, study);
    const { frame } = input;
    const start = Math.round((DATA_TO - frame.ts[0]!) / HOUR_MS);
    expect(frame.ts.length - start).toBe(168);
    for (const column of ['demand_mw', 'price_eur_mwh', 'co2_intensity'] as const) {
      const forecast = (await latestChampionForecast(store, 'IE', column))!;
      let compared = 0;
      forecast.ts.forEach((t, i) => {
        const h = Math.round((t - frame.ts[0]!) / HOUR_MS);
        if (h >= frame.ts.length) return;
        expect(frame.columns[column][h]).toBe(forecast.p50[i]);
        compared++;
      });
      expect(compared).toBe(168);
    }
    // The pessimistic path reads the demand forecast's P90, the fallback inputs unchanged.
    const demand = (await latestChampionForecast(store, 'IE', 'demand_mw'))!;
    demand.ts.forEach((t, i) => {
      const h = Math.round((t - frame.ts[0]!) / HOUR_MS);
      if (h < frame.ts.length) expect(input.tight!.columns.demand_mw[h]).toBe(demand.p90[i]);
    });
    expect(input.tight!.columns.wind_mw).toEqual(frame.columns.wind_mw);
    // Fallback: the value of the same hour a week earlier.
    for (let h = start; h < frame.ts.length; h++) {
      expect(frame.columns.wind_mw[h]).toBe(frame.columns.wind_mw[h - 168]);
      expect(frame.columns.snsp[h]).toBe(frame.columns.snsp[h - 168]);
    }
    // The baseline is the feature build's own computation on those inputs.
    const outcome = evaluateStudy(frame, study, settings());
    const c = frame.columns;
    const grid = computeGridFeatures({
      demand: c.demand_mw,
      wind: c.wind_mw,
      solar: c.solar_mw,
      price: c.price_eur_mwh,
    });
    const stress = computeStress(
      {
        start: frame.ts[0]!,
        net_load_mw: grid.netLoad,
        renew_mw: grid.renew,
        price_eur_mwh: c.price_eur_mwh,
        snsp: c.snsp,
        ic_ewic_mw: c.ic_ewic_mw,
        ic_moyle_mw: c.ic_moyle_mw,
        ic_greenlink_mw: c.ic_greenlink_mw,
      },
      config.STRESS_WEIGHTS,
    );
    const lo = frame.ts.length - outcome.ts.length;
    let scored = 0;
    for (let h = 0; h < outcome.ts.length; h++) {
      const want = stress.score[lo + h]!;
      if (!Number.isNaN(want)) scored++;
      // The replay scales SNSP by demand / (demand + added): with nothing added, equal to the last bits.
      expect(outcome.baseline.hourly.stress[h]).toBeCloseTo(want, 9);
      expect(outcome.baseline.hourly.netLoad[h]).toBeCloseTo(
        c.demand_mw[lo + h]! - (c.wind_mw[lo + h]! + c.solar_mw[lo + h]!),
        6,
      );
    }
    expect(scored).toBe(outcome.ts.length);
  });

  it('refuses a period past the forecast horizon, naming the field', async () => {
    const far = parseStudy({ ...study, from: '2023-10-02', to: '2023-11-01' });
    const error = await runStudy(store, far, settings()).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /^to: .*past the forecast horizon of IE, which ends at 2023-10-08T00:00:00.000Z/,
    );
  });
});

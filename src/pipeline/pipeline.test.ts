import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../lib/logger.js';
import { DcgridError, ErrorCodes, isDcgridError } from '../lib/errors.js';
import { openRegistry } from '../registry/open.js';
import type { ModelRegistry } from '../registry/registry.js';
import { writeDemoRawDir } from '../sources/demo/generate.js';
import { createTestStore, type TestStore } from '../store/test-support/stores.js';
import { openTracker } from '../tracking/open.js';
import type { Tracker } from '../tracking/tracker.js';
import { latestChampionForecast } from './forecast.js';
import { runPipeline, type PipelineRequest } from './pipeline.js';
import { startSchedule } from './schedule.js';
import { trainAndRegister } from './train.js';

let store: TestStore;
let config: Config;
let tracker: Tracker;
let registry: ModelRegistry;

const base: Omit<PipelineRequest, 'resume'> = {
  region: 'IE',
  targets: ['demand_mw'],
  models: ['snaive168', 'xgb'],
  horizon: 24,
  contextLength: 168,
  trainHours: 6 * 168,
  validationHours: 168,
  backtestWeeks: 1,
  seed: 7,
  params: { xgb: { rounds: 60 } },
  ingest: {},
};

async function runStatus(runId: string) {
  return store.db
    .selectFrom('dcgrid.runs')
    .select(['status', 'error'])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'dcgrid-pipeline-'));
  const raw = join(root, 'raw');
  await writeDemoRawDir(raw, { from: Date.UTC(2024, 8, 1), to: Date.UTC(2024, 10, 1) });
  config = loadConfig({ DCGRID_HOME: join(root, 'home'), DCGRID_RAW_DIR: raw }, { dotenv: false });
  store = await createTestStore('postgres');
  tracker = openTracker(config, store);
  registry = openRegistry(config, store);
}, 120_000);

afterAll(() => store?.dispose());

describe('pipeline', () => {
  it('ingests, trains, registers and forecasts, then resumes an interrupted run where it stopped', async () => {
    const controller = new AbortController();
    const interrupted = runPipeline(
      { config, store, tracker, registry },
      {
        ...base,
        resume: false,
        signal: controller.signal,
        onStep: (event) => {
          if (event.kind === 'start' && event.step === 'train/demand_mw/xgb') {
            controller.abort(new DcgridError(ErrorCodes.INTERRUPTED, 'interrupted by SIGTERM'));
          }
        },
      },
    ).catch((e: unknown) => e);
    expect(isDcgridError(await interrupted, 'E_INTERRUPTED') || (await interrupted) instanceof Error).toBe(
      true,
    );
    const killed = await store.db
      .selectFrom('dcgrid.runs')
      .select(['run_id', 'status'])
      .where('name', '=', 'pipeline')
      .executeTakeFirstOrThrow();
    expect(killed.status).toBe('KILLED');
    expect(await registry.list({ region: 'IE', target: 'demand_mw', model: 'xgb' })).toEqual([]);

    const resumed = await runPipeline({ config, store, tracker, registry }, { ...base, resume: true });
    expect(resumed.resumedFrom).toBe(killed.run_id);
    expect(resumed.steps.map((s) => [s.step, s.status])).toEqual([
      ['ingest', 'skipped'],
      ['train/demand_mw/snaive168', 'skipped'],
      ['train/demand_mw/xgb', 'done'],
      ['forecast/demand_mw', 'done'],
    ]);
    expect((await runStatus(resumed.runId)).status).toBe('FINISHED');

    const champion = await registry.getChampion({ region: 'IE', target: 'demand_mw' });
    expect(champion).toBeDefined();
    const latest = await latestChampionForecast({ store, registry }, { region: 'IE', target: 'demand_mw' });
    expect(latest?.rows).toHaveLength(24);
    expect(latest!.origin.toISOString()).toBe('2024-11-01T00:00:00.000Z');
    for (const row of latest!.rows) {
      expect(row.p10!).toBeLessThanOrEqual(row.p50!);
      expect(row.p50!).toBeLessThanOrEqual(row.p90!);
      expect(row.run_id).toBe(champion!.runId);
    }
  }, 300_000);

  it('fails early on unusable training data, tracks the failure and keeps the champion', async () => {
    const before = await registry.getChampion({ region: 'IE', target: 'demand_mw' });
    const error = await trainAndRegister(
      { store, tracker, registry },
      { ...base, target: 'demand_mw', model: 'xgb', trainHours: 6 * 168, backtestWeeks: 30 },
    ).catch((e: unknown) => e);
    expect(isDcgridError(error, 'E_TRAINING_DATA')).toBe(true);
    expect((error as Error).message).toMatch(/needs at least \d+/);
    const noTarget = await trainAndRegister(
      { store, tracker, registry },
      { ...base, region: 'NI', target: 'co2_intensity', model: 'xgb' },
    ).catch((e: unknown) => e);
    expect(isDcgridError(noTarget, 'E_TRAINING_DATA')).toBe(true);
    expect((noTarget as Error).message).toContain('no co2_intensity values for region NI');
    const after = await registry.getChampion({ region: 'IE', target: 'demand_mw' });
    expect(after?.version).toBe(before?.version);
    expect(after?.model).toBe(before?.model);
  }, 120_000);
});

describe('schedule', () => {
  it('never runs two pipelines at once and survives a failed run', async () => {
    const outcomes: string[] = [];
    let request: Omit<PipelineRequest, 'signal'> = {
      ...base,
      models: ['snaive168'],
      ingest: false,
      resume: false,
    };
    const schedule = startSchedule(
      { config, store, tracker, registry },
      {
        cron: '0 0 1 1 *',
        request: () => request,
        log: createLogger('test', 'silent'),
        onRunEnd: (o) => outcomes.push(o.ok ? 'ok' : 'failed'),
      },
    );
    try {
      const [first, second] = await Promise.all([schedule.trigger(), schedule.trigger()]);
      expect([first, second]).toEqual(['ran', 'skipped']);
      request = { ...request, targets: ['co2_intensity'], region: 'NI' };
      expect(await schedule.trigger()).toBe('failed');
      request = { ...base, models: ['snaive168'], ingest: false, resume: false };
      expect(await schedule.trigger()).toBe('ran');
      expect(outcomes).toEqual(['ok', 'failed', 'ok']);
      expect(schedule.nextRun()?.getUTCMonth()).toBe(0);
    } finally {
      await schedule.stop();
    }
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test-support/api.js';
import { createServedStore, FIXTURE_TO, type ServedStore } from '../test-support/served-store.js';

const HOUR = 3_600_000;
const at = (h: number) => new Date(FIXTURE_TO + h * HOUR).toISOString();

interface Answer {
  recommendation: {
    start: string;
    blocks: Array<{ start: string; end: string }>;
    expected: { costEur: { p10: number; p50: number; p90: number }; carbonKg: { p50: number } | null };
  };
  startAtEarliest: { start: string; expected: { costEur: { p50: number } } };
  saving: { costEur: number };
  inputs: Record<
    'price' | 'carbon' | 'stress',
    Array<{ from: string; to: string; source: string; model?: string }>
  >;
}

describe('POST /api/schedule', () => {
  let served: ServedStore;
  let api: TestApi;

  beforeAll(async () => {
    served = await createServedStore('postgres');
    // The next day's SEM auction, stored as the SEMOpx ingest stores it: 100 EUR/MWh except
    // 10, 20, 30 at hours 3-5 and 5 at hours 1, 7 and 20.
    const special: Record<number, number> = { 1: 5, 3: 10, 4: 20, 5: 30, 7: 5, 20: 5 };
    await served.store.db
      .insertInto('dcgrid.features_hourly')
      .values(
        Array.from({ length: 24 }, (_, h) => ({
          region: 'IE',
          ts_utc: new Date(FIXTURE_TO + h * HOUR),
          price_eur_mwh: special[h] ?? 100,
          flags: [],
        })),
      )
      .execute();
    api = await startTestApi(served);
  }, 300_000);
  afterAll(async () => {
    await api?.close();
    await served?.dispose();
  });

  const job = { powerMw: 2, durationHours: 3, earliestStart: at(0), deadline: at(24) };

  it('picks the cheapest window of known day-ahead prices, with its cost and saving (hand-checked)', async () => {
    const response = await api.post('/api/schedule', job);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Answer;
    expect(body.recommendation.blocks).toEqual([{ start: at(3), end: at(6) }]);
    // (10 + 20 + 30) EUR/MWh x 2 MW x 1 h; known prices have no spread.
    expect(body.recommendation.expected.costEur).toEqual({ p10: 120, p50: 120, p90: 120 });
    // Starting at once: (100 + 5 + 100) x 2.
    expect(body.startAtEarliest.expected.costEur.p50).toBe(410);
    expect(body.saving.costEur).toBe(290);
    expect(body.inputs.price).toEqual([{ from: at(0), to: at(24), source: 'day-ahead' }]);
    // Carbon and stress came from the champions' forecasts, and say so.
    expect(body.inputs.carbon).toMatchObject([
      { from: at(0), to: at(24), source: 'forecast', model: 'snaive168' },
    ]);
    expect(body.recommendation.expected.carbonKg!.p50).toBeGreaterThan(0);
  });

  it('splits a job into the cheapest hours within a block limit; energy gives the power', async () => {
    const split = (await (await api.post('/api/schedule', { ...job, splittable: true })).json()) as Answer;
    expect(split.recommendation.blocks.map((b) => b.start)).toEqual([at(1), at(7), at(20)]);
    expect(split.recommendation.expected.costEur.p50).toBe(30);
    const two = (await (
      await api.post('/api/schedule', {
        ...job,
        powerMw: undefined,
        energyMwh: 6,
        splittable: true,
        maxBlocks: 2,
      })
    ).json()) as Answer;
    expect(two.recommendation.blocks).toHaveLength(2);
    expect(two.recommendation.expected.costEur.p50).toBe(70);
  });

  it('uses the price forecast beyond the known day, and weights carbon', async () => {
    const response = await api.post('/api/schedule', {
      ...job,
      deadline: at(72),
      objective: { price: 0.5, carbon: 0.5 },
    });
    const body = (await response.json()) as Answer;
    expect(response.status).toBe(200);
    expect(body.inputs.price.map((s) => s.source)).toEqual(['day-ahead', 'forecast']);
    expect(body.inputs.price[1]).toMatchObject({ from: at(24), to: at(72), model: 'snaive168' });
  });

  it('says which inputs are missing, and names bad parameters', async () => {
    const beyond = await api.post('/api/schedule', {
      ...job,
      earliestStart: at(200),
      deadline: at(230),
      objective: 'carbon',
    });
    expect(beyond.status).toBe(422);
    const problem = (await beyond.json()) as { code: string; missing: string[] };
    expect(problem.code).toBe('E_INPUTS_MISSING');
    expect(problem.missing[0]).toContain(`co2_intensity ${at(200)}..${at(230)}`);
    const both = await api.post('/api/schedule', { ...job, energyMwh: 5 });
    expect(both.status).toBe(400);
    expect(((await both.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe(
      'body.energyMwh',
    );
    const short = await api.post('/api/schedule', { ...job, deadline: at(2) });
    expect(((await short.json()) as { errors: Array<{ parameter: string }> }).errors[0]!.parameter).toBe(
      'body.deadline',
    );
    const typo = await api.post('/api/schedule', { ...job, duration: 3 });
    expect(typo.status).toBe(400);
    const objective = await api.post('/api/schedule', { ...job, objective: 'cheap' });
    expect(objective.status).toBe(400);
  });
});

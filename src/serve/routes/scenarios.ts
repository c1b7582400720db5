/**
 * Capacity-planning studies (docs/SCENARIOS.md): POST /api/scenarios replays stored history, and
 * past the last observed hour the champions' latest forecasts, with added data-centre load and
 * stores the study; GET /api/scenarios lists the stored ones and
 * GET /api/scenarios/{id} reopens one. The request body's schema is the CLI's study schema.
 */
import { z } from 'zod';
import { studySchema } from '../../scenarios/definition.js';
import { getStudy, listStudies, runStudy } from '../../scenarios/study.js';
import type { ApiApp, RouteContext } from '../context.js';
import { errorResponses, resolveRegion } from '../schemas/common.js';

const nullableNumber = z.number().nullable();
const summary = z.object({
  name: z.string(),
  profile: z.enum(['baseline', 'flat', 'diurnal', 'flexible']),
  addMw: z.number(),
  hours: z.number().describe('hours of the period with a stress score'),
  bandHours: z.object({ normal: z.number(), elevated: z.number(), high: z.number(), critical: z.number() }),
  hoursAboveThreshold: z.number(),
  peakNetLoadMw: nullableNumber,
  stressP50: nullableNumber,
  stressP90: nullableNumber,
  stressP99: nullableNumber,
  meanRenewableShare: nullableNumber,
  meanDcShare: nullableNumber,
  addedEnergyMwh: z.number(),
  costEur: z.number().describe('the added energy at the observed (or, on the horizon, forecast) price'),
  pricedShare: nullableNumber.describe('share of the added energy that had a price'),
  avgPriceEurMwh: nullableNumber,
  carbonT: z.number().describe('the added energy at the observed (or forecast) CO2 intensity, tonnes'),
  flex: z
    .object({
      shiftedMwh: z.number(),
      savedCostEur: z.number(),
      savedCarbonT: z.number(),
      fewerHoursAboveThreshold: z.number(),
    })
    .nullable()
    .describe('flexible profiles: what moving load saved against the same load run flat'),
});
const outcome = z.object({
  summary,
  daily: z.array(z.object({ day: z.string(), maxStress: nullableNumber, peakNetLoadMw: nullableNumber })),
});

const sourceSpan = z.object({
  from: z.string(),
  to: z.string(),
  hours: z.number(),
  source: z.enum(['observed', 'forecast', 'seasonal-naive', 'missing']),
  model: z.string().optional(),
  version: z.number().optional(),
  origin: z.string().optional().describe('the forecast used: its origin'),
});
const inputs = z
  .object({
    observedTo: z
      .string()
      .describe('the hour after the last observed demand: the forecast horizon starts here'),
    horizonHours: z.number().describe('hours of the period on the forecast horizon'),
    sources: z
      .record(z.string(), z.array(sourceSpan))
      .describe(
        "per input column, runs of hours by source: observed, forecast (a champion's P50), seasonal-naive " +
          '(the last observed week repeated, as snaive168) or missing',
      ),
    stressForecast: z
      .object({
        model: z.string(),
        version: z.number(),
        origin: z.string(),
        hours: z.number(),
        meanAbsDiff: nullableNumber,
        withinP10P90: nullableNumber,
      })
      .nullable()
      .describe("the recomputed baseline beside the stress_score champion's own forecast, on horizon hours"),
    tight: z
      .array(
        z.object({
          name: z.string(),
          hoursAboveThreshold: z.number(),
          peakNetLoadMw: nullableNumber,
          stressP99: nullableNumber,
          costEur: z.number(),
        }),
      )
      .nullable()
      .optional()
      .describe(
        'the baseline and each scenario again with the forecast inputs at their stress-raising quantiles ' +
          '(demand P90, wind and solar P10, price and CO2 P90): a pessimistic bound, not a joint quantile',
      ),
  })
  .optional()
  .describe('where the inputs came from (absent for studies stored before it was kept)');

export const studyAnswer = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  name: z.string(),
  region: z.string(),
  definition: z.unknown().describe('the study as validated (dates as epoch milliseconds)'),
  results: z.object({
    alertThreshold: z.number(),
    covered: z.object({ from: z.string(), to: z.string() }),
    baseline: outcome,
    scenarios: z.array(outcome),
    inputs,
  }),
  settings: z.unknown().describe('the stress weights and alert threshold the study used'),
});

const listAnswer = z.object({
  studies: z.array(
    z.object({
      id: z.number(),
      createdAt: z.string(),
      name: z.string(),
      region: z.string(),
      from: z.string(),
      to: z.string(),
      scenarios: z.number(),
    }),
  ),
});

export function registerScenarioRoutes(app: ApiApp, { deps }: RouteContext): void {
  app.post(
    '/api/scenarios',
    {
      schema: {
        tags: ['scenarios'],
        summary:
          'replay stored history (or the forecast horizon) with added data-centre load, beside the baseline; stored for later',
        description:
          'Profiles: flat, diurnal (24 levels by UTC hour), flexible (share of each hour movable within maxShiftH ' +
          'hours of the same UTC day, away from high stress, price or carbon); optional rampIn. The replay uses the ' +
          "ingest's own feature and stress code. Hours after the last observed one use the champions' latest " +
          'forecasts (P50), or the seasonal-naive profile of the last observed week for inputs without one; ' +
          'results.inputs says which hours of which input came from where. A period past the forecast horizon ' +
          'is a 400 naming `to`. docs/SCENARIOS.md.',
        body: studySchema,
        response: { 200: studyAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const study = request.body;
      resolveRegion(study.region, deps.config);
      const { study: saved } = await runStudy(deps.store, study, {
        weights: deps.config.STRESS_WEIGHTS,
        alertThreshold: deps.config.STRESS_ALERT_THRESHOLD,
      });
      return saved;
    },
  );

  app.get(
    '/api/scenarios',
    {
      schema: {
        tags: ['scenarios'],
        summary: 'stored studies, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: listAnswer, ...errorResponses },
      },
    },
    async (request) => ({ studies: await listStudies(deps.store, request.query.limit) }),
  );

  app.get(
    '/api/scenarios/:id',
    {
      schema: {
        tags: ['scenarios'],
        summary: 'a stored study with its results',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: studyAnswer, ...errorResponses },
      },
    },
    async (request) => getStudy(deps.store, request.params.id),
  );
}

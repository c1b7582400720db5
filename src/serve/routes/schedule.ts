/** POST /api/schedule: the energy-aware scheduling advisor for a flexible job. */
import { z } from 'zod';
import {
  chooseHours,
  HOUR_MS,
  QUANTITIES,
  startAtOnce,
  type Choice,
  type HourInputs,
  type JobSpec,
  type Weights,
} from '../advisor/plan.js';
import { loadWindowInputs, QUANTITY_TARGET, type SourceSpan } from '../advisor/inputs.js';
import type { ApiApp, RouteContext } from '../context.js';
import { ApiError, ApiErrorCodes, badRequest } from '../errors.js';
import { errorResponses, instant, problemSchema, regionParam, resolveRegion } from '../schemas/common.js';

const MAX_WINDOW_H = 336;

const weightsSchema = z
  .object({
    price: z.number().min(0).default(0),
    carbon: z.number().min(0).default(0),
    stress: z.number().min(0).default(0),
  })
  .strict();

export const scheduleBody = z
  .object({
    region: regionParam,
    energyMwh: z.number().positive().max(1e6).optional().describe('energy the job needs (or powerMw)'),
    powerMw: z
      .number()
      .positive()
      .max(1e5)
      .optional()
      .describe('constant power while running (or energyMwh)'),
    durationHours: z.number().int().min(1).max(168).describe('hours of running'),
    earliestStart: instant.optional().describe('default: the next whole hour'),
    deadline: instant
      .optional()
      .describe('the job must have finished by then (default: earliestStart + 24 h)'),
    objective: z
      .union([z.enum(['price', 'carbon', 'stress']), weightsSchema])
      .default('price')
      .describe('minimise cost, carbon or mean stress, or weights of these ({"price":0.7,"carbon":0.3})'),
    splittable: z.boolean().default(false).describe('may run in separate hourly blocks'),
    maxBlocks: z.number().int().min(1).max(168).optional().describe('with splittable: the most blocks'),
  })
  .strict();

const band = z.object({ p10: z.number(), p50: z.number(), p90: z.number() });
const expected = z.object({
  costEur: band.nullable(),
  carbonKg: band.nullable(),
  meanStress: band.nullable(),
});
const spanSchema = z.object({
  from: z.string(),
  to: z.string(),
  source: z.enum(['day-ahead', 'observed', 'forecast', 'missing']),
  model: z.string().optional(),
  version: z.number().optional(),
  origin: z.string().optional(),
});

export const scheduleAnswer = z.object({
  region: z.string(),
  job: z.object({
    powerMw: z.number(),
    energyMwh: z.number(),
    durationHours: z.number(),
    earliestStart: z.string(),
    deadline: z.string(),
    weights: z.object({ price: z.number(), carbon: z.number(), stress: z.number() }),
    splittable: z.boolean(),
    maxBlocks: z.number().nullable(),
  }),
  recommendation: z.object({
    start: z.string(),
    end: z.string(),
    blocks: z.array(z.object({ start: z.string(), end: z.string() })),
    hours: z.array(
      z.object({
        ts: z.string(),
        priceEurMwh: band.nullable(),
        co2GPerKwh: band.nullable(),
        stress: band.nullable(),
      }),
    ),
    expected,
  }),
  startAtEarliest: z.object({ start: z.string(), end: z.string(), expected }),
  saving: z
    .object({
      costEur: z.number().nullable(),
      carbonKg: z.number().nullable(),
      meanStress: z.number().nullable(),
    })
    .describe('start-at-earliest P50 minus recommended P50'),
  inputs: z
    .object({ price: z.array(spanSchema), carbon: z.array(spanSchema), stress: z.array(spanSchema) })
    .describe('which hours used known values (day-ahead prices, observations) and which used forecasts'),
  notes: z.array(z.string()),
});

const iso = (ms: number) => new Date(ms).toISOString();

function weightsOf(objective: z.infer<typeof scheduleBody>['objective']): Weights {
  if (typeof objective === 'string') return { price: 0, carbon: 0, stress: 0, [objective]: 1 };
  if (QUANTITIES.every((q) => objective[q] === 0))
    throw badRequest('body.objective', 'at least one weight must be above 0');
  return objective;
}

function describeSpans(spans: SourceSpan[]) {
  return spans.map((s) => ({
    from: iso(s.from),
    to: iso(s.to),
    source: s.source,
    ...(s.model !== undefined ? { model: s.model, version: s.version!, origin: iso(s.origin!) } : {}),
  }));
}

function choiceJson(choice: Choice, hours: HourInputs[]) {
  const start = hours[choice.hours[0]!]!.ts;
  const end = hours[choice.hours.at(-1)!]!.ts + HOUR_MS;
  return { start: iso(start), end: iso(end), expected: choice.totals };
}

export function registerScheduleRoutes(app: ApiApp, { deps, cache }: RouteContext): void {
  app.post(
    '/api/schedule',
    {
      schema: {
        tags: ['advisor'],
        summary: 'best start time(s) for a flexible job by price, carbon, stress or a mix',
        description:
          "Uses known hours where they are known (stored SEM day-ahead prices, observations) and the champions' latest " +
          'forecasts of price_eur_mwh, co2_intensity and stress_score beyond; `inputs` says which hours used which. ' +
          'Ranges are the sums of hourly P10s and P90s (a conservative band). 422 names the inputs that are missing.',
        body: scheduleBody,
        response: { 200: scheduleAnswer, ...errorResponses, 422: problemSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const region = resolveRegion(b.region, deps.config);
      if ((b.energyMwh === undefined) === (b.powerMw === undefined))
        throw badRequest('body.energyMwh', 'give exactly one of energyMwh and powerMw');
      if (b.maxBlocks !== undefined && !b.splittable)
        throw badRequest('body.maxBlocks', 'only applies with splittable: true');
      const weights = weightsOf(b.objective);
      const earliest = Math.ceil((b.earliestStart?.getTime() ?? Date.now()) / HOUR_MS) * HOUR_MS;
      const deadline = Math.floor((b.deadline?.getTime() ?? earliest + 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
      const windowHours = (deadline - earliest) / HOUR_MS;
      if (windowHours < b.durationHours)
        throw badRequest(
          'body.deadline',
          `leaves ${Math.max(0, windowHours)} whole hours after earliestStart, the job needs ${b.durationHours}`,
        );
      if (windowHours > MAX_WINDOW_H)
        throw badRequest('body.deadline', `at most ${MAX_WINDOW_H} hours after earliestStart`);
      const powerMw = b.powerMw ?? b.energyMwh! / b.durationHours;
      const job: JobSpec = {
        powerMw,
        durationHours: b.durationHours,
        weights,
        splittable: b.splittable,
        ...(b.maxBlocks !== undefined ? { maxBlocks: b.maxBlocks } : {}),
      };

      // The inputs change only with the data: kept in the response cache, which follows the data version.
      const inputs = await cache.get(`advisor-inputs ${region} ${earliest} ${deadline}`, () =>
        loadWindowInputs(deps, { region, from: earliest, to: deadline }),
      );
      const missing = QUANTITIES.filter((q) => weights[q] > 0).flatMap((q) =>
        inputs.sources[q]
          .filter((s) => s.source === 'missing')
          .map(
            (s) =>
              `${QUANTITY_TARGET[q]} ${iso(s.from)}..${iso(s.to)}: no known value and no champion forecast`,
          ),
      );
      if (missing.length > 0) {
        throw new ApiError(
          422,
          ApiErrorCodes.INPUTS_MISSING,
          `the objective needs inputs that are missing: ${missing.join('; ')}. Forecasts cover the horizon after the last ingest; ` +
            'run the pipeline with these targets, or move the window.',
          { missing },
        );
      }
      const best = chooseHours(inputs.hours, job);
      const atOnce = startAtOnce(inputs.hours, job);
      const diff = (k: keyof Choice['totals']) => {
        const a = atOnce.totals[k];
        const r = best.totals[k];
        return a === null || r === null ? null : a.p50 - r.p50;
      };
      const notes = [
        'P10/P90 ranges are sums of hourly quantiles: wider than the true P10-P90 of the total.',
      ];
      for (const q of QUANTITIES) {
        if (weights[q] === 0 && inputs.sources[q].some((s) => s.source === 'missing'))
          notes.push(`${QUANTITY_TARGET[q]} is missing for some hours: its expected total is null.`);
      }
      return {
        region,
        job: {
          powerMw,
          energyMwh: powerMw * b.durationHours,
          durationHours: b.durationHours,
          earliestStart: iso(earliest),
          deadline: iso(deadline),
          weights,
          splittable: b.splittable,
          maxBlocks: b.maxBlocks ?? null,
        },
        recommendation: {
          ...choiceJson(best, inputs.hours),
          blocks: best.blocks.map((bl) => ({
            start: iso(inputs.hours[bl.start]!.ts),
            end: iso(inputs.hours[bl.end - 1]!.ts + HOUR_MS),
          })),
          hours: best.hours.map((h) => {
            const hour = inputs.hours[h]!;
            return {
              ts: iso(hour.ts),
              priceEurMwh: hour.price ?? null,
              co2GPerKwh: hour.carbon ?? null,
              stress: hour.stress ?? null,
            };
          }),
        },
        startAtEarliest: choiceJson(atOnce, inputs.hours),
        saving: { costEur: diff('costEur'), carbonKg: diff('carbonKg'), meanStress: diff('meanStress') },
        inputs: {
          price: describeSpans(inputs.sources.price),
          carbon: describeSpans(inputs.sources.carbon),
          stress: describeSpans(inputs.sources.stress),
        },
        notes,
      };
    },
  );
}

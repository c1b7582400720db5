/**
 * The `ensemble` forecaster: a weighted combination of member models (default mstl and xgb).
 * fit() splits the training window: the members are fitted once on the hours before its last
 * `validationHours`, then forecast from daily origins inside those hours (each from the history
 * before it, as in a backtest). On those validation forecasts it learns, per band of horizon hours
 * (default 24), the member weights that minimise the median's absolute error, and calibrates the
 * intervals: 'conformal' (default) puts quantile q at the combined median plus the q-quantile of
 * the band's validation errors around it (their median removed, so the band's validation bias is
 * not carried forward); 'average' combines the members' own quantiles with the same weights.
 * Nothing after the end of the training window is used. The members forecast from the latest
 * history at every origin; they are not refitted on the validation hours.
 */
import { z } from 'zod';
import { REGIONS } from '../../config/config.js';
import { DcgridError, ErrorCodes } from '../../lib/errors.js';
import { checkHorizon, checkHourlyFrame, checkQuantiles, forecastAt, quantileRow } from '../harness.js';
import { modelJson, readModelJson } from '../model-files.js';
import { uncross } from '../quantiles.js';
import { curvesFromGrids, errorGrids, MIN_VALIDATION_ORIGINS, validationOrigins } from '../calibration.js';
import type {
  FitOptions,
  FitReport,
  Forecast,
  Forecaster,
  HourlyFrame,
  ModelDescription,
  ModelFactory,
  ModelFiles,
  TrainingData,
} from '../types.js';
import { fitWeights } from './weights.js';

export const MODEL_FILE = 'ensemble.json';
const MEMBER_PREFIX = 'member.';
const STEPS_PER_MEMBER = 100;

export const ensembleParamsSchema = z
  .object({
    /** Member models (catalog names), each fitted once per ensemble fit. */
    members: z
      .array(z.string().regex(/^[a-z0-9]+$/))
      .min(1)
      .default(['mstl', 'xgb']),
    /** Parameters of each member, by member name. */
    memberParams: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** Forecast hours that share one set of weights and one error distribution. */
    bandHours: z.number().int().min(1).max(168).default(24),
    /** Hours between validation origins. */
    everyH: z
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(24),
    intervals: z.enum(['conformal', 'average']).default('conformal'),
  })
  .strict();

export type EnsembleParams = z.infer<typeof ensembleParamsSchema>;

const savedSchema = z
  .object({
    format: z.literal('dcgrid-ensemble'),
    version: z.literal(1),
    target: z.string(),
    region: z.enum(REGIONS),
    horizon: z.number().int().positive(),
    quantiles: z.array(z.number()),
    params: ensembleParamsSchema,
    /** Per band of `bandHours`: member weights (in members order) and the error percentile grid. */
    bands: z.array(z.object({ weights: z.array(z.number()), errors: z.array(z.number()) }).strict()),
    /** Each member's file names (stored as member.<name>.<file>). */
    memberFiles: z.record(z.string(), z.array(z.string())),
    validationOrigins: z.number().int(),
    trainedFrom: z.number(),
    trainedTo: z.number(),
  })
  .strict();

type Saved = z.infer<typeof savedSchema>;

export function parseEnsembleParams(input: Record<string, unknown> | undefined): EnsembleParams {
  const parsed = ensembleParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`,
    );
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Invalid ensemble parameters: ${issues.join('; ')}`);
  }
  const params = parsed.data;
  if (params.members.includes('ensemble')) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, 'An ensemble cannot be its own member.');
  }
  const twice = params.members.filter((m, i) => params.members.indexOf(m) !== i);
  if (twice.length > 0) {
    throw new DcgridError(ErrorCodes.CONFIG_INVALID, `Ensemble member ${twice.join(', ')} is listed twice.`);
  }
  return params;
}

/** The levels a member is asked for: the requested ones and the median. */
const withMedian = (levels: readonly number[]) => checkQuantiles([...levels, 0.5]);

function copyRows(frame: HourlyFrame, to: number): HourlyFrame {
  return {
    ts: frame.ts.slice(0, to),
    columns: Object.fromEntries(Object.entries(frame.columns).map(([k, v]) => [k, v.slice(0, to)])),
  };
}

const band = (h: number, bandHours: number) => Math.floor((h - 1) / bandHours);

export class EnsembleForecaster implements Forecaster {
  readonly name = 'ensemble';
  readonly #resolve: (name: string) => ModelFactory;
  #saved: Saved | undefined;
  #members: Forecaster[] = [];

  /** @param resolve the factory of a member model by name (the catalog's getModelFactory) */
  constructor(resolve: (name: string) => ModelFactory) {
    this.#resolve = resolve;
  }

  static async fromFiles(
    files: ModelFiles,
    resolve: (name: string) => ModelFactory,
  ): Promise<EnsembleForecaster> {
    const saved = readModelJson(files, MODEL_FILE, savedSchema, 'ensemble');
    const model = new EnsembleForecaster(resolve);
    try {
      for (const name of saved.params.members) {
        const names = saved.memberFiles[name] ?? [];
        const own: ModelFiles = {};
        for (const file of names) {
          const bytes = files[`${MEMBER_PREFIX}${name}.${file}`];
          if (bytes === undefined) {
            throw new DcgridError(
              ErrorCodes.ARTIFACT,
              `the ensemble files have no ${name} member file ${file}`,
              {
                file,
              },
            );
          }
          own[file] = bytes;
        }
        model.#members.push(await resolve(name).load(own));
      }
    } catch (error) {
      model.dispose();
      throw error;
    }
    model.#saved = saved;
    return model;
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    const started = performance.now();
    checkHorizon(options.horizon);
    const quantiles = checkQuantiles(options.quantiles);
    const params = parseEnsembleParams(options.params);
    const factories = params.members.map((name) => this.#resolve(name));
    const { frame, target } = data;
    checkHourlyFrame(frame, [target], 'training frame');
    const hours = frame.ts.length;
    const horizon = options.horizon;
    const fitEnd = hours - options.validationHours;
    const origins = validationOrigins(hours, options.validationHours, horizon, params.everyH);
    if (origins.length < MIN_VALIDATION_ORIGINS || fitEnd <= 0) {
      throw new DcgridError(
        ErrorCodes.TRAINING_DATA,
        `The ensemble learns its weights on forecasts from origins in the validation window: ${options.validationHours} ` +
          `validation hours give ${origins.length} origins ${params.everyH} h apart with ${horizon} h after them; ` +
          `at least ${MIN_VALIDATION_ORIGINS} are needed (validation hours >= horizon + ${(MIN_VALIDATION_ORIGINS - 1) * params.everyH}).`,
        { column: target },
      );
    }
    const levels = withMedian(quantiles);
    const memberFrame = copyRows(frame, fitEnd);
    const y = frame.columns[target]!;
    const points = origins.length * horizon;
    const actual = new Float64Array(points);
    for (const [j, o] of origins.entries())
      for (let h = 0; h < horizon; h++) actual[j * horizon + h] = y[o + h]!;
    // predictions[m][levelIndex][j * horizon + h]
    const predictions: Float64Array[][] = [];
    // Progress in whole steps (tracking wants integer steps): per member, its fit to half way, its
    // validation forecasts to the end.
    const totalSteps = factories.length * STEPS_PER_MEMBER;
    const members: Forecaster[] = [];
    const metrics: Record<string, number> = {};
    try {
      for (const [m, factory] of factories.entries()) {
        options.signal?.throwIfAborted();
        const member = factory.create();
        members.push(member);
        await member.fit(
          { region: data.region, target, frame: memberFrame },
          {
            ...options,
            quantiles: levels,
            params: params.memberParams[factory.name] ?? {},
            validationHours: Math.min(options.validationHours, Math.floor(fitEnd / 5)),
            onProgress: (p) =>
              options.onProgress?.({
                step:
                  STEPS_PER_MEMBER * m +
                  Math.round((STEPS_PER_MEMBER / 2) * (p.step / Math.max(1, p.totalSteps))),
                totalSteps,
                metrics: { member: m, ...p.metrics },
              }),
          },
        );
        const rows = levels.map(() => new Float64Array(points));
        for (const [j, o] of origins.entries()) {
          options.signal?.throwIfAborted();
          const forecast = await forecastAt(member, frame, frame.ts[o]!, { horizon, quantiles: levels });
          for (const [k, q] of levels.entries()) rows[k]!.set(quantileRow(forecast, q), j * horizon);
        }
        predictions.push(rows);
        metrics[`valid_mae_${factory.name}`] = meanAbsoluteError(rows[levels.indexOf(0.5)]!, actual);
        options.onProgress?.({ step: STEPS_PER_MEMBER * (m + 1), totalSteps, metrics: { member: m } });
      }
    } catch (error) {
      for (const member of members) member.dispose();
      throw error;
    }

    const median = levels.indexOf(0.5);
    const bandCount = band(horizon, params.bandHours) + 1;
    const bands: Saved['bands'] = [];
    const combined = new Float64Array(points).fill(Number.NaN);
    for (let b = 0; b < bandCount; b++) {
      const index: number[] = [];
      for (let j = 0; j < origins.length; j++) {
        for (let h = b * params.bandHours; h < Math.min(horizon, (b + 1) * params.bandHours); h++)
          index.push(j * horizon + h);
      }
      const pick = (values: Float64Array) => Float64Array.from(index, (i) => values[i]!);
      const weights = fitWeights(
        predictions.map((rows) => pick(rows[median]!)),
        pick(actual),
      );
      for (const i of index) {
        let value = 0;
        for (let m = 0; m < members.length; m++) value += weights[m]! * predictions[m]![median]![i]!;
        combined[i] = value;
      }
      bands.push({ weights, errors: [] });
    }
    // The intervals: the combined median's validation errors per band (calibration.ts).
    const grids = errorGrids(
      Float64Array.from(actual, (y, i) => y - combined[i]!),
      horizon,
      params.bandHours,
    );
    for (const [b, grid] of grids.entries()) bands[b]!.errors = grid;
    metrics.valid_mae = meanAbsoluteError(combined, actual);
    metrics.validation_origins = origins.length;

    const memberFiles: Record<string, string[]> = {};
    for (const [m, name] of params.members.entries()) {
      memberFiles[name] = Object.keys(await members[m]!.save()).sort();
    }
    this.#release();
    this.#members = members;
    this.#saved = {
      format: 'dcgrid-ensemble',
      version: 1,
      target,
      region: data.region,
      horizon,
      quantiles,
      params,
      bands,
      memberFiles,
      validationOrigins: origins.length,
      trainedFrom: frame.ts[0]!,
      trainedTo: frame.ts[hours - 1]!,
    };
    return {
      steps: totalSteps,
      bestStep: totalSteps,
      metrics,
      curve: [{ step: totalSteps, metrics }],
      seconds: (performance.now() - started) / 1000,
    };
  }

  #require(): Saved {
    if (this.#saved === undefined) {
      throw new DcgridError(
        ErrorCodes.MODEL,
        'The ensemble model is not fitted (or was disposed); call fit() or load it.',
      );
    }
    return this.#saved;
  }

  async forecast(
    history: HourlyFrame,
    options: { horizon: number; quantiles?: readonly number[] },
  ): Promise<Forecast> {
    const saved = this.#require();
    checkHorizon(options.horizon, saved.horizon);
    const quantiles = checkQuantiles(options.quantiles ?? saved.quantiles);
    const levels = withMedian(quantiles);
    const horizon = options.horizon;
    const forecasts: Forecast[] = [];
    for (const member of this.#members)
      forecasts.push(await member.forecast(history, { horizon, quantiles: levels }));
    const { bandHours } = saved.params;
    const weightOf = (m: number, h: number) => saved.bands[band(h + 1, bandHours)]!.weights[m]!;
    const combine = (q: number) =>
      Float64Array.from({ length: horizon }, (_, h) =>
        forecasts.reduce((sum, forecast, m) => sum + weightOf(m, h) * quantileRow(forecast, q)[h]!, 0),
      );
    const median = combine(0.5);
    const values =
      saved.params.intervals === 'average'
        ? quantiles.map((q) => (q === 0.5 ? median : combine(q)))
        : curvesFromGrids(
            median,
            quantiles,
            saved.bands.map((b) => b.errors),
            bandHours,
          );
    uncross(values);
    return { origin: forecasts[0]!.origin, ts: forecasts[0]!.ts.slice(), quantiles, values };
  }

  async save(): Promise<ModelFiles> {
    const saved = this.#require();
    const files: ModelFiles = { [MODEL_FILE]: modelJson(saved) };
    for (const [m, name] of saved.params.members.entries()) {
      for (const [file, bytes] of Object.entries(await this.#members[m]!.save()))
        files[`${MEMBER_PREFIX}${name}.${file}`] = bytes;
    }
    return files;
  }

  describe(): ModelDescription {
    const saved = this.#require();
    const descriptions = this.#members.map((member) => member.describe());
    return {
      model: this.name,
      target: saved.target,
      region: saved.region,
      horizon: saved.horizon,
      contextLength: Math.max(...descriptions.map((d) => d.contextLength)),
      quantiles: saved.quantiles,
      features: [...new Set(descriptions.flatMap((d) => d.features))],
      params: { ...saved.params },
      trainedFrom: saved.trainedFrom,
      trainedTo: saved.trainedTo,
      details: {
        intervals: saved.params.intervals,
        validationOrigins: saved.validationOrigins,
        weightsByBand: saved.bands.map((b, i) => ({
          hours: `${i * saved.params.bandHours + 1}-${Math.min(saved.horizon, (i + 1) * saved.params.bandHours)}`,
          ...Object.fromEntries(saved.params.members.map((name, m) => [name, b.weights[m]!])),
        })),
        members: Object.fromEntries(descriptions.map((d) => [d.model, d.details ?? {}])),
      },
    };
  }

  #release(): void {
    for (const member of this.#members) member.dispose();
    this.#members = [];
  }

  dispose(): void {
    this.#release();
    this.#saved = undefined;
  }
}

function meanAbsoluteError(forecast: Float64Array, actual: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs(actual[i]! - forecast[i]!);
    if (Number.isFinite(e)) {
      sum += e;
      count++;
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

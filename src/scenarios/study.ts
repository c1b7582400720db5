/**
 * Runs a study and keeps it: the frame read from features_hourly (the period and the year before it
 * that the stress score's reference needs), past the last observed hour filled from the champions'
 * latest forecasts (horizon.ts), the replay, and one row in dcgrid.scenario_studies with the
 * definition, the results (with where each input's hours came from) and the settings they were made with.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { loadHourlyFrame } from '../store/frames.js';
import type { Store } from '../store/store.js';
import type { StudyDefinition } from './definition.js';
import {
  compareStressForecast,
  FALLBACK_HORIZON_H,
  FORECASTABLE_COLUMNS,
  fillHorizon,
  padFrame,
  sourceSpans,
  TIGHT_QUANTILES,
  type FilledFrame,
  type InputForecast,
  type InputSources,
  type StressForecastCheck,
} from './horizon.js';
import {
  evaluateStudy,
  REFERENCE_HOURS,
  SCENARIO_COLUMNS,
  type DailyPoint,
  type ReplaySettings,
  type ScenarioColumn,
  type ScenarioFrame,
  type ScenarioSummary,
  type StudyOutcome,
} from './evaluate.js';

export interface StoredOutcome {
  summary: ScenarioSummary;
  daily: Array<Omit<DailyPoint, 'day'> & { day: string }>;
}

export interface TightSummary {
  name: string;
  hoursAboveThreshold: number;
  peakNetLoadMw: number | null;
  stressP99: number | null;
  costEur: number;
}

export interface StudyResults {
  alertThreshold: number;
  /** The hours of the period that had stored features. */
  covered: { from: string; to: string };
  baseline: StoredOutcome;
  scenarios: StoredOutcome[];
  /** Where each input's hours in the period came from (studies made before this was kept lack it). */
  inputs?: {
    /** Hours from here on are the forecast horizon. */
    observedTo: string;
    horizonHours: number;
    sources: InputSources;
    /** The recomputed baseline beside the stress_score champion's own forecast, on horizon hours. */
    stressForecast: StressForecastCheck | null;
    /**
     * The study again with the forecast inputs at their stress-raising quantiles (demand P90, wind
     * and solar P10, price and CO2 P90): a pessimistic bound; null without any input forecast.
     */
    tight?: TightSummary[] | null;
  };
}

export interface StoredStudy {
  id: number;
  createdAt: string;
  name: string;
  region: string;
  definition: StudyDefinition;
  results: StudyResults;
  settings: ReplaySettings;
}

/** The hour after the last one with an observed demand in the region (null: nothing stored). */
export async function observedUntil(store: Store, region: StudyDefinition['region']): Promise<number | null> {
  const row = await store.db
    .selectFrom('dcgrid.features_hourly')
    .select((eb) => eb.fn.max('ts_utc').as('last'))
    .where('region', '=', region)
    .where('demand_mw', 'is not', null)
    .executeTakeFirst();
  return row?.last == null ? null : new Date(row.last).getTime() + HOUR_MS;
}

/** The latest forecast the champion of (region, target) issued, or undefined (no champion or none issued). */
export async function latestChampionForecast(
  store: Store,
  region: StudyDefinition['region'],
  target: string,
): Promise<InputForecast | undefined> {
  const champion = await store.db
    .selectFrom('dcgrid.models')
    .select(['model', 'version'])
    .where('region', '=', region)
    .where('target', '=', target)
    .where('alias', '=', 'champion')
    .executeTakeFirst();
  if (champion === undefined) return undefined;
  const latest = await store.db
    .selectFrom('dcgrid.forecasts')
    .select((eb) => eb.fn.max('origin').as('origin'))
    .where('region', '=', region)
    .where('target', '=', target)
    .where('model', '=', champion.model)
    .where('version', '=', champion.version)
    .executeTakeFirst();
  if (latest?.origin == null) return undefined;
  const origin = new Date(latest.origin);
  const rows = await store.db
    .selectFrom('dcgrid.forecasts')
    .select(['ts_utc', 'p10', 'p50', 'p90'])
    .where('region', '=', region)
    .where('target', '=', target)
    .where('model', '=', champion.model)
    .where('version', '=', champion.version)
    .where('origin', '=', origin)
    .orderBy('ts_utc')
    .execute();
  return {
    model: champion.model,
    version: champion.version,
    origin: origin.getTime(),
    ts: rows.map((r) => new Date(r.ts_utc).getTime()),
    p10: rows.map((r) => r.p10),
    p50: rows.map((r) => r.p50),
    p90: rows.map((r) => r.p90),
  };
}

export interface StudyFrame {
  /** Stored history, and past the last observed hour the filled forecast inputs. */
  frame: ScenarioFrame;
  labels: FilledFrame['labels'];
  /** The hour after the last observed demand: hours from here on are the forecast horizon. */
  observedTo: number;
  /** The stress_score champion's latest forecast, when the study reaches the horizon. */
  stressForecast?: InputForecast;
  /** The same frame with the forecast inputs at their stress-raising quantiles (TIGHT_QUANTILES). */
  tight?: ScenarioFrame;
}

/**
 * The frame a study replays: the period and the reference history before it from features_hourly;
 * when the period runs past the last observed hour, its later hours get the champions' latest
 * forecasts or the seasonal-naive fallback (horizon.ts). A period past what that can cover is refused.
 */
export async function loadStudyFrame(store: Store, study: StudyDefinition): Promise<StudyFrame> {
  const observedTo = await observedUntil(store, study.region);
  const stored = await loadHourlyFrame(store.db, {
    region: study.region,
    columns: SCENARIO_COLUMNS,
    from: study.from - REFERENCE_HOURS * HOUR_MS,
    to: study.to,
  });
  const last = stored.ts[stored.ts.length - 1];
  if (observedTo === null || last === undefined || (study.to <= observedTo && last < study.from)) {
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `no stored features for ${study.region} between ${new Date(study.from).toISOString()} and ${new Date(study.to).toISOString()}: run \`dcgrid ingest\` for that period first`,
    );
  }
  let frame: ScenarioFrame = { ts: stored.ts, columns: stored.columns as ScenarioFrame['columns'] };
  if (study.to <= observedTo) {
    // History only: nothing is filled (a gap stays a gap, as in the stored features).
    return { ...fillHorizon(frame, Number.POSITIVE_INFINITY, {}), observedTo };
  }
  const forecasts: Partial<Record<ScenarioColumn, InputForecast>> = {};
  let horizonEnd = observedTo + FALLBACK_HORIZON_H * HOUR_MS;
  for (const column of FORECASTABLE_COLUMNS) {
    const forecast = await latestChampionForecast(store, study.region, column);
    if (forecast === undefined || forecast.ts.length === 0) continue;
    forecasts[column] = forecast;
    horizonEnd = Math.max(horizonEnd, forecast.ts.at(-1)! + HOUR_MS);
  }
  if (study.to > horizonEnd) {
    throw new DcgridError(
      ErrorCodes.CONFIG_INVALID,
      `to: ${new Date(study.to).toISOString()} is past the forecast horizon of ${study.region}, which ends at ${new Date(horizonEnd).toISOString()} ` +
        `(observed data end at ${new Date(observedTo).toISOString()}; run the pipeline for newer forecasts)`,
    );
  }
  frame = padFrame(frame, frame.ts[0]!, study.to);
  const stressForecast = await latestChampionForecast(store, study.region, 'stress_score');
  const tight =
    Object.keys(forecasts).length > 0
      ? fillHorizon(frame, observedTo, forecasts, TIGHT_QUANTILES).frame
      : undefined;
  return {
    ...fillHorizon(frame, observedTo, forecasts),
    observedTo,
    ...(stressForecast ? { stressForecast } : {}),
    ...(tight ? { tight } : {}),
  };
}

function stored(outcome: StudyOutcome['baseline']): StoredOutcome {
  return {
    summary: outcome.summary,
    daily: outcome.daily.map((d) => ({ ...d, day: new Date(d.day).toISOString().slice(0, 10) })),
  };
}

export function studyResults(outcome: StudyOutcome, input?: StudyFrame, tight?: StudyOutcome): StudyResults {
  const first = outcome.ts[0] ?? 0;
  const last = outcome.ts[outcome.ts.length - 1] ?? first;
  const to = last + HOUR_MS;
  const results: StudyResults = {
    alertThreshold: outcome.alertThreshold,
    covered: { from: new Date(first).toISOString(), to: new Date(to).toISOString() },
    baseline: stored(outcome.baseline),
    scenarios: outcome.scenarios.map(stored),
  };
  if (input === undefined || outcome.ts.length === 0) return results;
  let horizonHours = 0;
  for (const t of outcome.ts) if (t >= input.observedTo) horizonHours++;
  const onHorizon = outcome.ts.subarray(outcome.ts.length - horizonHours);
  const baselineOnHorizon = outcome.baseline.hourly.stress.subarray(outcome.ts.length - horizonHours);
  results.inputs = {
    observedTo: new Date(input.observedTo).toISOString(),
    horizonHours,
    sources: sourceSpans(input.frame.ts, input.labels, first, to),
    stressForecast:
      horizonHours > 0 && input.stressForecast
        ? compareStressForecast(onHorizon, baselineOnHorizon, input.stressForecast)
        : null,
    tight:
      tight === undefined
        ? null
        : [tight.baseline, ...tight.scenarios].map(({ summary: s }) => ({
            name: s.name,
            hoursAboveThreshold: s.hoursAboveThreshold,
            peakNetLoadMw: s.peakNetLoadMw,
            stressP99: s.stressP99,
            costEur: s.costEur,
          })),
  };
  return results;
}

export interface RunStudyResult {
  study: StoredStudy;
  outcome: StudyOutcome;
  seconds: number;
}

export async function runStudy(
  store: Store,
  study: StudyDefinition,
  settings: ReplaySettings,
): Promise<RunStudyResult> {
  const started = performance.now();
  const input = await loadStudyFrame(store, study);
  const outcome = evaluateStudy(input.frame, study, settings);
  const tight = input.tight ? evaluateStudy(input.tight, study, settings) : undefined;
  const results = studyResults(outcome, input, tight);
  const row = await store.db
    .insertInto('dcgrid.scenario_studies')
    .values({
      name: study.name,
      region: study.region,
      period_from: new Date(study.from),
      period_to: new Date(study.to),
      definition: JSON.stringify(study),
      results: JSON.stringify(results),
      settings: JSON.stringify(settings),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    study: {
      id: row.id,
      createdAt: row.created_at.toISOString(),
      name: study.name,
      region: study.region,
      definition: study,
      results,
      settings,
    },
    outcome,
    seconds: (performance.now() - started) / 1000,
  };
}

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export async function listStudies(
  store: Store,
  limit = 50,
): Promise<
  Array<
    Pick<StoredStudy, 'id' | 'createdAt' | 'name' | 'region'> & {
      from: string;
      to: string;
      scenarios: number;
    }
  >
> {
  const rows = await store.db
    .selectFrom('dcgrid.scenario_studies')
    .select(['id', 'created_at', 'name', 'region', 'period_from', 'period_to', 'definition'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at.toISOString(),
    name: r.name,
    region: r.region,
    from: r.period_from.toISOString(),
    to: r.period_to.toISOString(),
    scenarios: parsed<StudyDefinition>(r.definition).scenarios.length,
  }));
}

/** jsonb keeps object keys in its own order: the input sources go back to the replay's column order. */
function inReplayOrder(results: StudyResults): StudyResults {
  if (results.inputs === undefined) return results;
  const sources = results.inputs.sources;
  const ordered = Object.fromEntries(
    SCENARIO_COLUMNS.filter((c) => c in sources).map((c) => [c, sources[c]]),
  ) as InputSources;
  return { ...results, inputs: { ...results.inputs, sources: ordered } };
}

export async function getStudy(store: Store, id: number): Promise<StoredStudy> {
  const row = await store.db
    .selectFrom('dcgrid.scenario_studies')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `no scenario study ${id}: \`dcgrid scenario list\` shows the stored ones`,
    );
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    name: row.name,
    region: row.region,
    definition: parsed<StudyDefinition>(row.definition),
    results: inReplayOrder(parsed<StudyResults>(row.results)),
    settings: parsed<ReplaySettings>(row.settings),
  };
}

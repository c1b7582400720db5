/**
 * Runs a study on the stored history and keeps it: the frame read from features_hourly (the period
 * and the year before it that the stress score's reference needs), the replay, and one row in
 * dcgrid.scenario_studies with the definition, the results and the settings they were made with.
 */
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import { HOUR_MS } from '../lib/time.js';
import { loadHourlyFrame } from '../store/frames.js';
import type { Store } from '../store/store.js';
import type { StudyDefinition } from './definition.js';
import {
  evaluateStudy,
  REFERENCE_HOURS,
  SCENARIO_COLUMNS,
  type DailyPoint,
  type ReplaySettings,
  type ScenarioFrame,
  type ScenarioSummary,
  type StudyOutcome,
} from './evaluate.js';

export interface StoredOutcome {
  summary: ScenarioSummary;
  daily: Array<Omit<DailyPoint, 'day'> & { day: string }>;
}

export interface StudyResults {
  alertThreshold: number;
  /** The hours of the period that had stored features. */
  covered: { from: string; to: string };
  baseline: StoredOutcome;
  scenarios: StoredOutcome[];
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

export async function loadStudyFrame(store: Store, study: StudyDefinition): Promise<ScenarioFrame> {
  const frame = await loadHourlyFrame(store.db, {
    region: study.region,
    columns: SCENARIO_COLUMNS,
    from: study.from - REFERENCE_HOURS * HOUR_MS,
    to: study.to,
  });
  const last = frame.ts[frame.ts.length - 1];
  if (last === undefined || last < study.from) {
    throw new DcgridError(
      ErrorCodes.NOT_FOUND,
      `no stored features for ${study.region} between ${new Date(study.from).toISOString()} and ${new Date(study.to).toISOString()}: run \`dcgrid ingest\` for that period first`,
    );
  }
  return { ts: frame.ts, columns: frame.columns as ScenarioFrame['columns'] };
}

function stored(outcome: StudyOutcome['baseline']): StoredOutcome {
  return {
    summary: outcome.summary,
    daily: outcome.daily.map((d) => ({ ...d, day: new Date(d.day).toISOString().slice(0, 10) })),
  };
}

export function studyResults(outcome: StudyOutcome): StudyResults {
  const first = outcome.ts[0] ?? 0;
  const last = outcome.ts[outcome.ts.length - 1] ?? first;
  return {
    alertThreshold: outcome.alertThreshold,
    covered: { from: new Date(first).toISOString(), to: new Date(last + HOUR_MS).toISOString() },
    baseline: stored(outcome.baseline),
    scenarios: outcome.scenarios.map(stored),
  };
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
  const frame = await loadStudyFrame(store, study);
  const outcome = evaluateStudy(frame, study, settings);
  const results = studyResults(outcome);
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
    results: parsed<StudyResults>(row.results),
    settings: parsed<ReplaySettings>(row.settings),
  };
}
